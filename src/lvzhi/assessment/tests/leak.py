"""One record of every assessment model for ``department`` (the access-leak test,
tests/test_isolation.py). The campaign stays open (not published), so nothing of it is in any
other department's ranking. Framework, criterion and star rule are shared reference data without
the marker."""

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile

from lvzhi.core.models import StoredFile
from lvzhi.duties.models import DutyPoint, Matter, MatterLink
from lvzhi.org.models import Department

from ..models import Appeal, Aspect, Assessment, Campaign, Criterion, Framework, MutualEvaluation, Score, StarRule


def shared_reference():
    framework, _ = Framework.objects.get_or_create(code="leak", version="leak", defaults={
        "title": "测试框架", "name": "测试评估表", "computed_share": Decimal("0.4")})
    aspect, _ = Aspect.objects.get_or_create(framework=framework, code="A1", defaults={"name": "测试方面"})
    criterion, _ = Criterion.objects.get_or_create(framework=framework, code="A1-1", defaults={
        "aspect": aspect, "name": "测试标准", "max_points": Decimal(10)})
    rule, _ = StarRule.objects.get_or_create(version="leak", defaults={
        "title": "测试评星规则", "thresholds": [{"stars": 5, "min_score": "90"}], "performance_weight": Decimal("0.1")})
    return framework, criterion, rule


def populate(department, user, marker):
    framework, criterion, rule = shared_reference()
    campaign = Campaign.objects.create(name=f"{marker}考核批次", period="2026Q1", framework=framework, star_rule=rule,
                                       self_deadline=dt.date(2026, 4, 10), performance_weight=Decimal("0.1"),
                                       status=Campaign.Status.OPEN)
    assessment = Assessment.objects.create(campaign=campaign, department=department, category=department.category)
    score = Score.objects.create(assessment=assessment, criterion=criterion, weight=Decimal(1), due=campaign.self_deadline,
                                 narrative=f"{marker}自评说明", self_score=Decimal(8), review_comment=f"{marker}评审意见")
    evidence = StoredFile(name=f"{marker}佐证.pdf", size=len(marker.encode()), sha256="0" * 64,
                          content_type="application/pdf", uploaded_by=user, owner=score)
    evidence.file.save("evidence.pdf", ContentFile(marker.encode()), save=False)
    evidence.save()
    Appeal.objects.create(assessment=assessment, score=score, reason=f"{marker}申诉理由")
    partner = Department.objects.create(code=f"{department.code}-P", name=f"{department.code}协作单位")
    matter = Matter.objects.create(code=f"MA-{department.code}", name=f"{marker}协作事项", published=False)
    link = MatterLink.objects.create(matter=matter, position=1, name=f"{marker}环节")
    point = DutyPoint.objects.create(link=link, position=1, text=f"{marker}颗粒点", lead=department)
    point.support.set([partner])
    MutualEvaluation.objects.create(campaign=campaign, matter=matter, rater=department, ratee=partner,
                                    direction=MutualEvaluation.Direction.LEAD_RATES_SUPPORT, cooperation=4,
                                    timeliness=4, information_sharing=3, comment=f"{marker}互评意见")
