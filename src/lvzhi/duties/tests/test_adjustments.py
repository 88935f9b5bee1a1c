"""动态调整: drafted by the department or office, reviewed by the office, applied on publication."""

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from lvzhi.core.models import Notification
from lvzhi.duties.models import PowerAdjustment, PowerListEdition, PowerType
from lvzhi.testing import login

from .factories import make_power_list

ITEMS = [("CF-1", "对无证经营的处罚", PowerType.PENALTY, "《条例》第一条")]


def form(kind="add", code="CF-2", **extra):
    data = {"kind": kind, "item_code": code, "type": "penalty", "name": "对新违法行为的处罚", "basis": "《条例》第二条",
            "reason": "新法施行", "legal_basis": "《条例》", "approval_doc_no": "示编办发〔2026〕3号",
            "approval_date": "2026-05-01"}
    data.update(extra)
    return data


@pytest.fixture
def power_list(dept_a):
    return make_power_list(dept_a, ITEMS)[0]


def test_department_drafts_office_returns_department_resubmits_office_approves_and_publishes(
        client, power_list, dept_user, staff_user):
    login(client, dept_user)
    response = client.post(reverse("duties:adjustment-create", args=[power_list.pk]), form())
    assert response.status_code == 302
    adj = PowerAdjustment.objects.get()
    assert adj.status == "draft" and adj.created_by == dept_user
    client.post(reverse("duties:adjustment-action", args=[adj.pk]), {"action": "submit"})
    adj.refresh_from_db()
    assert adj.status == "submitted"
    # the liaison cannot approve its own adjustment
    assert client.post(reverse("duties:adjustment-action", args=[adj.pk]), {"action": "approve"}).status_code == 403

    login(client, staff_user)
    client.post(reverse("duties:adjustment-action", args=[adj.pk]), {"action": "return", "reason": ""})
    adj.refresh_from_db()
    assert adj.status == "submitted"  # a return needs a reason
    client.post(reverse("duties:adjustment-action", args=[adj.pk]), {"action": "return", "reason": "请补充批准文件"})
    adj.refresh_from_db()
    assert adj.status == "returned" and adj.return_reason == "请补充批准文件"
    assert Notification.objects.filter(recipient=dept_user, title__contains="退回").exists()

    login(client, dept_user)
    edit = client.post(reverse("duties:adjustment-edit", args=[adj.pk]),
                       form(approval_doc_no="示编办发〔2026〕4号", expected_version=adj.version))
    assert edit.status_code == 302
    client.post(reverse("duties:adjustment-action", args=[adj.pk]), {"action": "submit"})

    login(client, staff_user)
    client.post(reverse("duties:adjustment-action", args=[adj.pk]), {"action": "approve"})
    adj.refresh_from_db()
    assert adj.status == "approved" and adj.reviewed_by == staff_user
    response = client.post(reverse("duties:power-publish", args=[power_list.pk]),
                           {"label": "2026年第1次调整", "published_on": "2026-06-01"})
    assert response.status_code == 302
    edition = PowerListEdition.objects.get(is_current=True)
    assert edition.label == "2026年第1次调整"
    assert set(edition.items.values_list("code", flat=True)) == {"CF-1", "CF-2"}
    adj.refresh_from_db()
    assert adj.status == "applied" and adj.applied_in == edition
    page = client.get(edition.get_absolute_url()).content.decode()
    assert "本次动态调整 1 项" in page


def test_adjustments_are_checked_against_the_list(power_list, staff_user):
    from lvzhi.duties.services import adjustments

    with pytest.raises(ValidationError) as exc:
        adjustments.save_adjustment(staff_user, power_list, form(code="CF-1"))
    assert "已在清单中" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        adjustments.save_adjustment(staff_user, power_list, form(kind="cancel", code="NOPE"))
    assert "没有职权编码" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        adjustments.save_adjustment(staff_user, power_list, form(kind="change", code="CF-1", basis=""))
    assert "basis" in exc.value.message_dict
    adjustments.save_adjustment(staff_user, power_list, form(kind="change", code="CF-1", name="新名称"))
    with pytest.raises(ValidationError) as exc:
        adjustments.save_adjustment(staff_user, power_list, form(kind="cancel", code="CF-1"))
    assert "未发布的动态调整" in str(exc.value)


def test_cancellation_keeps_the_item_name_and_page_shows_form_errors(client, power_list, staff_user):
    login(client, staff_user)
    page = client.get(reverse("duties:adjustment-create", args=[power_list.pk]) + "?kind=cancel&code=CF-1")
    assert "对无证经营的处罚" in page.content.decode()
    response = client.post(reverse("duties:adjustment-create", args=[power_list.pk]), form(code="CF-1"))
    assert response.status_code == 400 and "已在清单中" in response.content.decode()
    client.post(reverse("duties:adjustment-create", args=[power_list.pk]),
                form(kind="cancel", code="CF-1", name="", type="", basis="", delegated_to="县级"))
    adj = PowerAdjustment.objects.get()
    assert adj.name == "对无证经营的处罚" and adj.delegated_to == "县级"


