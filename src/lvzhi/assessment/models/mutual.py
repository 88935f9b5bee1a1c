"""相互评价: on each matter with duty points, the lead and its supporting departments rate each other."""

from decimal import Decimal

from django.db import models
from django.urls import reverse

from lvzhi.core.scoping import CHANGE, VIEW
from lvzhi.core.models import Model
from lvzhi.org.models import Department

from .campaign import Campaign
from .library import quantize

DIMENSIONS = (
    ("cooperation", "协作配合"),
    ("timeliness", "及时性"),
    ("information_sharing", "信息共享"),
)


class MutualEvaluation(Model):
    """One department's rating of another on one matter in one campaign.

    The rater sees what it gave; the rated department sees only aggregates (services.mutual),
    unless the campaign reveals raters.
    """

    class Direction(models.TextChoices):
        LEAD_RATES_SUPPORT = "lead_rates_support", "牵头部门评价配合部门"
        SUPPORT_RATES_LEAD = "support_rates_lead", "配合部门评价牵头部门"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="evaluations", verbose_name="考核批次")
    matter = models.ForeignKey(
        "duties.Matter", on_delete=models.PROTECT, related_name="mutual_evaluations", verbose_name="职责边界事项"
    )
    rater = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="evaluations_given", verbose_name="评价部门"
    )
    ratee = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="evaluations_received", verbose_name="被评价部门"
    )
    direction = models.CharField("评价关系", max_length=30, choices=Direction.choices)
    cooperation = models.PositiveSmallIntegerField("协作配合", null=True, blank=True)
    timeliness = models.PositiveSmallIntegerField("及时性", null=True, blank=True)
    information_sharing = models.PositiveSmallIntegerField("信息共享", null=True, blank=True)
    comment = models.TextField("评价意见", blank=True)
    submitted_at = models.DateTimeField("评价时间", null=True, blank=True)

    scope = "rater"
    department_actions = frozenset({VIEW, CHANGE})

    class Meta:
        ordering = ["campaign", "matter__position", "matter__code", "ratee__position", "pk"]
        verbose_name = "相互评价"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "matter", "rater", "ratee"], name="one_evaluation_per_pair"),
        ]
        indexes = [models.Index(fields=["campaign", "ratee"]), models.Index(fields=["campaign", "rater"])]

    def __str__(self):
        return f"{self.rater.label} → {self.ratee.label}（{self.matter.name}）"

    def get_absolute_url(self):
        return reverse("assessment:evaluation", args=[self.pk])

    @classmethod
    def scope_extra(cls, qs, scope, action):
        # Raters stay anonymous to the rated department unless the office reveals them.
        if action == VIEW and scope.department_ids:
            return qs.filter(ratee__in=scope.department_ids, campaign__reveal_raters=True, submitted_at__isnull=False)
        return None

    @property
    def given(self):
        return self.submitted_at is not None

    def score(self, scale_max):
        """百分制: the mean of the three dimensions over the scale's maximum."""
        values = [getattr(self, key) for key, _ in DIMENSIONS]
        if None in values:
            return None
        return quantize(Decimal(sum(values)) / len(values) / scale_max * 100)
