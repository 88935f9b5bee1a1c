"""权责清单: a department's list of powers, published in editions and changed by adjustments.

An edition is a complete snapshot of the list's items. Published editions never change; the
next one is built from the current edition (or an imported draft) plus the approved adjustments.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse

from lvzhi.core.models import Model
from lvzhi.core.scoping import CHANGE, VIEW
from lvzhi.org.models import Department


class PowerType(models.TextChoices):
    LICENSING = "licensing", "行政许可"
    PENALTY = "penalty", "行政处罚"
    COERCION = "coercion", "行政强制"
    LEVY = "levy", "行政征收"
    PAYMENT = "payment", "行政给付"
    INSPECTION = "inspection", "行政检查"
    CONFIRMATION = "confirmation", "行政确认"
    REWARD = "reward", "行政奖励"
    ADJUDICATION = "adjudication", "行政裁决"
    OTHER = "other", "其他行政权力"


# Names other lists use for the same type (Shandong calls 行政检查 行政监督).
POWER_TYPE_SYNONYMS = {
    "行政监督": PowerType.INSPECTION,
    "行政监督检查": PowerType.INSPECTION,
    "其他职权": PowerType.OTHER,
    "其他权力": PowerType.OTHER,
    "其他行政职权": PowerType.OTHER,
}

# The elements of a power item, in the order of the interchange format (§2).
ELEMENT_FIELDS = ("type", "name", "sub_item", "basis", "unit", "responsibilities", "accountability", "note")


class PowerElements(models.Model):
    """The fields an item has and an adjustment proposes."""

    type = models.CharField("职权类型", max_length=20, choices=PowerType.choices, blank=True)
    name = models.CharField("职权名称", max_length=300, blank=True)
    sub_item = models.CharField("子项名称", max_length=300, blank=True)
    basis = models.TextField("设定依据", blank=True)
    unit = models.CharField("承办机构", max_length=100, blank=True)
    responsibilities = models.TextField("责任事项", blank=True)
    accountability = models.TextField("追责情形", blank=True)
    note = models.TextField("备注", blank=True)

    class Meta:
        abstract = True

    def elements(self):
        return {f: getattr(self, f) for f in ELEMENT_FIELDS}


class PowerList(Model):
    """权责清单 of one department; its content lives in editions."""

    department = models.OneToOneField(
        Department, on_delete=models.CASCADE, related_name="power_list", verbose_name="部门"
    )

    scope = "department"
    # A liaison imports into its own draft and drafts adjustments; services.py enforces the rest.
    department_actions = frozenset({VIEW, CHANGE})

    class Meta:
        ordering = ["department__position", "department__code"]
        verbose_name = "权责清单"

    def __str__(self):
        return f"{self.department.name}权责清单"

    def get_absolute_url(self):
        return reverse("duties:power-list", args=[self.pk])


class PowerListEdition(Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"

    power_list = models.ForeignKey(PowerList, on_delete=models.CASCADE, related_name="editions", verbose_name="权责清单")
    label = models.CharField("版本", max_length=60)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT)
    is_current = models.BooleanField("现行版本", default=False)
    published_on = models.DateField("发布日期", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="发布人",
    )
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="上一版本"
    )
    note = models.TextField("说明", blank=True)

    scope = "power_list__department"
    department_actions = frozenset({VIEW, CHANGE})

    class Meta:
        ordering = ["power_list", "-published_on", "-pk"]
        verbose_name = "权责清单版本"
        constraints = [
            models.UniqueConstraint(fields=["power_list"], condition=models.Q(is_current=True),
                                    name="one_current_edition_per_list"),
            models.UniqueConstraint(fields=["power_list"], condition=models.Q(status="draft"),
                                    name="one_draft_edition_per_list"),
        ]

    def __str__(self):
        return f"{self.power_list.department.label} {self.label}"

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT

    def get_absolute_url(self):
        return reverse("duties:edition", args=[self.pk])


class PowerItem(Model, PowerElements):
    """权责事项. ``department`` repeats the edition's department so lists and statistics filter
    and group on one column."""

    edition = models.ForeignKey(PowerListEdition, on_delete=models.CASCADE, related_name="items", verbose_name="版本")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+", verbose_name="部门")
    code = models.CharField("职权编码", max_length=60)
    position = models.PositiveIntegerField("排序", default=0)

    scope = "department"
    department_actions = frozenset({VIEW, CHANGE})

    class Meta:
        ordering = ["edition", "position", "code"]
        verbose_name = "权责事项"
        constraints = [models.UniqueConstraint(fields=["edition", "code"], name="unique_item_code_per_edition")]
        indexes = [models.Index(fields=["department", "type"]), models.Index(fields=["name"])]

    def __str__(self):
        return self.name + (f"（{self.sub_item}）" if self.sub_item else "")

    def get_absolute_url(self):
        return reverse("duties:power-item", args=[self.pk])


class PowerAdjustment(Model, PowerElements):
    """动态调整: one proposed change to a list, reviewed by the office, applied on publication."""

    class Kind(models.TextChoices):
        ADD = "add", "增加"
        CANCEL = "cancel", "取消或下放"
        CHANGE = "change", "变更要素"

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "待审核"
        RETURNED = "returned", "已退回"
        APPROVED = "approved", "已同意"
        APPLIED = "applied", "已发布"

    power_list = models.ForeignKey(
        PowerList, on_delete=models.CASCADE, related_name="adjustments", verbose_name="权责清单"
    )
    kind = models.CharField("调整类型", max_length=20, choices=Kind.choices)
    item_code = models.CharField("职权编码", max_length=60)
    delegated_to = models.CharField("下放至", max_length=100, blank=True)
    reason = models.TextField("调整理由")
    legal_basis = models.TextField("调整依据")
    approval_doc_no = models.CharField("批准文号", max_length=100, blank=True)
    approval_date = models.DateField("批准日期", null=True, blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="审核人",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    return_reason = models.TextField("退回理由", blank=True)
    applied_in = models.ForeignKey(
        PowerListEdition, null=True, blank=True, on_delete=models.SET_NULL, related_name="adjustments",
        verbose_name="发布版本",
    )

    scope = "power_list__department"
    department_actions = frozenset({VIEW, CHANGE})

    class Meta:
        ordering = ["-pk"]
        verbose_name = "动态调整"
        indexes = [models.Index(fields=["status"])]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.name or self.item_code}"

    def get_absolute_url(self):
        return reverse("duties:adjustment", args=[self.pk])

    @property
    def editable(self):
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)