def test_only_drafts_and_returned_adjustments_can_be_edited_or_deleted(client, power_list, dept_user, staff_user):
    from lvzhi.duties.services import adjustments

    adj = adjustments.save_adjustment(dept_user, power_list, form())
    adjustments.transition(dept_user, adj, "submit")
    with pytest.raises(PermissionDenied):
        adjustments.delete_adjustment(dept_user, adj)
    login(client, dept_user)
    response = client.post(reverse("duties:adjustment-edit", args=[adj.pk]), form(name="改"))
    assert response.status_code == 400
    assert PowerAdjustment.objects.get().name == "对新违法行为的处罚"


def test_liaison_cannot_see_or_draft_for_another_departments_list(client, dept_b, dept_user, staff_user):
    from lvzhi.duties.services import adjustments

    other, _ = make_power_list(dept_b, ITEMS)
    adj = adjustments.save_adjustment(staff_user, other, form())
    login(client, dept_user)
    assert client.get(reverse("duties:power-list", args=[other.pk])).status_code == 404
    assert client.get(reverse("duties:adjustment-create", args=[other.pk])).status_code == 404
    assert client.post(reverse("duties:adjustment-create", args=[other.pk]), form()).status_code == 404
    assert client.get(reverse("duties:adjustment", args=[adj.pk])).status_code == 404
    assert client.post(reverse("duties:adjustment-action", args=[adj.pk]), {"action": "submit"}).status_code == 404
    assert "对新违法行为的处罚" not in client.get(reverse("duties:adjustments")).content.decode()
    with pytest.raises(PermissionDenied):
        adjustments.save_adjustment(dept_user, other, form(code="CF-3"))


def test_city_wide_list_filters_by_approval_document_and_date_and_counts_per_type(
        client, power_list, dept_b, dept_user, staff_user):
    from lvzhi.duties.services import adjustments

    other = make_power_list(dept_b, [("XK-1", "乙局许可", PowerType.LICENSING, "《条例》")])[0]
    doc = "示编办发〔2026〕7号"
    for pl, data in [
        (power_list, form(code="CF-2", approval_doc_no=doc, approval_date="2026-06-20")),
        (power_list, form(kind="change", code="CF-1", name="对无证经营的处罚（变更）", approval_doc_no=doc,
                          approval_date="2026-06-20")),
        (other, form(kind="cancel", code="XK-1", approval_doc_no=doc, approval_date="2026-06-21")),
        (other, form(code="CF-9", approval_doc_no="示编办发〔2026〕12号", approval_date="2026-10-15")),
    ]:
        adjustments.save_adjustment(staff_user, pl, {**data, "approval_date": dt.date.fromisoformat(data["approval_date"])})
    url = reverse("duties:adjustments")
    login(client, staff_user)
    page = client.get(url, {"approval_doc_no": "〔2026〕7号"}).content.decode()
    assert "批准文号含“〔2026〕7号”的动态调整 3 项（增加 1 项，取消或下放 1 项，变更要素 1 项）" in page
    assert "CF-9" not in page and "乙测试局" in page and "甲测试局" in page
    page = client.get(url, {"approved_from": "2026-06-21", "approved_to": "2026-12-31"}).content.decode()
    assert "符合条件的动态调整共 2 项（增加 1 项，取消或下放 1 项）" in page
    assert "符合条件的动态调整共 4 项" in client.get(url).content.decode()
    bad = client.get(url, {"approved_from": "2026-13-01"}).content.decode()
    assert "筛选条件有误" in bad and "批准日期自" in bad
    # A department's liaison counts only its own department's adjustments.
    login(client, dept_user)
    page = client.get(url, {"approval_doc_no": doc}).content.decode()
    assert "的动态调整 2 项（增加 1 项，变更要素 1 项）" in page and "乙测试局" not in page


def test_date_fields_show_their_value_in_the_browsers_date_input(client, power_list, staff_user):
    """``<input type="date">`` drops a value that is not ISO (the zh-hans format is 2026/05/01), and
    saving the form again would then erase the approval date."""
    from lvzhi.duties.services import adjustments

    adj = adjustments.save_adjustment(staff_user, power_list, {**form(), "approval_date": dt.date(2026, 5, 1)})
    login(client, staff_user)
    page = client.get(reverse("duties:adjustment-edit", args=[adj.pk])).content.decode()
    assert 'type="date" name="approval_date" value="2026-05-01"' in page
    page = client.get(reverse("duties:power-publish", args=[power_list.pk])).content.decode()
    assert re.search(r'type="date" name="published_on" value="\d{4}-\d{2}-\d{2}"', page)
    page = client.get(reverse("duties:adjustments"), {"approved_from": "2026-05-01"}).content.decode()
    assert 'value="2026-05-01"' in page
