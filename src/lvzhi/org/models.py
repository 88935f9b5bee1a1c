"""Departments and their 三定 (mandates): duties, boundary clauses, internal units, staffing."""

from django.db import models
from django.urls import reverse

from lvzhi.core.models import Model
from lvzhi.core.roles import Role
from lvzhi.core.scoping import VIEW, filter_by_paths, get_scope


class Region(Model):
    """The region the loaded data describes (one row)."""

    class Level(models.TextChoices):
        PROVINCE = "province", "省"
        CITY = "city", "市"
        COUNTY = "county", "县（区）"
        TOWNSHIP = "township", "乡镇（街道）"

    name = models.CharField("名称", max_length=100)
    level = models.CharField("层级", max_length=20, choices=Level.choices, default=Level.CITY)

    class Meta:
        verbose_name = "行政区域"

    def __str__(self):
        return self.name

    @classmethod
    def scope_extra(cls, qs, scope, action):
        return qs if action == VIEW else None


class Department(Model):
    class Kind(models.TextChoices):
        PARTY = "party", "党委部门"
        GOVERNMENT = "government", "政府部门"
        INSTITUTION = "institution", "事业单位"
        TOWNSHIP = "township", "镇街"
        ZONE = "zone", "功能区"
        OTHER = "other", "其他"

    class Category(models.TextChoices):
        ECONOMIC = "economic", "经济部门"
        ENFORCEMENT = "enforcement", "社会管理和执法监督部门"
        PUBLIC_SERVICE = "public_service", "政务和社会事业部门"
        OTHER = "other", "其他"

    code = models.CharField("部门编码", max_length=32, unique=True)
    name = models.CharField("部门名称", max_length=100)
    short_name = models.CharField("简称", max_length=50, blank=True)
    kind = models.CharField("部门类型", max_length=20, choices=Kind.choices, default=Kind.GOVERNMENT)
    category = models.CharField("部门类别", max_length=20, choices=Category.choices, default=Category.OTHER)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name="上级部门"
    )
    assessed = models.BooleanField("纳入核心职能评估", default=False)
    position = models.PositiveIntegerField("排序", default=0)

    scope = "self"

    class Meta:
        ordering = ["position", "code"]
        verbose_name = "部门"

    def __str__(self):
        return self.name

    @property
    def label(self):
        return self.short_name or self.name

    def get_absolute_url(self):
        return reverse("org:department", args=[self.code])

    @classmethod
    def scope_extra(cls, qs, scope, action):
        # The hotline routes tickets and oversight bodies file clues: both need the directory.
        if action == VIEW and scope.has(Role.HOTLINE, Role.OVERSIGHT):
            return qs
        return None

    @classmethod
    def attachments_visible_to(cls, user):
        # The directory is open to the hotline and oversight bodies; files kept on a department are not.
        scope = get_scope(user)
        qs = cls.objects.all()
        if scope.is_office or scope.is_leader:
            return qs
        if scope.department_ids:
            return filter_by_paths(qs, cls.scope_paths(), scope.department_ids)
        return qs.none()

    @classmethod
    def descendant_ids(cls, ids):
        children = {}
        for pk, parent in cls._base_manager.values_list("pk", "parent_id"):
            children.setdefault(parent, []).append(pk)
        result, stack = set(), list(ids)
        while stack:
            pk = stack.pop()
            if pk not in result:
                result.add(pk)
                stack.extend(children.get(pk, ()))
        return result

    @property
    def current_mandate(self):
        # Uses the prefetched list when the caller prefetched ``mandates``.
        for mandate in self.mandates.all():
            if mandate.is_current:
                return mandate
        return None


