"""``lvzhi campaign``: the same services from the command line, as a named user."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from docx import Document
from openpyxl import load_workbook

from lvzhi.core.roles import Role
from lvzhi.testing import make_user

from ..models import Campaign
from .factories import DEADLINE, assessed, load_libraries, review_all


def run(*args):
    out = io.StringIO()
    call_command("campaign", *args, stdout=out)
    return out.getvalue()


def test_campaign_from_the_command_line(db, staff_user, tmp_path):
    load_libraries()
    dept = assessed("ECON", name="经济局")
    liaison = make_user("cli_liaison", Role.DEPARTMENT, department=dept)
    assert "已创建考核批次" in run("create", "--period", "2025Q4", "--deadline", DEADLINE.isoformat(),
                                   "--user", staff_user.username)
    campaign = Campaign.objects.get()
    with pytest.raises(CommandError, match="没有您可查看的考核批次"):
        run("open", str(campaign.pk), "--user", liaison.username)
    assert "自评与评审中" in run("open", str(campaign.pk), "--user", staff_user.username)
    review_all(staff_user, campaign, lock=False)
    assert "已锁定 9 项" in run("lock-reviewed", str(campaign.pk), "--user", staff_user.username)
    run("score", str(campaign.pk), "--user", staff_user.username)
    assert "申诉截止" in run("publish", str(campaign.pk), "--user", staff_user.username)
    assert f"{campaign.pk}\t2025年第4季度\t已发布" in run("list", "--user", liaison.username)
    out = tmp_path / "通报.docx"
    run("bulletin", str(campaign.pk), "--out", str(out), "--user", liaison.username)
    assert "经济局" in [c.text for t in Document(out).tables for r in t.rows for c in r.cells]
    xlsx = tmp_path / "绩效.xlsx"
    with pytest.raises(CommandError, match="只有编办人员和市领导"):
        run("export", str(campaign.pk), "--out", str(xlsx), "--user", liaison.username)
    run("export", str(campaign.pk), "--out", str(xlsx), "--weight", "0.2", "--user", staff_user.username)
    row = list(load_workbook(xlsx, read_only=True).active.iter_rows(values_only=True))[1]
    assert row[4] == 80 and Decimal(str(row[9])) == Decimal("16")
    with pytest.raises(CommandError, match="考核期间“2025Q9”无效"):
        run("create", "--period", "2025Q9", "--deadline", DEADLINE.isoformat(), "--user", staff_user.username)
