"""Department pages: list, profile, editing with versions and conflicts."""

import pytest
from django.urls import reverse

from lvzhi.core.roles import Role
from lvzhi.org.models import Department, Mandate, StaffingActual
from lvzhi.testing import login, make_department, make_user


@pytest.mark.django_db
def test_department_list_filters_and_search(staff_client, demo_city):
    url = reverse("org:departments")
    page = staff_client.get(url, {"category": "economic"}).content.decode()
    assert "示范市发展和改革委员会" in page and "示范市公安局" not in page
    page = staff_client.get(url, {"q": "公安"}).content.decode()
    assert "示范市公安局" in page and "示范市财政局" not in page
    page = staff_client.get(url, {"assessed": "false", "kind": "township"}).content.decode()
    assert "柳庄镇" in page and "示范市财政局" not in page
    parent = Department.objects.get(code="DCQ")
    page = staff_client.get(url, {"parent": parent.pk}).content.decode()
    assert "东关街道" in page and "示范市财政局" not in page


@pytest.mark.django_db
def test_profile_shows_numbered_duties_clauses_units_and_staffing_marks(staff_client, demo_city):
    page = staff_client.get(reverse("org:department", args=["CGJ"])).content.decode()
    mandate = Mandate.objects.get(department__code="CGJ", is_current=True)
    assert mandate.duties.get(number=1).text in page
    assert 'id="duty-3"' in page
    clause = mandate.boundaries.first()
    assert clause.text in page
    other = clause.others.first()
    assert reverse("org:department", args=[other.code]) in page
    assert mandate.units.first().name in page
    assert "超编" in page  # CGJ is over-staffed in the demo city
    assert "空编" in staff_client.get(reverse("org:department", args=["YJJ"])).content.decode()


@pytest.mark.django_db
def test_department_user_sees_only_its_own_profile(client, demo_city):
    user = make_user("liaison", Role.DEPARTMENT, department=Department.objects.get(code="SCJGJ"))
    login(client, user)
    assert client.get(reverse("org:department", args=["SCJGJ"])).status_code == 200
    assert client.get(reverse("org:department", args=["RSJ"])).status_code == 404
    page = client.get(reverse("org:departments")).content.decode()
    assert "示范市市场监督管理局" in page and "示范市人力资源和社会保障局" not in page
    # Named in a clause but not visible: shown as text, not as a link.
    profile = client.get(reverse("org:department", args=["SCJGJ"])).content.decode()
    assert reverse("org:department", args=["NYNCJ"]) not in profile
    # A unit under the department is visible to its liaison.
    assert client.get(reverse("org:department", args=["SCJGJ-KFQ"])).status_code == 200


@pytest.mark.django_db
def test_office_creates_and_edits_department(staff_client):
    response = staff_client.post(reverse("org:department-create"), {
        "code": "NEW1", "name": "新建局", "short_name": "", "kind": "government", "category": "economic",
        "position": 5})
    assert response.status_code == 302
    dep = Department.objects.get(code="NEW1")
    assert dep.created_by is not None
    response = staff_client.post(reverse("org:department-edit", args=["NEW1"]), {
        "code": "NEW1", "name": "新建局（改）", "kind": "government", "category": "economic", "position": 5,
        "expected_version": dep.version})
    assert response.status_code == 302
    assert Department.objects.get(code="NEW1").name == "新建局（改）"


