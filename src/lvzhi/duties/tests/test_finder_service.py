"""The finder served from the database: page, public page, API, CLI, and index freshness."""

import csv
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from rest_framework.test import APIClient

from lvzhi.duties.models import Matter
from lvzhi.duties.whose import service
from lvzhi.org.models import Department
from lvzhi.testing import make_department, make_mandate

SAMPLE = Path(__file__).resolve().parents[5] / "shared" / "samples" / "finder-sample.tsv"
QUESTIONS = Path(__file__).resolve().parent / "finder_questions.tsv"


def labelled():
    rows = []
    for path in (SAMPLE, QUESTIONS):
        if path.exists():
            with open(path, encoding="utf-8") as fh:
                rows += [(r["code"], r["text"]) for r in csv.DictReader(fh, delimiter="\t")]
    return rows


@pytest.mark.django_db
def test_database_index_answers_labelled_questions(demo_city):
    rows = labelled()
    assert len(rows) >= 200
    top1 = top3 = 0
    for code, text in rows:
        found = [r["department"] for r in service.search(text, 3)["results"]]
        top1 += found[:1] == [code]
        top3 += code in found
    assert top1 / len(rows) >= 0.90, top1 / len(rows)
    assert top3 / len(rows) >= 0.97, top3 / len(rows)


@pytest.mark.django_db
def test_page_shows_department_evidence_and_lead(staff_client, demo_city):
    page = staff_client.get("/finder/", {"q": "小区楼下烧烤店油烟太大熏得没法开窗"}).content.decode()
    assert 'id="finder-results"' in page and "最可能" in page and "相关度" in page
    assert "/org/departments/" in page  # office users get links to the profiles


@pytest.mark.django_db
def test_public_page_needs_no_sign_in(demo_city):
    page = Client().get("/public/finder/", {"q": "楼上邻居每天半夜唱歌"}).content.decode()
    assert "示范市公安局" in page
    assert "/org/departments/" not in page


@pytest.mark.django_db
def test_duty_point_answer_names_lead_and_supporting_departments(demo_city):
    answer = service.search("公共停车场专项规划和建设工程规划许可", 3)
    best = answer["results"][0]
    assert best["evidence"][0]["kind"] == "duty_point"
    assert best["lead"] == "ZRZYJ" and "ZJJ" in best["support"]


@pytest.mark.django_db
def test_api_contract(staff_user, demo_city):
    api = APIClient()
    api.force_authenticate(staff_user)
    data = api.get("/api/finder/", {"q": "公司不给我们交社保", "limit": 2}).json()
    assert data["query"] == "公司不给我们交社保"
    assert len(data["results"]) == 2 and data["results"][0]["department"] == "RSJ"
    first = data["results"][0]
    assert set(first) >= {"department", "name", "score", "evidence"}
    assert set(first["evidence"][0]) == {"kind", "text", "ref"}
    assert first["evidence"][0]["kind"] in {"mandate_duty", "boundary_clause", "duty_point", "power_item", "unit_duty"}
    assert first["score"] >= data["results"][1]["score"]
    response = api.get("/api/finder/")
    assert response.status_code == 400 and "参数 q" in response.json()["detail"]
    assert api.get("/api/finder/", {"q": "x", "limit": 99}).status_code == 400
    assert APIClient().get("/api/finder/", {"q": "社保"}).status_code in (401, 403)


@pytest.mark.django_db
def test_nonsense_gets_no_answer_not_an_error(staff_user, demo_city):
    api = APIClient()
    api.force_authenticate(staff_user)
    assert api.get("/api/finder/", {"q": "！！！？？？"}).json()["results"] == []


@pytest.mark.django_db
def test_index_follows_data_changes(demo_city):
    assert not any(r["department"] == "ZOO" for r in service.search("独角兽饲养场", 5)["results"])
    zoo = make_department("ZOO", "示范市珍稀动物保护中心")
    make_mandate(zoo, duties=["负责独角兽饲养场的登记、巡查和独角兽疫病防控工作。"])
    assert service.search("独角兽饲养场", 1)["results"][0]["department"] == "ZOO"
    Matter.objects.filter(code="M-PARKING").update(published=False)
    service.invalidate()
    refs = [e["ref"] for r in service.search("公共停车场专项规划", 5)["results"] for e in r["evidence"]]
    assert not any(ref.startswith("停车场建设管理") for ref in refs)


