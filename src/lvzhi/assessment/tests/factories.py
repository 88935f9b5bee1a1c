"""Test helpers for the assessment app: the bundled libraries, campaigns taken through the real
services to any state, and small known inputs for the indicators."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lvzhi.core.libraries import library_path, read
from lvzhi.testing import make_department

from .. import libraries
from ..models import Score
from ..services import campaigns, scores

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TZ = ZoneInfo("Asia/Shanghai")
PERIOD = "2025Q4"
# The self-assessment window is open while the tests run (pages use the real date).
FILLING_DAY = timezone.localdate()
DEADLINE = FILLING_DAY + dt.timedelta(days=30)


def load_libraries():
    for name, loader in (("core_function_framework.yaml", libraries.load_framework),
                         ("star_rules.yaml", libraries.load_star_rules)):
        path = library_path(name)
        loader(read(path), path)


def pdf(name="佐证材料.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def at(day, hour=10):
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


def assessed(code, category="economic", name=None):
    return make_department(code, name or f"{code}局", category=category, assessed=True)


def open_campaign(staff, period=PERIOD, deadline=DEADLINE, **kwargs):
    campaign = campaigns.create_campaign(staff, period=period, self_deadline=deadline, **kwargs)
    return campaigns.open_campaign(staff, campaign)


def review_all(staff, campaign, ratio=Decimal("0.8"), lock=True, today=FILLING_DAY):
    """The office fills, reviews (at ``ratio`` of each maximum) and locks every criterion."""
    for score in Score.objects.filter(assessment__campaign=campaign).exclude(status=Score.Status.LOCKED).select_related(
            "criterion"):
        if score.status in (Score.Status.DRAFT, Score.Status.RETURNED):
            scores.save_self_assessment(staff, score, "按要求完成。", score.criterion.max_points)
            scores.submit(staff, score, today=today)
        scores.review(staff, score, (score.criterion.max_points * ratio).quantize(Decimal("0.01")), "评审意见",
                      today=today)
    if lock:
        scores.lock_reviewed(staff, campaign)


def scored_campaign(staff, **kwargs):
    campaign = open_campaign(staff, **kwargs)
    review_all(staff, campaign)
    return campaigns.score_campaign(staff, campaign)


def published_campaign(staff, today=None, **kwargs):
    campaign = scored_campaign(staff, **kwargs)
    return campaigns.publish_campaign(staff, campaign, today=today)


def refresh(obj):
    obj.refresh_from_db()
    return obj

