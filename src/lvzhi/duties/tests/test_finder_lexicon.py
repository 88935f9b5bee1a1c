"""The finder's lexicon as a reference library (``lvzhi load-library``), and measuring the finder on
labelled questions (``lvzhi whose --file F --evaluate``)."""

import json

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.test import APIClient

from lvzhi.core import libraries
from lvzhi.core.libraries import library_path, read
from lvzhi.duties.models import FinderLexicon
from lvzhi.duties.whose import service

BUNDLED = library_path("finder_lexicon.yaml")
PHRASE = "独角兽闹腾"  # a word no lexicon and no 三定 knows


def bundled_version():
    return str(read(BUNDLED)["version"])


def office_file(tmp_path, version="2027.1", entries=None):
    data = read(BUNDLED)
    data["version"] = version
    data["domains"].append({"name": "本市补充", "entries": entries or [{"say": [PHRASE], "means": ["社会生活噪声"]}]})
    path = tmp_path / f"lexicon-{version}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.django_db
def test_bundled_lexicon_is_a_library(capsys):
    call_command("load-library", str(BUNDLED))
    out = capsys.readouterr().out
    assert "由尚未启用的模块使用" not in out
    assert f"职责查找词库 {bundled_version()}" in out and "新版本，已设为现行" in out
    row = FinderLexicon.current()
    assert row.version == bundled_version() and row.entries > 1500 and row.data["kind"] == "finder_lexicon"
    again = libraries.load([BUNDLED])
    assert "已更新，现行" in again[0] and FinderLexicon.objects.count() == 1
    # every bundled library file is loaded, the lexicon included
    assert any(line.startswith("finder_lexicon.yaml：职责查找词库") for line in libraries.load())


@pytest.mark.django_db
def test_office_lexicon_replaces_the_bundled_one_and_the_index_follows(demo_city, staff_user, tmp_path):
    libraries.load([BUNDLED])
    before = service.current_index()
    answer = service.search(PHRASE, 3)
    assert answer["results"] == [] and answer["lexicon"] == bundled_version()

    call_command("load-library", str(office_file(tmp_path)))
    assert FinderLexicon.current().version == "2027.1"
    assert service.current_index() is not before  # rebuilt on the next search after the load
    answer = service.search(PHRASE, 3)
    assert answer["lexicon"] == "2027.1" and answer["results"]
    assert any(e["kind"] == "boundary_clause" or "噪声" in e["text"] for e in answer["results"][0]["evidence"])
    api = APIClient()
    api.force_authenticate(staff_user)
    data = api.get("/api/finder/", {"q": PHRASE}).json()
    assert data["lexicon"] == "2027.1" and data["results"][0]["department"] == answer["results"][0]["department"]

    # loading the bundled version again updates it without taking "current" back
    assert "已更新，非现行" in libraries.load([BUNDLED])[0]
    assert service.search(PHRASE, 1)["lexicon"] == "2027.1"
    # a changed entry of the current version takes effect too
    call_command("load-library", str(office_file(tmp_path, entries=[{"say": ["别的说法"], "means": ["社会生活噪声"]}])))
    assert service.search(PHRASE, 3)["results"] == []


@pytest.mark.django_db
def test_reloading_the_bundled_libraries_keeps_the_office_lexicon(tmp_path):
    call_command("load-library", str(office_file(tmp_path)))
    line = libraries.load([BUNDLED])[0]
    assert "新版本，未设为现行（现行的是编办载入的 2027.1）" in line
    assert FinderLexicon.current().version == "2027.1" and not FinderLexicon.current().bundled
    assert FinderLexicon.objects.get(version=bundled_version()).bundled
    # a newer office file still takes over
    call_command("load-library", str(office_file(tmp_path, version="2027.2")))
    assert FinderLexicon.current().version == "2027.2"


@pytest.mark.django_db
@pytest.mark.parametrize("entries,message", [
    ([{"say": ["甲"]}], "领域“本市补充”第 1 条：say 和 means 都不能为空"),
    ([{"say": ["甲"], "means": ["乙"], "weight": 0}], "领域“本市补充”第 1 条：weight 应为 0 到 1 之间的数"),
])
def test_a_bad_lexicon_is_refused_and_nothing_changes(tmp_path, entries, message):
    libraries.load([BUNDLED])
    with pytest.raises(CommandError, match=f"文件 lexicon-2027.1.yaml：{message}"):
        call_command("load-library", str(office_file(tmp_path, entries=entries)))
    assert list(FinderLexicon.objects.values_list("version", "is_current")) == [(bundled_version(), True)]


LABELLED = (
    "id\tcode\tkind\ttext\n"
    "q1\tRSJ\tclear\t老板拖欠了三个月工资不发\n"
    "q2\tGAJ\tclear\t楼上邻居每天半夜开音响唱歌\n"
    "q3\tMZJ\tboundary\t家里困难想申请低保\n"
)


@pytest.mark.django_db
def test_whose_evaluate_measures_top1_and_top3(demo_city, tmp_path, capsys):
    path = tmp_path / "questions.tsv"
    path.write_text(LABELLED, encoding="utf-8")
    call_command("whose", "--file", str(path), "--evaluate")
    out = capsys.readouterr().out
    assert "共 3 题：top-1 100.0%，top-3 100.0%" in out and f"词库版本 {bundled_version()}" in out
    assert "clear：2 题" in out and "boundary：1 题" in out

    # a question labelled with another department counts as a miss and is listed
    path.write_text(LABELLED.replace("q3\tMZJ", "q3\tJTJ"), encoding="utf-8")
    call_command("whose", "--file", str(path), "--evaluate", "--json")
    result = json.loads(capsys.readouterr().out)
    assert result["n"] == 3 and result["top1"] == pytest.approx(2 / 3)
    assert result["misses"][0]["id"] == "q3" and result["misses"][0]["expected"] == "JTJ"
    assert result["by_kind"]["clear"]["top1"] == 1.0 and result["lexicon"] == bundled_version()
    call_command("whose", "--file", str(path), "--evaluate", "--misses")
    assert "未排第一 q3：应为 JTJ" in capsys.readouterr().out


@pytest.mark.django_db
@pytest.mark.parametrize("text,message", [
    ("id\tdepartment\ttext\nq1\tRSJ\t欠薪\n", "表头缺少列：code"),
    (LABELLED + "q4\tZOO\tclear\t独角兽饲养\n", "第 5 行：部门编码 ZOO 不在已加载的部门中"),
    (LABELLED + "q4\tRSJ\tclear\t\n", "第 5 行：text 为空"),
])
def test_whose_evaluate_refuses_a_bad_question_file(demo_city, tmp_path, text, message):
    path = tmp_path / "questions.tsv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command("whose", "--file", str(path), "--evaluate")
    with pytest.raises(CommandError, match="--file"):
        call_command("whose", "--evaluate")