@pytest.mark.django_db
def test_cli_prints_one_json_object_per_input(demo_city, tmp_path, capsys):
    call_command("whose", "菜市场的秤缺斤短两", "--json")
    line = json.loads(capsys.readouterr().out.strip())
    assert line["query"] == "菜市场的秤缺斤短两" and line["results"][0]["department"] == "SCJGJ"
    path = tmp_path / "q.txt"
    path.write_text("想申请低保\n\n孩子户口迁移\n", encoding="utf-8")
    call_command("whose", "--file", str(path), "--json")
    out = [json.loads(line) for line in capsys.readouterr().out.strip().splitlines()]
    assert [o["query"] for o in out] == ["想申请低保", "孩子户口迁移"]
    call_command("whose", "想申请低保")
    assert "民政局" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("whose")
    bad = tmp_path / "gbk.txt"
    bad.write_bytes("低保".encode("gbk"))
    with pytest.raises(CommandError, match="UTF-8"):
        call_command("whose", "--file", str(bad))


@pytest.mark.django_db
def test_department_liaison_can_ask_but_links_only_to_own_profile(demo_city):
    from lvzhi.core.roles import Role
    from lvzhi.testing import client_for, make_user

    user = make_user("finder_liaison", Role.DEPARTMENT, department=Department.objects.get(code="SCJGJ"))
    page = client_for(user).get("/finder/", {"q": "楼上邻居每天半夜唱歌"}).content.decode()
    assert "示范市公安局" in page and "/org/departments/GAJ/" not in page


@pytest.mark.django_db
def test_lead_and_support_show_for_departments_without_short_names(staff_client):
    from lvzhi.duties.tests.factories import make_matter
    from lvzhi.duties.whose.views import present

    lead = make_department("LEADX", "示范市殡葬管理局")  # no short names: the full names are shown
    support = make_department("SUPX", "示范市自然资源局")
    make_mandate(lead, duties=["负责殡葬管理。"])
    make_mandate(support, duties=["负责国土空间规划。"])
    make_matter("M-CEM", lead, [support], name="公墓建设管理",
                links=(("公墓选址", "公墓建设选址规划审查和公墓经营许可审批"),))
    answer = {"query": "q", "results": [{"department": "LEADX", "name": "示范市殡葬管理局", "score": 1.0,
                                         "evidence": [], "lead": "LEADX", "support": ["SUPX"]}]}
    [row] = present(answer)
    assert row["lead_label"] == "示范市殡葬管理局" and row["support_labels"] == ["示范市自然资源局"]

    page = staff_client.get("/finder/", {"q": "公墓建设选址规划审查"}).content.decode()
    assert '<span class="badge bg-success">牵头</span> 示范市殡葬管理局' in page
    assert '<span class="badge bg-secondary">配合</span> 示范市自然资源局' in page


@pytest.mark.django_db
def test_another_city_imported_through_import_org_is_answered_with_its_townships():
    from lvzhi.org.interchange import import_org_path

    import_org_path(Path(__file__).resolve().parent / "data" / "qinghe_city.yaml")
    service.invalidate()
    # a question naming the town goes to the town's own duty, the same question without it to the city
    assert service.search("禾西镇下面村里的垃圾好几天没人收，全堆在路口", 1)["results"][0]["department"] == "QH-Z-HX"
    assert service.search("村里的垃圾好几天没人收，全堆在路口", 1)["results"][0]["department"] == "QH-CGJ"
    # a 职责分工 clause owned by one department gives the part it credits to another to that one
    top = service.search("那家网吧里面好像有人聚在一起赌博，赌得挺大", 1)["results"][0]
    assert top["department"] == "QH-GAJ" and top["evidence"][0]["kind"] == "boundary_clause"
