"""Reference data loaded from libraries: the 评估表 framework (aspects, criteria, indicator rules,
category weights) and the star rules, each kept per version.

These rows are shared by every department and carry no department data, so they are plain models
outside the department scoping (like the problem taxonomy). A campaign points at the versions it
started with; loading a newer version never changes a campaign already running.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils import timezone

from lvzhi.core.models import LibraryVersion

CENT = Decimal("0.01")
RATIO = Decimal("0.0001")


def quantize(value, step=CENT):
    return Decimal(value).quantize(step, rounding=ROUND_HALF_UP)


def plain(value):
    """A Decimal as people write it: 12.50 → 12.5, 10.00 → 10."""
    text = format(Decimal(value).normalize(), "f")
    return text


class Framework(models.Model):
    """核心职能履行评估表, one loaded version."""

    code = models.CharField("编码", max_length=40)
    version = models.CharField("版本", max_length=40)
    title = models.CharField("库名称", max_length=200)
    name = models.CharField("评估表名称", max_length=200)
    computed_share = models.DecimalField("平台计算得分占比", max_digits=4, decimal_places=3, default=Decimal("0"))
    category_weights = models.JSONField("类别权重", default=dict, blank=True)  # {category: {criterion code: "1.2"}}
    mutual_scale_min = models.PositiveSmallIntegerField("互评最低分", default=1)
    mutual_scale_max = models.PositiveSmallIntegerField("互评最高分", default=5)
    mutual_trim_share = models.DecimalField("互评去极值比例", max_digits=4, decimal_places=3, default=Decimal("0"))
    is_current = models.BooleanField("现行", default=False)
    source = models.CharField("来源文件", max_length=200, blank=True)
    loaded_at = models.DateTimeField("加载时间", default=timezone.now)

    class Meta:
        ordering = ["code", "-is_current", "-loaded_at"]
        verbose_name = "评估框架"
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="unique_framework_version")]

    def __str__(self):
        return f"{self.name}（{self.version}）"

    @classmethod
    def current(cls, code="core_function"):
        return cls.objects.filter(code=code, is_current=True).first()

    def weight_for(self, category, criterion_code):
        """The weight of a criterion for a department category (1 when the library lists none)."""
        return Decimal(str(self.category_weights.get(category, {}).get(criterion_code, "1")))


class Aspect(models.Model):
    """方面: 核心职能履职目标 · 进展情况 · 创先争优情况."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="aspects", verbose_name="评估框架")
    code = models.CharField("编码", max_length=20)
    name = models.CharField("方面", max_length=100)
    position = models.PositiveIntegerField("排序", default=0)

    class Meta:
        ordering = ["framework", "position"]
        verbose_name = "评估方面"
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="unique_aspect_code")]

    def __str__(self):
        return self.name


class Criterion(models.Model):
    """标准: one line of the 评估表 with its maximum points, guidance and linked indicators."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="criteria", verbose_name="评估框架")
    aspect = models.ForeignKey(Aspect, on_delete=models.CASCADE, related_name="criteria", verbose_name="评估方面")
    code = models.CharField("编码", max_length=20)
    name = models.CharField("评估标准", max_length=200)
    max_points = models.DecimalField("满分", max_digits=6, decimal_places=2)
    guidance_full = models.TextField("得满分", blank=True)
    guidance_partial = models.TextField("得部分分", blank=True)
    guidance_none = models.TextField("不得分", blank=True)
    indicators = models.JSONField("关联指标", default=list, blank=True)  # indicator codes, in order
    position = models.PositiveIntegerField("排序", default=0)

    class Meta:
        ordering = ["framework", "position"]
        verbose_name = "评估标准"
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="unique_criterion_code")]

    def __str__(self):
        return f"{self.code} {self.name}"


class IndicatorRule(models.Model):
    """A computed indicator's rule: how its value is found (text) and turned into a 0–1 ratio."""

    class Scoring(models.TextChoices):
        RATE = "rate", "百分率"
        PENALTY = "penalty", "扣减"
        SCALE = "scale", "折算"

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="indicator_rules", verbose_name="评估框架"
    )
    code = models.CharField("编码", max_length=40)
    name = models.CharField("指标", max_length=100)
    unit = models.CharField("单位", max_length=20, blank=True)
    rule = models.TextField("计算口径")
    source = models.CharField("数据来源", max_length=100, blank=True)
    scoring = models.CharField("换算方式", max_length=20, choices=Scoring.choices)
    parameter = models.DecimalField("换算参数", max_digits=8, decimal_places=4, null=True, blank=True)

    class Meta:
        ordering = ["framework", "code"]
        verbose_name = "指标口径"
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="unique_indicator_rule")]

    def __str__(self):
        return self.name

    def ratio(self, value):
        """The 得分比例 (0–1) for an indicator value, and the arithmetic that gave it."""
        value = Decimal(value)
        if self.scoring == self.Scoring.RATE:
            raw, text = value / 100, f"{plain(value)}% ÷ 100"
        elif self.scoring == self.Scoring.PENALTY:
            raw, text = 1 - self.parameter * value, f"max(0, 1 − {plain(self.parameter)} × {plain(value)})"
        else:
            raw, text = value / self.parameter, f"min(1, {plain(value)} ÷ {plain(self.parameter)})"
        ratio = quantize(min(Decimal(1), max(Decimal(0), raw)), RATIO)
        return ratio, f"{text} = {plain(ratio)}"


class StarRule(LibraryVersion):
    """赋分评星规则, one loaded version: thresholds, appeal period, weight in the city's scoring."""

    thresholds = models.JSONField("星级阈值", default=list)  # [{"stars": 5, "min_score": "90"}], highest first
    default_stars = models.PositiveSmallIntegerField("最低星级", default=1)
    appeal_working_days = models.PositiveSmallIntegerField("申诉期限（工作日）", default=5)
    performance_weight = models.DecimalField("绩效考核权重", max_digits=5, decimal_places=4)
    source = models.CharField("来源文件", max_length=200, blank=True)

    class Meta(LibraryVersion.Meta):
        verbose_name = "评星规则"

    def stars_for(self, total):
        for step in self.thresholds:
            if Decimal(total) >= Decimal(str(step["min_score"])):
                return int(step["stars"])
        return self.default_stars

    def threshold_text(self, stars):
        for step in self.thresholds:
            if int(step["stars"]) == stars:
                return f"≥ {plain(Decimal(str(step['min_score'])))} 分"
        lowest = min((Decimal(str(s["min_score"])) for s in self.thresholds), default=None)
        return f"< {plain(lowest)} 分" if lowest is not None else ""
