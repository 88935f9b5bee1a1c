"""职责边界清单: cross-department matters (一件事) → links (环节) → duty points (职责颗粒点)."""

from django.db import models
from django.urls import reverse

from lvzhi.core.models import Model
from lvzhi.org.models import Department

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


class DutyPoint(Model):
    link = models.ForeignKey(MatterLink, on_delete=models.CASCADE, related_name="points", verbose_name="环节")
    position = models.PositiveIntegerField("序号", default=0)
    text = models.TextField("职责颗粒点")
    lead = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="led_points", verbose_name="牵头部门"
    )
    support = models.ManyToManyField(Department, related_name="supported_points", blank=True, verbose_name="配合部门")
    basis = models.TextField("依据", blank=True)

    scope = tuple(f"link__matter__{p}" for p in MATTER_PARTICIPANTS)

    class Meta:
        ordering = ["link", "position"]
        verbose_name = "职责颗粒点"

    def __str__(self):
        return self.text[:30]
