"""职责边界清单: cross-department matters (一件事) → links (环节) → duty points (职责颗粒点)."""

from django.db import models
from django.urls import reverse

from lvzhi.core.models import Model
from lvzhi.org.models import BoundaryClause, Department, MandateDuty

# A department takes part in a matter when it leads or supports any of its duty points.
MATTER_PARTICIPANTS = ("links__points__lead", "links__points__support")


class Matter(Model):
    code = models.CharField("事项编码", max_length=32, unique=True)
    name = models.CharField("事项名称", max_length=100)
    description = models.TextField("说明", blank=True)
    position = models.PositiveIntegerField("排序", default=0)
    published = models.BooleanField("已公开", default=True)

    scope = MATTER_PARTICIPANTS

    class Meta:
        ordering = ["position", "code"]
        verbose_name = "职责边界事项"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("duties:matter", args=[self.code])


class MatterLink(Model):
    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="links", verbose_name="事项")
    position = models.PositiveIntegerField("序号", default=0)
    name = models.CharField("环节", max_length=100)

    scope = tuple(f"matter__{p}" for p in MATTER_PARTICIPANTS)

    class Meta:
        ordering = ["matter", "position"]
        verbose_name = "环节"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("duties:matter", args=[self.matter.code]) + f"#link-{self.pk}"


class DutyPoint(Model):
    """The smallest duty in a link: exactly one lead, any supporting departments, and a basis.

    The basis may cite a mandate duty, a boundary clause or a power item (structured references,
    kept when the text changes) and/or quote law or policy text in ``basis``.
    """

    link = models.ForeignKey(MatterLink, on_delete=models.CASCADE, related_name="points", verbose_name="环节")
    position = models.PositiveIntegerField("序号", default=0)
    text = models.TextField("职责颗粒点")
    lead = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="led_points", verbose_name="牵头部门"
    )
    support = models.ManyToManyField(Department, related_name="supported_points", blank=True, verbose_name="配合部门")
    basis = models.TextField("依据", blank=True)
    basis_duty = models.ForeignKey(
        MandateDuty, null=True, blank=True, on_delete=models.SET_NULL, related_name="cited_by_points",
        verbose_name="依据（三定职责）",
    )
    basis_clause = models.ForeignKey(
        BoundaryClause, null=True, blank=True, on_delete=models.SET_NULL, related_name="cited_by_points",
        verbose_name="依据（职责分工）",
    )
    basis_item = models.ForeignKey(
        "duties.PowerItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="cited_by_points",
        verbose_name="依据（权责事项）",
    )

    scope = tuple(f"link__matter__{p}" for p in MATTER_PARTICIPANTS)

    class Meta:
        ordering = ["link", "position"]
        verbose_name = "职责颗粒点"

    def __str__(self):
        return self.text[:30]

    def get_absolute_url(self):
        return self.link.get_absolute_url()
