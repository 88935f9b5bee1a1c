"""Tests of the 职责查找 finder engine (pure Python: no database, no Django needed).

Run alone:
  cd /work/main && .venv/bin/python -m pytest -p no:django --noconftest -q -c /dev/null \
      --rootdir=/work/main src/lvzhi/duties/tests/test_finder_engine.py
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from lvzhi.duties.finder import (
    DEFAULT_LEXICON,
    Doc,
    FinderIndex,
    Lexicon,
    docs_from_org,
    level_priors,
    org_department_meta,
)
from lvzhi.duties.finder.docs import AliasMatcher, attribute_boundary, department_aliases
from lvzhi.duties.finder.engine import FinderParams
from lvzhi.duties.finder.evaluate import evaluate, load_questions, parse_questions
from lvzhi.duties.finder.lexicon import LexiconError

HERE = Path(__file__).resolve().parent
LIBRARIES = HERE.parents[1] / "libraries"
DEMO = LIBRARIES / "demo_city.yaml"
QUESTIONS = HERE / "finder_questions.tsv"
# A second, independently written fictional city (different codes, wording and splits of work:
# 水务局 runs water supply, 综合行政执法局 instead of 城市管理局, 文化广电和旅游体育局, 大数据中心)
# with 240 citizen questions written without seeing its texts: the finder was not tuned on it.
LINHE = HERE / "data" / "linhe_city.yaml"
LINHE_QUESTIONS = HERE / "data" / "linhe_questions.tsv"
SAMPLE_CANDIDATES = [
    HERE.parents[4].parent / "shared/samples/finder-sample.tsv",  # /work/shared next to /work/main
    Path("/work/shared/samples/finder-sample.tsv"),
]


@pytest.fixture(scope="module")
def demo():
    return yaml.safe_load(DEMO.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def index(demo):
    docs, departments = docs_from_org(demo)
    return FinderIndex.build(
        docs, departments, Lexicon.load(), priors=level_priors(org_department_meta(demo))
    )


@pytest.fixture(scope="module")
def linhe():
    data = yaml.safe_load(LINHE.read_text(encoding="utf-8"))
    docs, departments = docs_from_org(data)
    return FinderIndex.build(
        docs, departments, Lexicon.load(), priors=level_priors(org_department_meta(data))
    )


def _sample():
    for p in SAMPLE_CANDIDATES:
        if p.exists():
            return load_questions(p)
    return None


# ------------------------------------------------------------------------------------ documents


def test_docs_from_org_kinds_and_shapes(demo):
    docs, departments = docs_from_org(demo)
    assert len(departments) == len(demo["departments"])
    kinds = {d.kind for d in docs}
    assert {"mandate_duty", "boundary_clause", "duty_point", "unit_duty"} <= kinds
    for d in docs:
        assert d.department in departments
        assert d.text and d.ref
        if d.kind == "duty_point":
            assert d.lead == d.department
            assert all(s in departments for s in d.support)
            assert "·" in d.ref
        if d.kind == "boundary_clause":
            assert d.ref.startswith("职责分工")
            assert d.department not in d.others
        if d.kind == "mandate_duty":
            assert d.ref.startswith("三定第") and d.ref.endswith("项")
    # boiler-plate "完成…交办的其他任务" is not evidence
    assert not any("交办的其他任务" in d.text and len(d.text) < 40 for d in docs)


def test_power_items_are_optional_docs(demo):
    data = copy.deepcopy(demo)
    data["power_items"] = [
        {"code": "P1", "department": "SCJGJ", "type": "行政处罚", "name": "对销售不合格食盐的处罚", "sub_item": ""}
    ]
    docs, _ = docs_from_org(data)
    power = [d for d in docs if d.kind == "power_item"]
    assert len(power) == 1 and power[0].department == "SCJGJ"
    assert power[0].ref == "行政处罚：对销售不合格食盐的处罚"


def test_doc_rejects_unknown_kind():
    with pytest.raises(ValueError):
        Doc("X", "rumour", "text", "ref")


def test_boundary_clause_is_credited_to_the_named_subject():
    aliases = {}
    for code, name in [("NY", "示范市农业农村局"), ("SJ", "示范市市场监督管理局"), ("CG", "示范市城市管理局（示范市综合行政执法局）")]:
        for a in department_aliases(code, name, None, "示范市"):
            aliases[a] = code
    m = AliasMatcher(aliases)
    text = (
        "与市市场监督管理局的有关职责分工。市农业农村局负责食用农产品进入批发市场前的质量安全监督管理；"
        "食用农产品进入批发、零售市场后，由市市场监督管理局监督管理。"
        "市城市管理局（市综合行政执法局）负责查处占道经营。两部门要建立衔接机制。"
    )
    parts = dict(attribute_boundary(text, m))
    assert set(parts) == {"NY", "SJ", "CG"}
    assert "进入批发市场前" in parts["NY"]
    assert "由市市场监督管理局监督管理" in parts["SJ"] and "零售市场后" in parts["SJ"]
    assert "占道经营" in parts["CG"]
    assert not any("两部门" in t for t in parts.values())
    # generic forms of a department's name are understood too
    assert m.match_at("农业农村部门负责", 0)[1] == ("NY",)


# ------------------------------------------------------------------------------------ search


def test_results_ordering_and_evidence_shape(index):
    res = index.search("楼上邻居每天半夜开音响唱歌，说了好几次都不听", limit=5)
    assert 1 <= len(res) <= 5
    scores = [r.score for r in res]
    assert scores == sorted(scores, reverse=True)
    assert len({r.department for r in res}) == len(res)
    for r in res:
        assert isinstance(r.score, float) and r.score > 0
        assert r.name == index.departments[r.department]
        assert 1 <= len(r.evidence) <= 3
        for e in r.evidence:
            assert e.kind in {"mandate_duty", "boundary_clause", "duty_point", "power_item", "unit_duty"}
            assert e.text and e.ref
        d = r.to_dict()
        assert set(d) >= {"department", "name", "score", "evidence"}
        assert all(set(e) == {"kind", "text", "ref"} for e in d["evidence"])
        if r.lead is None:
            assert "lead" not in d and "support" not in d
    assert res[0].department == "GAJ"
    assert index.search("楼上邻居每天半夜开音响唱歌", limit=2).__len__() <= 2


def test_duty_point_match_reports_lead_and_support(index):
    res = index.search("小区停车场收费不明码标价，停两个小时收了五十块")
    top = res[0]
    assert top.department == "SCJGJ"
    assert top.evidence[0].kind == "duty_point"
    assert top.lead == "SCJGJ" and isinstance(top.support, list)
    d = top.to_dict()
    assert d["lead"] == "SCJGJ" and d["support"] == top.support
    # a point with supporting departments reports them
    res = index.search("餐饮店没装油烟净化器，油烟超标排放，谁来查处")
    r = next(r for r in res if r.evidence[0].kind == "duty_point" and r.support)
    assert r.lead == r.department and r.support


def test_boundary_clause_decides_between_two_departments(index):
    # 食用农产品: in the market → market supervision; on the farm → agriculture
    assert index.search("菜市场买的青菜农药超标，吃了头晕")[0].department == "SCJGJ"
    assert index.search("种植户在大棚里偷偷使用禁用的剧毒农药")[0].department == "NYNCJ"


def test_lexicon_expansion(index):
    lex = Lexicon.load(DEFAULT_LEXICON)
    assert len(lex) > 500
    entries = [e for e in lex.entries if "讨薪" in e.say]
    assert entries and "拖欠劳动报酬" in entries[0].means
    # the colloquial words never occur in the mandates; only the expansion can find the department
    q = "老板跑路了欠我三个月的钱"
    hits, _ = index._match_lexicon(q)
    assert any("拖欠劳动报酬" in index.lexicon.entries[k].means for k in hits)
    assert index.search(q)[0].department == "RSJ"
    bare = FinderIndex.build(index.docs, index.departments, Lexicon.empty())
    assert bare.search(q) == []
    # an expanded query carries the official terms
    terms = index.query_vector(q)
    assert index.word_vocab["劳动报酬"] in terms
    # fuzzy: the phrase's characters in order within a short window
    hits, _ = index._match_lexicon("老板不给发工资")
    assert any("拖欠劳动报酬" in index.lexicon.entries[k].means for k in hits)


def test_lexicon_file_header():
    data = yaml.safe_load(DEFAULT_LEXICON.read_text(encoding="utf-8"))
    assert data["kind"] == "finder_lexicon" and data["version"] and data["title"]
    assert len(data["domains"]) >= 30
    for d in data["domains"]:
        assert d["name"] and d["entries"]
        for e in d["entries"]:
            assert e["say"] and e["means"]
    lex = Lexicon.load()
    assert lex.version == str(data["version"]) and len(lex) > 1500
    assert {e.domain for e in lex.entries} == {d["name"] for d in data["domains"]}


@pytest.mark.parametrize("said,official", [
    ("老板不发工资", "拖欠劳动报酬"),
    ("楼下吵", "噪声"),
    ("办证", "登记"),
    ("办证", "许可"),
    ("摆摊", "占道经营"),
    ("健身卡办了没几天就跑路", "预付式消费"),
    ("漏水", "房屋"),
    ("漏水", "供水"),
])
def test_lexicon_maps_the_issue_examples(index, said, official):
    hits, _ = index._match_lexicon(said)
    assert any(official in m for k in hits for m in index.lexicon.entries[k].means), said


def test_lexicon_domains_add_their_terms_when_an_entry_matches(index):
    lex = Lexicon.from_data({"domains": [
        {"name": "劳动", "terms": ["劳动保障监察"], "entries": [{"say": ["讨薪"], "means": ["拖欠劳动报酬"]}]},
        {"name": "空", "entries": [{"say": ["摆摊"], "means": ["占道经营"]}]},
    ]})
    assert [e.domain for e in lex.entries] == ["劳动", "空"] and lex.domains == {"劳动": ["劳动保障监察"]}
    idx = FinderIndex.build(index.docs, index.departments, lex)
    term = idx.word_vocab["劳动保障监察"]
    assert term in idx.query_vector("讨薪") and term not in idx.query_vector("摆摊")
    off = FinderIndex.build(index.docs, index.departments, lex, params=FinderParams(domain_weight=0))
    assert term not in off.query_vector("讨薪")
    # the flat form (no domains) is still read
    flat = Lexicon.from_data({"kind": "finder_lexicon", "version": "1", "entries": [{"say": ["讨薪"], "means": ["欠薪"]}]})
    assert len(flat) == 1 and flat.entries[0].domain == "" and flat.version == "1"


@pytest.mark.parametrize("data,message", [
    ({"kind": "hotline_rules"}, "kind 应为 finder_lexicon"),
    ({"domains": {"a": 1}}, "domains 应为列表"),
    ({"domains": [{"name": "甲", "entries": [{"say": ["x"]}]}]}, "领域“甲”第 1 条：say 和 means 都不能为空"),
    ({"domains": [{"name": "甲", "entries": [{"say": ["x"], "means": ["y"], "weight": 2}]}]}, "weight 应为 0 到 1"),
    ({"domains": [{"name": "甲", "entries": []}, {"name": "甲", "entries": []}]}, "领域“甲”重复"),
    ({"domains": [{"name": "甲", "terms": "劳动", "entries": [{"say": [["x"]], "means": ["y"]}]}]}, "不是文字"),
])
def test_lexicon_errors_name_the_domain_and_entry(data, message):
    with pytest.raises(LexiconError, match=message):
        Lexicon.from_data(data)


@pytest.mark.parametrize("garbage", ["", "   ", "asdfgh qwerty", "！！！？？。", "啊啊啊啊", "你好", "谢谢", None, 42])
def test_empty_or_garbage_returns_nothing(index, garbage):
    assert index.search(garbage) == []


def test_empty_index_answers_nothing():
    assert FinderIndex.build([], {}).search("老板不发工资") == []
    docs, deps = docs_from_org({"departments": [{"code": "A1", "name": "甲局"}]})
    assert docs == [] and FinderIndex.build(docs, deps, Lexicon.load()).search("老板不发工资") == []


def test_very_long_query_is_fine(index):
    res = index.search("工地包工头拖欠工资不给。" * 200)
    assert res and res[0].department == "RSJ"


def test_works_on_other_data_without_matters_or_lexicon():
    data = {
        "format": "lvzhi.org/1",
        "region": {"name": "测试县", "level": "county"},
        "departments": [
            {"code": "A1", "name": "测试县水务局", "kind": "government", "category": "economic",
             "sanding": {"duties": ["负责河道采砂管理，查处非法采砂。", "负责农村饮水安全工程建设。"]}},
            {"code": "B2", "name": "测试县公安局", "kind": "government", "category": "enforcement",
             "sanding": {"duties": ["负责户口登记和居民身份证管理。"],
                         "boundaries": [{"with": ["A1"], "text": "县公安局负责查处盗采河砂涉嫌犯罪案件；县水务局负责河道采砂许可。"}]}},
        ],
    }
    docs, deps = docs_from_org(data)
    idx = FinderIndex.build(docs, deps)
    assert idx.search("想给孩子办身份证")[0].department == "B2"
    assert idx.search("河道里有人非法采砂")[0].department == "A1"
    b = [d for d in docs if d.kind == "boundary_clause"]
    assert {d.department for d in b} == {"A1", "B2"}


def test_operator_boilerplate_is_ignored(index):
    q = "楼上邻居每天半夜开音响唱歌，说了好几次都不听"
    plain = [r.department for r in index.search(q, 3)]
    for prefix in ("12345转：", "您好，市民来电反映：", "来电人反映："):
        assert [r.department for r in index.search(prefix + q, 3)] == plain
    # a question about the hotline itself keeps its number
    assert index.query_vector("打12345一直没人接") != index.query_vector("打一直没人接")


def test_scene_words_weigh_less(index):
    # "学校" before 门口 only says where the stall is
    q = "学校门口的小卖部卖三无零食，孩子吃了肚子疼"
    scene = index._scene_spans(list(index.tok.cut(q, HMM=False)))
    assert (0, 2) in scene
    assert index.search(q)[0].department == "SCJGJ"


def test_one_character_phrase_only_as_a_word_of_its_own(index):
    lex = Lexicon.from_data({"entries": [{"say": ["狗"], "means": ["养犬管理"]}]})
    idx = FinderIndex.build(index.docs, index.departments, lex)
    assert idx._match_lexicon("邻居家的狗天天叫")[0]
    assert not idx._match_lexicon("路边卖热狗的摊子")[0]


def test_lexicon_entry_weight(index):
    lex = Lexicon.from_data(
        {"entries": [{"say": ["公园"], "means": ["城市公园绿地管理"], "weight": 0.5}, {"say": ["讨薪"], "means": ["拖欠劳动报酬"]}]}
    )
    assert [e.weight for e in lex.entries] == [0.5, 1.0]
    entries = Lexicon.load().entries
    assert all(0 < e.weight <= 1 for e in entries)
    assert any(e.weight < 1 for e in entries)


def test_fallback_only_when_nothing_else_is_understood(index):
    # no word of the question is in the texts or the lexicon as such, but "水变红" shares the
    # question's characters: the fallback finds the water-pollution department
    q = "隔壁厂排出的水是红色的"
    assert index.search(q)[0].department == "SHJJ"
    off = FinderIndex.build(index.docs, index.departments, index.lexicon, params=FinderParams(fallback_weight=0))
    assert off.search(q) == []
    for nonsense in ("没事了", "随便问问", "我爱北京天安门"):
        assert index.search(nonsense) == []


def test_department_profile_can_be_switched_off(index):
    q = "小区物业乱收费，收费项目和价格都不公示"
    off = FinderIndex.build(index.docs, index.departments, index.lexicon, params=FinderParams(profile_weight=0))
    assert off.profile is None and index.profile is not None
    assert off.search(q) and index.search(q)
    assert index.profile.shape == (index.matrix.shape[0], len(index.departments))


# ------------------------------------------------------------------------------------ accuracy
# Levels actually reached, minus a small margin (about two questions).
# Lexicon 2026.3 (domains with their official terms, 1,869 entries) and this engine:
# demo city: sample 100 % top-1 / 100 % top-3; own 227 questions 96.0 % / 99.6 %, their 47
# boundary questions 93.6 % / 100 %.
# 临河市 (second city; only its odd-numbered questions were looked at while tuning, the even ones
# only as totals at a few checkpoints): all 240 questions 89.6 % / 97.5 % (before this lexicon:
# 88.8 / 97.5); odd half 96.7 % / 100 % (was 95.8 / 100); even, held-out half 82.5 % / 95.0 %
# (was 81.7 / 95.0); its 44 boundary questions 84.1 % / 97.7 %.


def test_accuracy_on_sample(index):
    sample = _sample()
    if sample is None:
        pytest.skip("shared/samples/finder-sample.tsv not available")
    r = evaluate(index, sample)
    assert r["n"] == 48
    assert r["top1"] >= 0.95, r["misses"]
    assert r["top3"] >= 0.97, r["misses"]


def test_accuracy_on_own_questions(index):
    own = load_questions(QUESTIONS)
    assert len(own) >= 150
    codes = {q["code"] for q in own}
    main = [d["code"] for d in yaml.safe_load(DEMO.read_text(encoding="utf-8"))["departments"][:24]]
    assert set(main) <= codes
    assert sum(q["kind"] == "boundary" for q in own) >= 30
    r = evaluate(index, own)
    assert r["top1"] >= 0.94, r["misses"]
    assert r["top3"] >= 0.99, r["misses"]
    boundary = evaluate(index, [q for q in own if q["kind"] == "boundary"])
    assert boundary["top1"] >= 0.89 and boundary["top3"] >= 0.97, boundary["misses"]


def test_second_city_data_shape():
    data = yaml.safe_load(LINHE.read_text(encoding="utf-8"))
    docs, departments = docs_from_org(data)
    assert len(departments) == 24 and all(c.startswith("LH-") for c in departments)
    assert {"mandate_duty", "boundary_clause", "duty_point", "unit_duty"} <= {d.kind for d in docs}
    qs = load_questions(LINHE_QUESTIONS)
    assert len(qs) == 240 and {q["code"] for q in qs} == set(departments)


def test_accuracy_on_second_city(linhe):
    qs = load_questions(LINHE_QUESTIONS)
    r = evaluate(linhe, qs)
    assert r["top1"] >= 0.87, r["misses"]
    assert r["top3"] >= 0.96, r["misses"]
    odd = evaluate(linhe, [q for q in qs if int(q["id"][1:]) % 2 == 1])
    assert odd["top1"] >= 0.94 and odd["top3"] >= 0.98, odd["misses"]
    # the held-out half: questions nobody looked at while tuning
    even = evaluate(linhe, [q for q in qs if int(q["id"][1:]) % 2 == 0])
    assert even["top1"] >= 0.80 and even["top3"] >= 0.93, f"{even['top1']:.3f} / {even['top3']:.3f}"
    boundary = evaluate(linhe, [q for q in qs if q["kind"] == "boundary"])
    assert boundary["top1"] >= 0.79 and boundary["top3"] >= 0.95, boundary["misses"]
    assert r["by_kind"]["boundary"]["n"] == 44 and r["by_kind"]["boundary"]["top1"] == boundary["top1"]


def test_parse_questions_reports_bad_rows():
    departments = {"A1": "甲局", "B2": "乙局"}
    rows, errors = parse_questions("id\tcode\tkind\ttext\nq1\tA1\tclear\t问一\n\nq2\tB2\t\t问二\n", departments)
    assert errors == [] and [(r["id"], r["code"], r["kind"]) for r in rows] == [("q1", "A1", "clear"), ("q2", "B2", "")]
    _, errors = parse_questions("id\tcode\tkind\ttext\nq1\tC3\tclear\t问一\nq2\tA1\tclear\t\n", departments)
    assert errors == ["第 2 行：部门编码 C3 不在已加载的部门中", "第 3 行：text 为空"]
    assert parse_questions("id\ttext\n1\t问\n", departments)[1] == ["表头缺少列：code（应为制表符分隔的 id code kind text）"]
    assert parse_questions("id\tcode\tkind\ttext\n", departments)[1] == ["没有任何问题"]
