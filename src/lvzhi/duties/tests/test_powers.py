"""Editions: publication, differences between editions, adjustment counts, office statistics."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lvzhi.duties.models import PowerAdjustment, PowerItem, PowerListEdition, PowerType
from lvzhi.duties.services import adjustments, powers

from .factories import make_power_list

ITEMS = [
    ("XK-1", "食品生产许可", PowerType.LICENSING, "《食品安全法》第三十五条"),
    ("CF-1", "对无证生产的处罚", PowerType.PENALTY, "《食品安全法》第一百二十二条"),
    ("CF-2", "对虚假宣传的处罚", PowerType.PENALTY, "《反不正当竞争法》第二十条"),
    ("JC-1", "食品生产监督检查", PowerType.INSPECTION, "无"),
]


def approved(user, power_list, kind, code, **elements):
    data = {"kind": kind, "item_code": code, "reason": "法律修订", "legal_basis": "《示范条例》",
            "approval_doc_no": "示编办发〔2026〕1号", "approval_date": dt.date(2026, 5, 1)}
    data.update(adjustments.elements_of(power_list, code) or {})
    data.update(elements)
    adj = adjustments.save_adjustment(user, power_list, data)
    adjustments.transition(user, adj, "submit")
    return adjustments.transition(user, adj, "approve")


def test_publishing_applies_approved_adjustments_and_counts_them(dept_a, staff_user):
    power_list, first = make_power_list(dept_a, ITEMS)
    approved(staff_user, power_list, "add", "QR-1", type=PowerType.CONFIRMATION, name="新增确认", basis="《条例》")
    approved(staff_user, power_list, "add", "JL-1", type=PowerType.REWARD, name="新增奖励", basis="《条例》")
    approved(staff_user, power_list, "cancel", "CF-2", delegated_to="县级")
    approved(staff_user, power_list, "change", "CF-1", basis="《食品安全法》第一百二十二条（2021年修正）")
    second = powers.publish(power_list, staff_user, label="2026年第1次调整", published_on=dt.date(2026, 6, 1))
    first.refresh_from_db()
    assert second.is_current and second.status == "published" and second.previous == first
    assert not first.is_current and first.items.count() == 4  # the old edition is kept as it was
    assert sorted(second.items.values_list("code", flat=True)) == ["CF-1", "JC-1", "JL-1", "QR-1", "XK-1"]
    counts = powers.adjustment_counts(second)
    assert counts.total == 4 and counts["增加"] == 2 and counts["取消或下放"] == 1 and counts["变更要素"] == 1
    assert counts.summary.startswith("本次动态调整 4 项")
    assert set(PowerAdjustment.objects.values_list("status", flat=True)) == {"applied"}
    diff = powers.diff_editions(first, second)
    assert [r["code"] for r in diff.added] == ["JL-1", "QR-1"]
    assert [r["code"] for r in diff.removed] == ["CF-2"]
    assert [(c.code, [f[0] for f in c.fields]) for c in diff.changed] == [("CF-1", ["设定依据"])]


def test_diff_between_any_two_editions_lists_changed_fields(dept_a):
    power_list, old = make_power_list(dept_a, ITEMS)
    old.is_current = False
    old.save()
    _, new = make_power_list(dept_a, [
        ("XK-1", "食品生产许可（含小作坊）", PowerType.LICENSING, "《食品安全法》第三十五条"),
        ("CF-1", "对无证生产的处罚", PowerType.COERCION, "《食品安全法》第一百二十二条"),
    ], label="2026年版")
    diff = powers.diff_editions(old, new)
    assert diff.total == 4
    assert {r["code"] for r in diff.removed} == {"CF-2", "JC-1"}
    changed = {c.code: c.fields for c in diff.changed}
    assert changed["XK-1"][0] == ("职权名称", "食品生产许可", "食品生产许可（含小作坊）")
    assert changed["CF-1"] == [("职权类型", "行政处罚", "行政强制")]


def test_publish_refuses_when_nothing_to_publish_or_an_adjustment_cannot_apply(dept_a, staff_user):
    power_list, _ = make_power_list(dept_a, ITEMS)
    with pytest.raises(ValidationError):
        powers.publish(power_list, staff_user, label="空")
    adj = approved(staff_user, power_list, "change", "CF-1", name="改名")
    PowerItem.objects.filter(code="CF-1").update(code="CF-9")  # the item disappeared meanwhile
    with pytest.raises(ValidationError) as exc:
        powers.publish(power_list, staff_user, label="失败")
    assert "没有该职权编码" in str(exc.value)
    adj.refresh_from_db()
    assert adj.status == "approved"
    assert PowerListEdition.objects.filter(power_list=power_list).count() == 1  # rolled back


def test_only_the_office_publishes(dept_a, dept_user):
    power_list, _ = make_power_list(dept_a, ITEMS, status="draft")
    with pytest.raises(PermissionDenied):
        powers.publish(power_list, dept_user, label="2025年版")


def test_default_labels_follow_the_year_and_adjustment_number(dept_a, staff_user):
    power_list, _ = make_power_list(dept_a, [], status="draft")
    assert powers.default_label(power_list, dt.date(2025, 1, 1)) == "2025年版"
    PowerListEdition.objects.filter(power_list=power_list).update(status="published", is_current=True,
                                                                 published_on=dt.date(2025, 3, 1))
    assert powers.default_label(power_list, dt.date(2026, 2, 1)) == "2026年第1次调整"


def test_statistics_count_types_missing_basis_and_names_claimed_twice(dept_a, dept_b, staff_user):
    make_power_list(dept_a, ITEMS)
    make_power_list(dept_b, [("X", "食品生产监督检查", PowerType.INSPECTION, "《条例》"),
                             ("Y", "乙的许可", PowerType.LICENSING, "")])
    make_power_list(dept_b, [("Z", "草稿里的事项", PowerType.OTHER, "")], status="draft")
    stats = powers.statistics(staff_user)
    rows = {r["code"]: r for r in stats["rows"]}
    assert rows["DEPTA"]["total"] == 4 and rows["DEPTB"]["total"] == 2
    assert rows["DEPTA"]["counts"][PowerType.PENALTY] == 2
    assert stats["grand_total"] == 6
    assert stats["no_basis_count"] == 2  # "无" counts as missing; drafts are not counted
    assert [(name, {i.department.code for i in items}) for name, items in stats["duplicates"]] == [
        ("食品生产监督检查", {"DEPTA", "DEPTB"})]


def test_statistics_are_for_the_office(dept_user):
    with pytest.raises(PermissionDenied):
        powers.statistics(dept_user)
