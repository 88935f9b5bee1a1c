"""The demo data of the three lists (appended to ``lvzhi demo`` through DEMO_HOOKS)."""

import io

import openpyxl
import pytest
from django.db.models import Count

from lvzhi.duties.demo import add_demo_data
from lvzhi.duties.models import DutyTask, MandateCheck, PowerAdjustment, PowerItem, PowerListEdition, current_period
from lvzhi.duties.services import checks as services
from lvzhi.duties.services import powers
from lvzhi.org.management.commands.demo import DEMO_HOOKS


@pytest.mark.django_db
def test_demo_gives_departments_published_lists_adjustments_and_checks(demo_city):
    assert add_demo_data in DEMO_HOOKS
    out = io.StringIO()
    add_demo_data(out)
    sizes = dict(PowerItem.objects.filter(edition__is_current=True).values_list("department__code")
                 .annotate(n=Count("pk")).order_by())
    assert len(sizes) >= 8 and all(15 <= n <= 40 for n in sizes.values()), sizes
    adjusted = PowerListEdition.objects.get(power_list__department__code="SCJGJ", is_current=True)
    assert adjusted.label == "2026年第1次调整"
    assert powers.adjustment_counts(adjusted).total == 5
    assert powers.diff_editions(adjusted.previous, adjusted).total == 5
    statuses = set(PowerAdjustment.objects.values_list("status", flat=True))
    assert statuses == {"applied", "submitted", "returned", "approved"}
    assert DutyTask.objects.count() >= 10
    checks = MandateCheck.objects.filter(period=current_period())
    assert {"accepted", "submitted", "returned"} <= set(checks.values_list("status", flat=True))
    assert checks.filter(result="partly", status="accepted").exists()
    for check in checks.exclude(result="not_applicable"):  # each with a work ledger as evidence
        [ledger] = services.evidence(check)
        assert ledger.name == f"{check.period_label}工作台账（第{check.duty.number}项职责）.xlsx"
    with ledger.file.open("rb") as fh:
        assert [c.value for c in openpyxl.load_workbook(fh).active[1]] == ["序号", "工作内容", "完成情况", "日期"]
    add_demo_data(out)  # a second run changes nothing
    assert PowerItem.objects.filter(edition__is_current=True).count() == sum(sizes.values())
