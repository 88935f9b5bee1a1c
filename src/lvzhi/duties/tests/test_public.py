"""The public site under /public/: no sign-in, published data only, never staffing."""

import io
import re

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
    """The leak walker's records of a department: its current 三定 is public, nothing else is.
    (tests/test_isolation.py leaves the public site to this test: it is the same for everyone.)"""
    from lvzhi.org.tests import leak as org_leak

    department = make_department("LEAKP", "泄漏部门")
    org_leak.populate(department, make_user("leak_o"), "未发布记录")
    leak.populate(department, make_user("leak_p"), "未发布记录")
    hidden = ("未发布记录旧三定", "未发布记录草稿版", "未发布记录许可", "未发布记录处罚", "未发布记录事项",
              "未发布记录环节", "未发布记录颗粒点", "未发布记录任务", "未发布记录情况说明", "未发布记录佐证")
    pages = {name: client.get(reverse(name)).content.decode() for name in ("public:home", "public:items", "public:matters")}
    page = client.get(reverse("public:department", args=["LEAKP"]))
    assert page.status_code == 200
    pages["department"] = page.content.decode()
    assert "未发布记录三定规定" in pages["department"] and "负责未发布记录相关工作。" in pages["department"]
    assert "泄漏部门" in pages["public:home"]
    for name, text in pages.items():
        assert not [h for h in hidden if h in text], name
    assert "编制" not in pages["department"]
    assert client.get(reverse("public:department-xlsx", args=["LEAKP"])).status_code == 404
    assert client.get(reverse("public:matter", args=["M-LEAKP"])).status_code == 404
    item = PowerItem.objects.get(department=department)
    assert client.get(reverse("public:item", args=[item.pk])).status_code == 404
    assert client.get(reverse("public:edition", args=[item.edition_id])).status_code == 404


def test_every_department_with_a_current_mandate_has_a_public_page(client, db):
    only_mandate = make_department("SDONLY", "只有三定的局")
    mandate = make_mandate(only_mandate, duties=("负责全市殡葬事务管理。",), doc_no="示办发〔2019〕8号")
    mandate.boundaries.create(position=1, topic="殡葬设施", text="与自然资源部门的分工")
    mandate.units.create(position=1, name="殡葬管理科", duties="承担殡葬改革工作")
    StaffingQuota.objects.create(mandate=mandate, administrative=654, leader_head=1)
    superseded = make_department("SDOLD", "三定已废止的局")
    make_mandate(superseded, duties=("旧职责。",), is_current=False)
    nothing = make_department("SDNONE", "什么都没有的局")

    home = client.get(reverse("public:home")).content.decode()
    assert reverse("public:department", args=["SDONLY"]) in home
    assert "三定已废止的局" not in home and "什么都没有的局" not in home
    page = client.get(reverse("public:department", args=["SDONLY"])).content.decode()
    for text in ("负责全市殡葬事务管理。", "与自然资源部门的分工", "殡葬管理科", "承担殡葬改革工作", "示办发〔2019〕8号",
                 "尚未公开权责清单"):
        assert text in page
    assert "654" not in page and "编制" not in page
    for department in (superseded, nothing):
        assert client.get(reverse("public:department", args=[department.code])).status_code == 404


def test_public_finder_links_answers_to_public_department_pages(client, db):
    department = make_department("MZJ", "示范民政局")
    make_mandate(department, duties=("负责全市殡葬事务管理，推进殡葬改革。",))
    other = make_department("WSJ", "示范卫生局")
    make_mandate(other, duties=("负责医疗机构执业监督管理。",))
    page = client.get(reverse("public:public-search"), {"q": "殡葬改革归哪个部门管"}).content.decode()
    assert 'id="finder-results"' in page and "示范民政局" in page
    assert f'href="{reverse("public:department", args=["MZJ"])}"' in page
    assert "/org/departments/" not in page
    assert client.get(reverse("public:department", args=["MZJ"])).status_code == 200


SEARCHED = [("XK-10", "食品生产经营许可", PowerType.LICENSING, "《中华人民共和国食品安全法》第三十五条"),
            ("XK-11", "药品生产许可", PowerType.LICENSING, "《中华人民共和国药品管理法》第四十一条"),
            ("CF-10", "对生产经营不符合食品安全标准的食品的处罚", PowerType.PENALTY, "《中华人民共和国食品安全法》"),
            ("JC-10", "食品生产经营监督检查", PowerType.INSPECTION, "《中华人民共和国食品安全法》第一百一十条"),
            ("XK-12", "建筑垃圾处置核准", PowerType.LICENSING, "《城市建筑垃圾管理规定》第七条"),
            ("XK-13", "娱乐场所经营许可", PowerType.LICENSING, "《娱乐场所管理条例》第九条")]


def found(client, q, **params):
    """The codes of the items listed for ``q``, in order."""
    response = client.get(reverse("public:items"), {"q": q, **params})
    return re.findall(r'<tr><td class="text-nowrap">([^<]+)</td>', response.content.decode())


def test_chinese_search_segments_the_query_and_ranks_the_closest_name_first(client, dept_a):
    make_power_list(dept_a, SEARCHED)
    # 食品生产许可 is not a substring of any item: the words 食品 + 生产 + 许可 are.
    codes = found(client, "食品生产许可")
    assert codes[0] == "XK-10" and "XK-11" not in codes and "XK-12" not in codes
    assert found(client, "食品生产经营许可")[0] == "XK-10"
    assert found(client, "食品 监督检查") == ["JC-10"]
    assert found(client, "建筑垃圾处置") == ["XK-12"]
    assert found(client, "娱乐场所许可证") == ["XK-13"]  # 许可证 matches through 许可
    assert found(client, "食品安全法第三十五条") == ["XK-10"]  # the basis is searched too
    assert found(client, "XK-11") == ["XK-11"]  # a power code
    assert found(client, "怎么办理药品生产许可")[0] == "XK-11"  # question words are ignored
    # Three of four words are enough for a long query; the item with all four comes first.
    assert found(client, "食品生产经营许可条件")[:1] == ["XK-10"]
    assert found(client, "殡葬") == []
    assert found(client, "食品", type="penalty") == ["CF-10"]


def test_search_costs_the_same_queries_however_many_items_match(client, db):
    def queries(q):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("public:items"), {"q": q}).status_code == 200
        return len(ctx)

    make_power_list(make_department("QS", "检索甲局"), SEARCHED)
    few = queries("食品生产许可"), queries("对生产经营不符合食品安全标准食品处罚条件")
    for n in range(3):
        make_power_list(make_department(f"QS{n}", f"检索乙局{n}"), SEARCHED + [
            (f"F-{i}", f"食品生产许可事项{i}", PowerType.LICENSING, "法") for i in range(10)])
    assert (queries("食品生产许可"), queries("对生产经营不符合食品安全标准食品处罚条件")) == few


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
