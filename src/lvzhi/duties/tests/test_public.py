"""The public site under /public/: no sign-in, published data only, never staffing."""

import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lvzhi.duties.models import PowerAdjustment, PowerItem, PowerType
from lvzhi.duties.services import adjustments, powers
from lvzhi.org.models import StaffingQuota
from lvzhi.testing import make_department, make_mandate, make_user

from . import leak
from .factories import make_matter, make_power_list

PUBLISHED = [("XK-1", "公开的许可事项", PowerType.LICENSING, "《公开条例》第一条"),
             ("CF-1", "公开的处罚事项", PowerType.PENALTY, "《公开条例》第二条")]


@pytest.fixture
def world(dept_a, dept_b, staff_user):
    """A has a published list (plus a draft and a pending adjustment); B has only drafts."""
    power_list, edition = make_power_list(dept_a, PUBLISHED)
    make_power_list(dept_a, [("XK-9", "草稿里的事项", PowerType.LICENSING, "《草稿条例》")], status="draft",
                    label="草稿版")
    adjustments.save_adjustment(staff_user, power_list, {
        "kind": "add", "item_code": "CF-2", "type": "penalty", "name": "待审核的调整事项", "basis": "《条例》",
        "reason": "待审理由", "legal_basis": "依据"})
    make_power_list(dept_b, [("XK-1", "乙局草稿事项", PowerType.LICENSING, "《条例》")], status="draft")
    mandate = make_mandate(dept_a, duties=("负责公开的主要职责。",))
    mandate.boundaries.create(position=1, topic="公开的分工", text="公开的分工内容")
    mandate.units.create(position=1, name="公开的内设机构", duties="机构职责")
    StaffingQuota.objects.create(mandate=mandate, administrative=987, leader_head=1)
    make_matter("M-PUB", dept_a, name="公开的事项")
    make_matter("M-HIDDEN", dept_a, name="未公开的事项", published=False)
    return power_list, edition


def test_anonymous_visitor_browses_published_items_only(client, world):
    home = client.get(reverse("public:home")).content.decode()
    assert "甲测试局" in home and "乙测试局" not in home and "公开的事项" in home and "未公开的事项" not in home
    items = client.get(reverse("public:items")).content.decode()
    assert "公开的许可事项" in items and "公开的处罚事项" in items
    assert "草稿里的事项" not in items and "乙局草稿事项" not in items and "待审核的调整事项" not in items
    assert "公开的处罚事项" not in client.get(reverse("public:items"), {"type": "licensing"}).content.decode()
    found = client.get(reverse("public:items"), {"q": "处罚 公开"}).content.decode()
    assert "公开的处罚事项" in found and "公开的许可事项" not in found
    assert "公开的许可事项" in client.get(reverse("public:items"), {"q": "公开条例》第一条"}).content.decode()


def test_item_page_shows_basis_responsibilities_accountability_and_history(client, world):
    power_list, edition = world
    item = edition.items.get(code="XK-1")
    page = client.get(reverse("public:item", args=[item.pk])).content.decode()
    assert "《公开条例》第一条" in page and "公开的许可事项的责任事项" in page and "公开的许可事项的追责情形" in page
    assert edition.label in page
    draft_item = PowerItem.objects.get(code="XK-9")
    assert client.get(reverse("public:item", args=[draft_item.pk])).status_code == 404


def test_edition_page_shows_adjustments_with_their_approval(client, world, staff_user):
    power_list, first = world
    adj = PowerAdjustment.objects.get()
    adjustments.transition(staff_user, adj, "submit")
    adjustments.transition(staff_user, adj, "approve")
    powers.discard_draft(power_list, staff_user)
    second = powers.publish(power_list, staff_user, label="2026年第1次调整")
    page = client.get(reverse("public:edition", args=[second.pk])).content.decode()
    assert "本次动态调整 1 项" in page and "待审核的调整事项" in page and "待审理由" in page
    dept_page = client.get(reverse("public:department", args=["DEPTA"])).content.decode()
    assert "2026年第1次调整" in dept_page and "2025年版" in dept_page
    draft = make_power_list(power_list.department, [], status="draft", label="新草稿")[1]
    assert client.get(reverse("public:edition", args=[draft.pk])).status_code == 404


def test_department_page_shows_mandate_but_never_staffing(client, world):
    page = client.get(reverse("public:department", args=["DEPTA"])).content.decode()
    assert "负责公开的主要职责。" in page and "公开的分工内容" in page and "公开的内设机构" in page
    assert "987" not in page and "编制" not in page.replace("人员编制规定", "")
    assert client.get(reverse("public:department", args=["DEPTB"])).status_code == 404


def test_xlsx_download_of_a_departments_published_list(client, world):
    response = client.get(reverse("public:department-xlsx", args=["DEPTA"]))
    assert response.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert [r[0] for r in rows[1:]] == ["XK-1", "CF-1"]
    assert client.get(reverse("public:department-xlsx", args=["DEPTB"])).status_code == 404


def test_published_matter_shows_matrix_unpublished_is_404(client, world):
    page = client.get(reverse("public:matter", args=["M-PUB"])).content.decode()
    assert "公开的事项" in page and "牵头" in page
    assert client.get(reverse("public:matter", args=["M-HIDDEN"])).status_code == 404
    assert "未公开的事项" not in client.get(reverse("public:matters")).content.decode()


def test_public_site_never_shows_unpublished_records_of_any_model(client, db):
    department = make_department("LEAKP", "泄漏部门")
    leak.populate(department, make_user("leak_p"), "未发布记录")
    for name in ("public:home", "public:items", "public:matters"):
        assert "未发布记录" not in client.get(reverse(name)).content.decode()
    assert client.get(reverse("public:department", args=["LEAKP"])).status_code == 404
    assert client.get(reverse("public:matter", args=["M-LEAKP"])).status_code == 404
    item = PowerItem.objects.get(department=department)
    assert client.get(reverse("public:item", args=[item.pk])).status_code == 404
    assert client.get(reverse("public:edition", args=[item.edition_id])).status_code == 404


def test_public_item_list_query_count_does_not_grow_with_rows(client, db):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("public:items")).status_code == 200
        return len(ctx)

    make_power_list(make_department("QA", "查询甲局"), [(f"A{i}", f"甲事项{i}", PowerType.PENALTY, "法") for i in range(3)])
    few = queries()
    for n in range(4):
        make_power_list(make_department(f"QB{n}", f"查询乙局{n}"),
                        [(f"B{i}", f"乙事项{i}", PowerType.OTHER, "法") for i in range(8)])
    assert queries() == few