class Mandate(Model):
    """三定规定: one version of a department's regulation; a new document supersedes the old."""

    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="mandates", verbose_name="部门")
    title = models.CharField("文件标题", max_length=200)
    doc_no = models.CharField("文号", max_length=60, blank=True)
    issued = models.DateField("印发日期", null=True, blank=True)
    is_current = models.BooleanField("现行", default=True)
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="supersedes", verbose_name="被替代为"
    )
    note = models.TextField("说明", blank=True)

    scope = "department"

    class Meta:
        ordering = ["department", "-is_current", "-issued", "-pk"]
        verbose_name = "三定规定"
        constraints = [
            models.UniqueConstraint(
                fields=["department"], condition=models.Q(is_current=True), name="one_current_mandate_per_department"
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("org:mandate", args=[self.pk])


class MandateDuty(Model):
    """主要职责第N项."""

    mandate = models.ForeignKey(Mandate, on_delete=models.CASCADE, related_name="duties", verbose_name="三定规定")
    number = models.PositiveIntegerField("序号")
    text = models.TextField("职责内容")

    scope = "mandate__department"

    class Meta:
        ordering = ["mandate", "number"]
        verbose_name = "主要职责"
        constraints = [models.UniqueConstraint(fields=["mandate", "number"], name="unique_duty_number")]

    def __str__(self):
        return f"第{self.number}项"


class BoundaryClause(Model):
    """职责分工: a clause dividing work with named other departments."""

    mandate = models.ForeignKey(Mandate, on_delete=models.CASCADE, related_name="boundaries", verbose_name="三定规定")
    position = models.PositiveIntegerField("序号", default=0)
    topic = models.CharField("事项", max_length=100, blank=True)
    text = models.TextField("分工内容")
    others = models.ManyToManyField(Department, related_name="named_in_clauses", verbose_name="涉及部门", blank=True)

    scope = "mandate__department"

    class Meta:
        ordering = ["mandate", "position"]
        verbose_name = "职责分工"

    def __str__(self):
        return self.topic or self.text[:20]


class InternalUnit(Model):
    mandate = models.ForeignKey(Mandate, on_delete=models.CASCADE, related_name="units", verbose_name="三定规定")
    position = models.PositiveIntegerField("序号", default=0)
    name = models.CharField("名称", max_length=100)
    duties = models.TextField("职责", blank=True)

    scope = "mandate__department"

    class Meta:
        ordering = ["mandate", "position"]
        verbose_name = "内设机构"

    def __str__(self):
        return self.name


STAFF_TYPES = (
    ("administrative", "行政编制"),
    ("public_institution", "事业编制"),
    ("service", "工勤编制"),
)
LEADER_TYPES = (
    ("leader_head", "正职"),
    ("leader_deputy", "副职"),
    ("leader_other", "其他领导职数"),
)


class StaffingQuota(Model):
    """编制 and 领导职数 set by a mandate."""

    mandate = models.OneToOneField(Mandate, on_delete=models.CASCADE, related_name="staffing", verbose_name="三定规定")
    administrative = models.PositiveIntegerField("行政编制", null=True, blank=True)
    public_institution = models.PositiveIntegerField("事业编制", null=True, blank=True)
    service = models.PositiveIntegerField("工勤编制", null=True, blank=True)
    leader_head = models.PositiveIntegerField("正职", null=True, blank=True)
    leader_deputy = models.PositiveIntegerField("副职", null=True, blank=True)
    leader_other = models.PositiveIntegerField("其他领导职数", null=True, blank=True)

    scope = "mandate__department"

    class Meta:
        verbose_name = "编制"


class StaffingActual(Model):
    """实有人数 on a date."""

    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="staffing_actuals", verbose_name="部门"
    )
    as_of = models.DateField("统计日期")
    administrative = models.PositiveIntegerField("行政编制实有", null=True, blank=True)
    public_institution = models.PositiveIntegerField("事业编制实有", null=True, blank=True)
    service = models.PositiveIntegerField("工勤编制实有", null=True, blank=True)
    leader_head = models.PositiveIntegerField("正职实配", null=True, blank=True)
    leader_deputy = models.PositiveIntegerField("副职实配", null=True, blank=True)
    leader_other = models.PositiveIntegerField("其他实配", null=True, blank=True)

    scope = "department"

    class Meta:
        ordering = ["department", "-as_of", "-pk"]
        verbose_name = "实有人数"
