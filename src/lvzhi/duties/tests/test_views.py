"""权责清单 pages: lists, editions, items, import/export, statistics; scoping and query counts."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lvzhi.duties.models import PowerItem, PowerListEdition, PowerType
from lvzhi.testing import login, make_department

from .factories import csv_bytes, make_power_list, row, xlsx_bytes

ITEMS = [("XK-1", "甲的许可", PowerType.LICENSING, "《条例》第一条"), ("CF-1", "甲的处罚", PowerType.PENALTY, "无")]


@pytest.fixture
def lists(dept_a, dept_b):
    a, a_edition = make_power_list(dept_a, ITEMS)
    b, b_edition = make_power_list(dept_b, [("XK-1", "乙的许可", PowerType.LICENSING, "《条例》")])
    return a, a_edition, b, b_edition


def test_office_sees_every_list_liaison_only_its_own(client, lists, staff_user, dept_user):
    a, a_edition, b, b_edition = lists
    login(client, staff_user)
    page = client.get(reverse("duties:power-lists")).content.decode()
    assert "甲测试局" in page and "乙测试局" in page
    login(client, dept_user)
    page = client.get(reverse("duties:power-lists")).content.decode()
    assert "甲测试局" in page and "乙测试局" not in page
    assert client.get(reverse("duties:power-list", args=[a.pk])).status_code == 200
    for name, pk in [("duties:power-list", b.pk), ("duties:edition", b_edition.pk), ("duties:edition-diff", b_edition.pk),
                     ("duties:power-item", b_edition.items.get().pk)]:
        assert client.get(reverse(name, args=[pk])).status_code == 404, name
    items = client.get(reverse("duties:power-items")).content.decode()
    assert "甲的许可" in items and "乙的许可" not in items
    assert client.post(reverse("duties:power-discard-draft", args=[b.pk])).status_code == 404
    assert client.get(reverse("duties:power-publish", args=[a.pk])).status_code == 403


def test_liaison_imports_its_own_draft_through_the_page(client, lists, dept_user):
    login(client, dept_user)
    upload = SimpleUploadedFile("甲.xlsx", xlsx_bytes([row("XK-1", "DEPTA", "甲的许可（改）", "行政许可")]))
    response = client.post(reverse("duties:power-import"), {"file": upload, "label": "2026年版"})
    assert response.status_code == 200, response.content.decode()
    assert "新增 0 条，更新 1 条" in response.content.decode()
    draft = PowerListEdition.objects.get(power_list=lists[0], status="draft")
    assert draft.label == "2026年版" and list(draft.items.values_list("name", flat=True)) == ["甲的许可（改）"]
    upload = SimpleUploadedFile("乙.csv", csv_bytes([row("XK-1", "DEPTB", "改乙", "行政许可")]))
    response = client.post(reverse("duties:power-import"), {"file": upload})
    assert response.status_code == 400 and "无权导入其他部门" in response.content.decode()
    assert not PowerListEdition.objects.filter(power_list=lists[2], status="draft").exists()


def test_import_page_rejects_a_file_that_is_not_a_table(client, lists, staff_user):
    login(client, staff_user)
    upload = SimpleUploadedFile("假的.xlsx", b"not a workbook at all")
    response = client.post(reverse("duties:power-import"), {"file": upload})
    assert response.status_code == 200 and "XLSX" in response.content.decode()
    assert not PowerListEdition.objects.filter(status="draft").exists()


def test_export_downloads_only_visible_lists(client, lists, dept_user):
    login(client, dept_user)
    assert client.get(reverse("duties:power-export")).status_code == 200  # the choice page
    response = client.get(reverse("duties:power-export"), {"department": "all"})
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert {r[1] for r in rows[1:]} == {"DEPTA"}
    assert client.get(reverse("duties:power-export"), {"department": "DEPTB"}).status_code == 404
    assert client.get(reverse("duties:power-export"), {"edition": lists[3].pk}).status_code == 404


def test_edition_page_filters_by_type_and_search(client, lists, staff_user):
    login(client, staff_user)
    url = reverse("duties:edition", args=[lists[1].pk])
    page = client.get(url, {"type": "penalty"}).content.decode()
    assert "甲的处罚" in page and "甲的许可" not in page
    assert "甲的许可" in client.get(url, {"q": "第一条"}).content.decode()


def test_stats_page_lists_missing_basis_and_duplicates(client, lists, staff_user, dept_user):
    make_power_list(make_department("DEPTC", "丙局"), [("Q", "甲的许可", PowerType.LICENSING, "《条例》")])
    login(client, staff_user)
    page = client.get(reverse("duties:power-stats")).content.decode()
    assert "无设定依据的事项（1 项）" in page and "多个部门同名的事项（1 个名称）" in page
    login(client, dept_user)
    assert client.get(reverse("duties:power-stats")).status_code == 403


def test_power_item_list_query_count_does_not_grow_with_rows(client, staff_user, db):
    login(client, staff_user)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("duties:power-items")).status_code == 200
        return len(ctx)

    make_power_list(make_department("QA", "甲"), [(f"A{i}", f"事项{i}", PowerType.OTHER, "法") for i in range(2)])
    few = queries()
    for n in range(3):
        make_power_list(make_department(f"QB{n}", f"乙{n}"), [(f"B{i}", f"乙{i}", PowerType.LEVY, "法") for i in range(6)])
    assert queries() == few
    assert PowerItem.objects.count() == 20


def test_power_list_index_query_count_does_not_grow_with_rows(client, staff_user, db):
    login(client, staff_user)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("duties:power-lists"))
        return len(ctx)

    make_power_list(make_department("QA", "甲"), ITEMS)
    few = queries()
    for n in range(4):
        make_power_list(make_department(f"QB{n}", f"乙{n}"), ITEMS)
    assert queries() == few


def test_lists_with_approved_adjustments_awaiting_publication(client, lists, staff_user):
    from lvzhi.duties.services import adjustments

    adj = adjustments.save_adjustment(staff_user, lists[0], {
        "kind": "add", "item_code": "QR-1", "type": "confirmation", "name": "新确认", "basis": "法", "reason": "r",
        "legal_basis": "l"})
    adjustments.transition(staff_user, adj, "submit")
    adjustments.transition(staff_user, adj, "approve")
    login(client, staff_user)
    page = client.get(reverse("duties:power-lists"), {"pending": "true"}).content.decode()
    assert "甲测试局" in page and "乙测试局" not in page