@pytest.mark.django_db
def test_second_save_of_same_version_gets_conflict_and_keeps_input(staff_client, dept_a):
    url = reverse("org:department-edit", args=[dept_a.code])
    base = {"code": dept_a.code, "kind": "government", "category": "other", "position": 0,
            "expected_version": dept_a.version}
    assert staff_client.post(url, {**base, "name": "第一人的修改"}).status_code == 302
    response = staff_client.post(url, {**base, "name": "第二人的修改"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "已被他人" in page and "第二人的修改" in page
    assert Department.objects.get(pk=dept_a.pk).name == "第一人的修改"


@pytest.mark.django_db
def test_invalid_department_code_is_refused(staff_client):
    response = staff_client.post(reverse("org:department-create"), {
        "code": "坏 编码", "name": "x", "kind": "government", "category": "economic", "position": 0})
    assert response.status_code == 200
    assert "部门编码只能由" in response.content.decode()
    assert not Department.objects.filter(name="x").exists()


def mandate_post(title="新三定", doc_no="示办发〔2026〕1号", duties="负责一。\n负责二。\n负责三。", version=None, **extra):
    data = {
        "title": title, "doc_no": doc_no, "issued": "2026-01-05", "note": "", "duties": duties,
        "administrative": 30, "public_institution": "", "service": 2, "leader_head": 1, "leader_deputy": 3,
        "leader_other": "",
        "clauses-TOTAL_FORMS": 1, "clauses-INITIAL_FORMS": 0, "clauses-0-topic": "分工", "clauses-0-text": "甲负责……",
        "units-TOTAL_FORMS": 1, "units-INITIAL_FORMS": 0, "units-0-name": "办公室", "units-0-duties": "负责运转。",
    }
    if version is not None:
        data["expected_version"] = version
    data.update(extra)
    return data


@pytest.mark.django_db
def test_new_mandate_version_supersedes_old_which_stays_readable(staff_client, dept_a):
    url = reverse("org:mandate-edit", args=[dept_a.code])
    assert staff_client.post(url, mandate_post(title="第一版")).status_code == 302
    first = Mandate.objects.get(department=dept_a)
    assert first.duties.count() == 3 and first.staffing.administrative == 30
    assert staff_client.post(url + "?new=1", mandate_post(title="第二版", duties="负责新一。")).status_code == 302
    first.refresh_from_db()
    second = Mandate.objects.get(department=dept_a, is_current=True)
    assert second.title == "第二版" and not first.is_current and first.superseded_by == second
    page = staff_client.get(reverse("org:mandate", args=[first.pk])).content.decode()
    assert "第一版" in page and "已被替代" in page and "负责二。" in page
    profile = staff_client.get(reverse("org:department", args=[dept_a.code])).content.decode()
    assert "第二版" in profile and "历史版本" in profile


@pytest.mark.django_db
def test_concurrent_mandate_corrections_conflict(staff_client, dept_a):
    url = reverse("org:mandate-edit", args=[dept_a.code])
    staff_client.post(url, mandate_post(title="原版"))
    version = Mandate.objects.get(department=dept_a).version
    assert staff_client.post(url, mandate_post(title="甲改", version=version)).status_code == 302
    response = staff_client.post(url, mandate_post(title="乙改", version=version))
    assert response.status_code == 409
    assert "乙改" in response.content.decode()
    assert Mandate.objects.get(department=dept_a).title == "甲改"


@pytest.mark.django_db
def test_department_user_cannot_edit_mandates_or_departments(dept_client, dept_a):
    assert dept_client.get(reverse("org:mandate-edit", args=[dept_a.code])).status_code == 403
    assert dept_client.post(reverse("org:mandate-edit", args=[dept_a.code]), mandate_post()).status_code == 403
    assert not Mandate.objects.exists()
    assert dept_client.post(reverse("org:department-create"), {"code": "X1", "name": "x"}).status_code == 403


@pytest.mark.django_db
def test_leader_reads_but_cannot_edit(client, dept_a, leader_user):
    login(client, leader_user)
    assert client.get(reverse("org:department", args=[dept_a.code])).status_code == 200
    assert client.get(reverse("org:department-edit", args=[dept_a.code])).status_code in (403, 404)


@pytest.mark.django_db
def test_office_records_people_in_post(staff_client, dept_a):
    response = staff_client.post(reverse("org:staffing-create", args=[dept_a.code]), {
        "as_of": "2026-10-01", "administrative": 12, "leader_head": 1})
    assert response.status_code == 302
    assert StaffingActual.objects.get(department=dept_a).administrative == 12


@pytest.mark.django_db
def test_org_import_page_reports_errors_and_success(client, admin_user, staff_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(client, staff_user)
    assert client.get(reverse("org:import")).status_code == 403
    login(client, admin_user)
    bad = SimpleUploadedFile("bad.yaml", "format: lvzhi.org/1\ndepartments:\n  - code: A1\n".encode())
    response = client.post(reverse("org:import"), {"file": bad})
    page = response.content.decode()
    assert response.status_code == 400 and "文件 bad.yaml" in page and "字段“name”" in page
    assert not Department.objects.exists()
    good = SimpleUploadedFile("good.yaml", (
        "format: lvzhi.org/1\ndepartments:\n  - {code: A1, name: 甲, kind: government, category: other}\n").encode())
    page = client.post(reverse("org:import"), {"file": good}).content.decode()
    assert "导入完成" in page and Department.objects.filter(code="A1").exists()
    binary = SimpleUploadedFile("org.pdf", b"%PDF-1.4 binary")
    page = client.post(reverse("org:import"), {"file": binary}).content.decode()
    assert "类型不受支持" in page


@pytest.mark.django_db
def test_org_export_download_for_office(staff_client, dept_client, demo_city):
    response = staff_client.get(reverse("org:export"))
    assert response.status_code == 200 and "lvzhi.org/1" in response.content.decode()
    assert dept_client.get(reverse("org:export")).status_code == 403


@pytest.mark.django_db
def test_department_list_query_count_is_constant(staff_client, django_assert_max_num_queries):
    for i in range(5):
        make_department(parent=None)
    with django_assert_max_num_queries(20) as small:
        staff_client.get(reverse("org:departments"))
    parent = make_department()
    for i in range(40):
        make_department(parent=parent)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as large:
        staff_client.get(reverse("org:departments"))
    assert len(large.captured_queries) == len(small.captured_queries)
