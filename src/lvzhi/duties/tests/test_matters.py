"""职责边界清单: the matrix, and office editing of matters, links and duty points."""

import pytest
from django.urls import reverse

from lvzhi.duties.models import DutyPoint, Matter, MatterLink, PowerType
from lvzhi.duties.services import matters as services
from lvzhi.duties.views.matters import matter_queryset
from lvzhi.org.models import Department
from lvzhi.testing import login, make_mandate

from .factories import make_matter, make_power_list


def test_matrix_marks_lead_support_and_both(dept_a, dept_b, db):
    from lvzhi.testing import make_department

    dept_c = make_department("DEPTC", "丙局")
    matter = make_matter("M-X", dept_a, [dept_b], links=(("规划", "职责一"), ("执法", "职责二")))
    second = matter.links.get(position=2)
    point = DutyPoint.objects.create(link=second, position=2, text="职责三", lead=dept_b)
    point.support.set([dept_a, dept_c])
    matrix = services.matrix(matter_queryset().get(pk=matter.pk))
    assert [d.code for d in matrix.columns] == ["DEPTA", "DEPTB", "DEPTC"]
    assert [[c.mark for c in cells] for _, cells in matrix.rows] == [
        ["牵头", "配合", ""], ["牵头/配合", "牵头/配合", "配合"]]
    assert matrix.lead_totals == [2, 1, 0] and matrix.points == 3


def test_office_creates_matter_link_and_point_citing_a_mandate_duty(client, staff_user, dept_a, dept_b):
    make_mandate(dept_a, duties=("负责甲工作。", "负责停车场行业管理。"))
    login(client, staff_user)
    response = client.post(reverse("duties:matter-create"),
                           {"code": "M-NEW", "name": "新事项", "description": "", "position": 1})
    assert response.status_code == 302
    matter = Matter.objects.get(code="M-NEW")
    assert not matter.published  # a new matter starts unpublished
    client.post(reverse("duties:link-create", args=["M-NEW"]), {"name": "运营监管"})
    link = MatterLink.objects.get(matter=matter)
    response = client.post(reverse("duties:point-create", args=[link.pk]), {
        "text": "负责公共停车场行业管理", "lead": dept_a.pk, "support": [dept_b.pk],
        "basis_kind": "mandate_duty", "basis_ref": "2", "basis": ""})
    assert response.status_code == 302, response.content.decode()
    point = DutyPoint.objects.get(link=link)
    assert point.basis_duty.number == 2 and list(point.support.all()) == [dept_b]
    page = client.get(matter.get_absolute_url()).content.decode()
    assert "主要职责第2项" in page and "牵头" in page


def test_point_basis_can_cite_a_power_item_and_bad_references_are_refused(client, staff_user, dept_a):
    make_power_list(dept_a, [("CF-7", "对乱停车的处罚", PowerType.PENALTY, "《条例》")])
    matter = make_matter("M-P", dept_a)
    link = matter.links.get()
    login(client, staff_user)
    url = reverse("duties:point-create", args=[link.pk])
    bad = client.post(url, {"text": "t", "lead": dept_a.pk, "basis_kind": "power_item", "basis_ref": "CF-404"})
    assert bad.status_code == 400 and "没有职权编码 CF-404" in bad.content.decode()
    both = client.post(url, {"text": "t", "lead": dept_a.pk, "support": [dept_a.pk], "basis": "法"})
    assert both.status_code == 400 and "牵头部门不能同时是配合部门" in both.content.decode()
    empty = client.post(url, {"text": "t", "lead": dept_a.pk})
    assert empty.status_code == 400
    ok = client.post(url, {"text": "查处乱停车", "lead": dept_a.pk, "basis_kind": "power_item", "basis_ref": "CF-7"})
    assert ok.status_code == 302
    assert DutyPoint.objects.get(text="查处乱停车").basis_item.code == "CF-7"


def test_editing_a_point_keeps_input_on_conflict(client, staff_user, dept_a):
    matter = make_matter("M-C", dept_a)
    point = DutyPoint.objects.get(link__matter=matter)
    login(client, staff_user)
    url = reverse("duties:point-edit", args=[point.pk])
    data = {"text": "第一次修改", "lead": dept_a.pk, "basis": "法", "expected_version": point.version}
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "text": "第二次修改"})
    assert response.status_code == 409 and "第二次修改" in response.content.decode()
    assert DutyPoint.objects.get(pk=point.pk).text == "第一次修改"


def test_links_and_points_reorder_and_delete(client, staff_user, dept_a):
    matter = make_matter("M-R", dept_a, links=(("一", "a"), ("二", "b"), ("三", "c")))
    login(client, staff_user)
    third = matter.links.get(name="三")
    client.post(reverse("duties:link-action", args=[third.pk]), {"op": "up"})
    assert list(matter.links.order_by("position").values_list("name", flat=True)) == ["一", "三", "二"]
    client.post(reverse("duties:link-action", args=[third.pk]), {"op": "delete"})
    assert list(matter.links.values_list("name", flat=True)) == ["一", "二"]
    client.post(reverse("duties:matter-publish", args=["M-R"]), {"published": "0"})
    assert not Matter.objects.get(code="M-R").published


def test_liaison_sees_matters_it_takes_part_in_but_cannot_edit(client, dept_user, dept_a, dept_b):
    mine = make_matter("M-MINE", dept_a)
    theirs = make_matter("M-THEIRS", dept_b)
    login(client, dept_user)
    assert client.get(mine.get_absolute_url()).status_code == 200
    assert client.get(theirs.get_absolute_url()).status_code == 404
    assert client.get(reverse("duties:matter-edit", args=["M-MINE"])).status_code == 403
    assert client.post(reverse("duties:matter-publish", args=["M-MINE"]), {"published": "0"}).status_code == 404
    link = mine.links.get()
    assert client.post(reverse("duties:link-action", args=[link.pk]), {"op": "delete"}).status_code == 404
    assert MatterLink.objects.filter(pk=link.pk).exists()


@pytest.mark.django_db
def test_demo_city_has_the_six_required_matters_fully_worked(demo_city):
    required = ["停车场建设管理", "集贸市场审批监管", "农村宅基地管理", "相对集中行政处罚权案件移送", "餐饮油烟污染治理",
                "住宅小区物业管理"]
    for name in required:
        matter = Matter.objects.get(name=name)
        links = matter.links.all()
        assert links.count() >= 3, name
        points = DutyPoint.objects.filter(link__matter=matter)
        assert points.count() >= 5 and points.exclude(basis="").count() == points.count(), name
        departments = set(points.values_list("lead", flat=True)) | set(points.values_list("support", flat=True))
        assert len(departments - {None}) >= 3, name
    assert Department.objects.filter(led_points__link__matter__name="停车场建设管理").exists()
