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
    township_places,
)
from lvzhi.duties.finder.docs import AliasMatcher, attribute_boundary, department_aliases, township_localities
from lvzhi.duties.finder.engine import FinderParams
from lvzhi.duties.finder.evaluate import evaluate, load_questions, parse_questions
from lvzhi.duties.finder.lexicon import LexiconError
from lvzhi.duties.finder.text import excluded_spans

HERE = Path(__file__).resolve().parent
LIBRARIES = HERE.parents[1] / "libraries"
DEMO = LIBRARIES / "demo_city.yaml"
QUESTIONS = HERE / "finder_questions.tsv"
# A second, independently written fictional city (different codes, wording and splits of work:
# 水务局 runs water supply, 综合行政执法局 instead of 城市管理局, 文化广电和旅游体育局, 大数据中心)
# with 240 citizen questions written without seeing its texts (the finder was measured on them before
# being tuned on them).
LINHE = HERE / "data" / "linhe_city.yaml"
LINHE_QUESTIONS = HERE / "data" / "linhe_questions.tsv"
# A third city (青禾市: 37 departments with a street and a town, 12 matters) and 300 questions, written
# by someone who never saw the finder; the finder was measured on it before being tuned on it.
QINGHE = HERE / "data" / "qinghe_city.yaml"
QINGHE_QUESTIONS = HERE / "data" / "qinghe_questions.tsv"
# 84 more questions on 青禾市 written after the lexicon was extended and measured once, not tuned on
QINGHE_EXTRA = HERE / "data" / "qinghe_questions_extra.tsv"
# Two more cities, each with 220 questions, written by people who never saw the finder; measured
# blind once, then the finder was improved on their misses, so they are development sets now.
SONGLING = HERE / "data" / "songling_city.yaml"  # 北方地级市: 供热燃气归城管, 煤矿归能源局 …
YUNLING = HERE / "data" / "yunling_city.yaml"  # 西南山区县: 四个乡镇含一个民族乡, 茶产业中心 …
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


def city_index(path):
    """The index of a city's org file, built as the service builds it."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    docs, departments = docs_from_org(data)
    meta = org_department_meta(data)
    return FinderIndex.build(
        docs, departments, Lexicon.load(), priors=level_priors(meta), places=township_places(meta)
    )


@pytest.fixture(scope="module")
def linhe():
    return city_index(LINHE)


@pytest.fixture(scope="module")
def qinghe():
    return city_index(QINGHE)


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


def _matcher(*departments, region="示范市", extra=None):
    aliases = {}
    for code, name in departments:
        for a in department_aliases(code, name, None, region):
            aliases[a] = code
    return AliasMatcher({**aliases, **(extra or {})})


def test_boundary_clause_credits_the_agent_named_inside_a_clause():
    m = _matcher(("WL", "示范市文化和旅游局"), ("GA", "示范市公安局"), ("MZ", "示范市民政局"), ("WJ", "示范市卫生健康委员会"))
    parts = dict(attribute_boundary(
        "与市公安局的职责分工。娱乐场所、上网服务营业场所的经营行为监管由市文化和旅游局负责；"
        "涉黄涉赌涉毒等治安违法犯罪由市公安局查处。", m))
    assert parts == {"WL": "娱乐场所、上网服务营业场所的经营行为监管由市文化和旅游局负责",
                     "GA": "涉黄涉赌涉毒等治安违法犯罪由市公安局查处"}
    # "归": 养老机构备案…归市民政局；…执业行为归市卫生健康委员会
    parts = dict(attribute_boundary("养老机构备案和服务质量监管归市民政局；养老机构内设医务室的执业行为归市卫生健康委员会。", m))
    assert "养老机构备案" in parts["MZ"] and "医务室" in parts["WJ"] and "医务室" not in parts["MZ"]
    # a condition just before a clause led by its agent goes with that agent
    parts = dict(attribute_boundary("市文化和旅游局负责演出审批，涉嫌犯罪的，由市公安局依法处理。", m))
    assert parts == {"WL": "市文化和旅游局负责演出审批", "GA": "涉嫌犯罪的，由市公安局依法处理"}
    # "由于" is no agent; an agent that is no department of the region takes its part away
    parts = dict(attribute_boundary("由于场所分散，市公安局负责巡查；农村的由镇人民政府查处，市民政局负责指导。", m))
    assert parts == {"GA": "由于场所分散，市公安局负责巡查", "MZ": "市民政局负责指导"}


def test_townships_are_named_by_their_place_and_generic_names_reach_them():
    data = {
        "region": {"name": "青禾市"},
        "departments": [
            {"code": "Z", "name": "青禾市禾西县禾西镇人民政府", "kind": "township",
             "sanding": {"boundaries": [{"with": ["N"], "text": "本镇宅基地违法建房由镇人民政府依法查处；宅基地审批的业务指导由市农业农村局负责。"}]}},
            {"code": "J", "name": "青禾市青云区青云街道办事处", "kind": "township"},
            {"code": "N", "name": "青禾市农业农村局", "kind": "government",
             "sanding": {"boundaries": [{"with": ["Z"], "text": "超面积占用宅基地的，由镇人民政府依法查处；市农业农村局负责业务指导。"}]}},
        ],
    }
    assert township_places(org_department_meta(data)) == {"Z": "禾西镇", "J": "青云街道"}
    docs, _ = docs_from_org(data)
    parts = {(d.department, d.text) for d in docs if d.kind == "boundary_clause"}
    assert ("Z", "本镇宅基地违法建房由镇人民政府依法查处") in parts  # the township's own text: itself
    assert ("Z", "超面积占用宅基地的，由镇人民政府依法查处") in parts  # elsewhere: the region's towns
    assert not any(d == "J" for d, _ in parts)  # a street is no 镇人民政府


def test_a_question_naming_a_township_favours_its_own_duties(qinghe):
    q = "禾西镇下面村里的垃圾好几天没人收，全堆在路口"
    assert qinghe.search(q)[0].department == "QH-Z-HX"
    # without the place the city department answers, and the place is no word of the question
    assert qinghe.search(q.replace("禾西镇", ""))[0].department == "QH-CGJ"
    assert qinghe.query_vector(q) == qinghe.query_vector(q.replace("禾西镇", ""))
    # a township named only as the scene of something it has no duty for gets nothing from it
    assert qinghe.search("禾西镇小学食堂饭菜里有虫子")[0].department == "QH-SCJ"
    assert qinghe.search("青云街道一家饭店卖过期食品")[0].department == "QH-SCJ"
    # … but stays among the first three, as the place the matter happens in
    assert [r.department for r in qinghe.search("禾西镇小学食堂饭菜里有虫子")][2] == "QH-Z-HX"
    assert "QH-Z-HX" not in [r.department for r in qinghe.search("小学食堂饭菜里有虫子")][:3]
    assert [r.department for r in qinghe.search("青云街道一家饭店卖过期食品")][2] == "QH-JD-QY"


def test_a_township_of_a_people_is_also_called_without_them():
    docs = [Doc("BY", "mandate_duty", "负责本乡人民调解和矛盾纠纷排查化解", "三定第1项"),
            Doc("SF", "mandate_duty", "负责指导全县人民调解工作和人民调解委员会建设", "三定第1项")]
    names = {"BY": "云岭县白岩彝族苗族乡人民政府", "SF": "云岭县司法局"}
    meta = {"BY": {"kind": "township", "name": names["BY"]}, "SF": {"kind": "government", "name": names["SF"]}}
    idx = FinderIndex.build(docs, names, Lexicon.load(), priors=level_priors(meta), places=township_places(meta))
    assert {"白岩彝族苗族乡", "白岩乡"} <= {name for name, _, _ in idx.places}
    assert idx.search("白岩乡两家人吵架，想找人调解")[0].department == "BY"


def test_villages_and_communities_a_township_names_are_its_places():
    town = "负责指导青山、石门、柳沟、大桦树4个村民委员会建设，负责本镇农村环境卫生整治和垃圾收运"
    street = "负责辖区社区治理，指导东园、桦林2个社区居民委员会建设；负责辖区背街小巷环境卫生和垃圾清运"
    assert township_localities("青山镇", [town]) >= {"青山村", "石门村", "柳沟村", "大桦树村", "青山社区"}
    assert township_localities("东园街道", [street]) >= {"东园社区", "桦林社区"}
    assert township_localities("青山镇", ["辖柳沟村、后岭村，负责城中村改造"]) >= {"柳沟村", "后岭村"}
    assert "城中村" not in township_localities("青山镇", ["推进城中村、棚户区改造"])
    docs = [
        Doc("QS", "mandate_duty", town, "三定第1项"),
        Doc("DY", "mandate_duty", street, "三定第1项"),
        Doc("CG", "mandate_duty", "负责城市生活垃圾收运、处置和环境卫生作业的监督管理", "三定第1项"),
    ]
    names = {"QS": "松岭市青山镇人民政府", "DY": "松岭市东园街道办事处", "CG": "松岭市城市管理局"}
    places = {"QS": "青山镇", "DY": "东园街道"}
    idx = FinderIndex.build(docs, names, Lexicon.load(), priors={"QS": 0.75, "DY": 0.75}, places=places)
    assert idx.search("垃圾箱满了好几天没人来拉")[0].department == "CG"
    assert idx.search("大桦树村的垃圾箱满了好几天没人来拉")[0].department == "QS"
    assert idx.search("桦林社区的垃圾箱满了好几天没人来拉")[0].department == "DY"
    # a village two townships name is neither's
    twice = FinderIndex.build(docs + [Doc("DY", "unit_duty", "联系大桦树、石门2个村", "内设机构")], names, Lexicon.load(),
                              priors={"QS": 0.75, "DY": 0.75}, places=places)
    assert "大桦树村" not in {name for name, _, _ in twice.places}


def test_what_a_duty_names_only_to_exclude_counts_little():
    text = "负责食用农产品从田间到进入批发市场、农贸市场之前的质量安全监督管理，河道管理范围以外的砂石开采，除重大案件外的查处（不含城市道路）"
    assert [text[a:b] for a, b in excluded_spans(text)] == ["批发市场、农贸市场", "河道管理范围", "重大案件", "城市道路"]
    assert excluded_spans("依法拆除违规设置的户外广告设施") == []  # 拆除 is no 除…外
    docs = [
        Doc("NY", "mandate_duty", "负责食用农产品从种植到进入农贸市场之前的质量安全监督管理", "三定第1项"),
        Doc("SJ", "mandate_duty", "负责农贸市场内食用农产品的质量安全监督管理", "三定第1项"),
    ]
    idx = FinderIndex.build(docs, {"NY": "农业农村局", "SJ": "市场监管局"})
    assert idx.search("农贸市场买的菜质量有问题")[0].department == "SJ"
    same = FinderIndex.build(docs, {"NY": "农业农村局", "SJ": "市场监管局"}, params=FinderParams(excluded_tf=1.0))
    assert same.doc_scores("农贸市场")[0] > idx.doc_scores("农贸市场")[0]


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
    hits, _ = index.phrases.match(q)
    assert any("拖欠劳动报酬" in index.lexicon.entries[k].means for k in hits)
    assert index.search(q)[0].department == "RSJ"
    bare = FinderIndex.build(index.docs, index.departments, Lexicon.empty())
    assert bare.search(q) == []
    # an expanded query carries the official terms
    terms = index.query_vector(q)
    assert index.word_vocab["劳动报酬"] in terms
    # fuzzy: the phrase's characters in order within a short window
    hits, _ = index.phrases.match("老板不给发工资")
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
    hits, _ = index.phrases.match(said)
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


def test_a_cross_sector_function_outweighs_the_sector_of_the_place(qinghe):
    docs = [
        Doc("WL", "mandate_duty", "负责上网服务营业场所的审批和经营监管", "三定第1项"),
        Doc("GA", "mandate_duty", "负责查处赌博等违反治安管理的行为", "三定第1项"),
    ]
    departments = {"WL": "文化和旅游局", "GA": "公安局"}
    lex = {"domains": [
        {"name": "文化", "entries": [{"say": ["网吧"], "means": ["上网服务营业场所"]}]},
        {"name": "治安", "cross_sector": True, "entries": [{"say": ["赌钱"], "means": ["赌博"]}]},
    ]}
    flat = copy.deepcopy(lex)
    del flat["domains"][1]["cross_sector"]
    assert Lexicon.from_data(lex).cross_sector == {"治安"} and Lexicon.from_data(flat).cross_sector == set()

    def scores(data, q):
        return {r.department: r.score for r in FinderIndex.build(docs, departments, Lexicon.from_data(data)).search(q)}

    # the function present, the sector's entry only sets the scene: it counts half
    with_function, without = scores(lex, "网吧里有人赌钱"), scores(flat, "网吧里有人赌钱")
    assert with_function["GA"] == without["GA"] and with_function["WL"] < 0.6 * without["WL"]
    # the sector alone is not demoted
    assert scores(lex, "网吧里太吵")["WL"] == scores(flat, "网吧里太吵")["WL"]
    # on a real city: gambling in an internet café, fire extinguishers in a karaoke bar
    assert qinghe.search("那家网吧里面好像有人聚在一起赌博，赌得挺大")[0].department == "QH-GAJ"
    assert qinghe.search("那家KTV里的灭火器都过期了，应急灯也不亮")[0].department == "QH-XIAOFANG"
    # the bundled lexicon marks its cross-sector functions
    assert {"治安与犯罪", "消防安全", "安全生产", "劳动权益", "税务", "审计"} <= Lexicon.load().cross_sector


def test_a_fuzzy_phrase_inside_a_longer_match_of_another_entry_does_not_count():
    lex = Lexicon.from_data({"entries": [
        {"say": ["农药残留"], "means": ["农产品质量安全"]},
        {"say": ["农药超标"], "means": ["食用农产品农药残留"]},
    ]})
    idx = FinderIndex.build([Doc("A", "mandate_duty", "农产品质量安全", "x")], {"A": "甲"}, lex)
    hits, _ = idx.phrases.match("买的菜一测农药残留超标了")
    assert [lex.entries[k].say[0] for k in hits] == ["农药超标"]


@pytest.mark.parametrize("data,message", [
    ({"kind": "hotline_rules"}, "kind 应为 finder_lexicon"),
    ({"domains": {"a": 1}}, "domains 应为列表"),
    ({"domains": [{"name": "甲", "entries": [{"say": ["x"]}]}]}, "领域“甲”第 1 条：say 和 means 都不能为空"),
    ({"domains": [{"name": "甲", "entries": [{"say": ["x"], "means": ["y"], "weight": 2}]}]}, "weight 应为 0 到 1"),
    ({"domains": [{"name": "甲", "entries": []}, {"name": "甲", "entries": []}]}, "领域“甲”重复"),
    ({"domains": [{"name": "甲", "terms": "劳动", "entries": [{"say": [["x"]], "means": ["y"]}]}]}, "不是文字"),
    ({"domains": [{"name": "甲", "cross_sector": "是", "entries": []}]}, "领域“甲”的 cross_sector 应为 true 或 false"),
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
    assert idx.phrases.match("邻居家的狗天天叫")[0]
    assert not idx.phrases.match("路边卖热狗的摊子")[0]


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


def test_single_characters_support_a_match_but_never_make_one():
    docs = [Doc("JT", "mandate_duty", "负责农村公路和桥梁的建设、养护和安全管理。", "三定第1项"),
            Doc("ZJ", "mandate_duty", "负责农村公路沿线村庄的规划建设管理。", "三定第1项"),
            Doc("SW", "mandate_duty", "负责步行街和商业网点的规划。", "三定第1项")]
    departments = {"JT": "交通运输局", "ZJ": "住房和城乡建设局", "SW": "商务局"}
    q = "农村公路上那座桥的栏杆断了"  # "桥" is no word of the duties; "桥梁" is
    with_chars = FinderIndex.build(docs, departments, Lexicon.empty())
    without = FinderIndex.build(docs, departments, Lexicon.empty(), params=FinderParams(unigram_weight=1e-9))
    assert [r.department for r in with_chars.search(q)][:2] == ["JT", "ZJ"]
    gap = with_chars.search(q)[0].score - with_chars.search(q)[1].score
    assert gap > without.search(q)[0].score - without.search(q)[1].score
    # characters alone ("路", "步", "北" …) do not make a question understood
    assert with_chars.search("我爱北京天安门") == [] and with_chars.search("走路去北边散步") == []


def test_department_profile_can_be_switched_off(index):
    q = "小区物业乱收费，收费项目和价格都不公示"
    off = FinderIndex.build(index.docs, index.departments, index.lexicon, params=FinderParams(profile_weight=0))
    assert off.profile is None and index.profile is not None
    assert off.search(q) and index.search(q)
    assert index.profile.shape == (index.matrix.shape[0], len(index.departments))


# ------------------------------------------------------------------------------------ accuracy
# Levels actually reached, minus a small margin (about two questions).
# Lexicon 2026.5 (3,110 entries) and this engine, through import-org (docs/finder.md has the table):
# demo sample 100 % / 100 %; demo's own 227 questions 97.4 % / 100 %; 临河市 240 questions
# 95.0 % / 98.8 %; 青禾市 300 questions 97.0 % / 100 %. Every failure of these sets has been looked at,
# so none of them is held out any more; the held-out measurements are in docs/finder.md.


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
    assert r["top1"] >= 0.95, r["misses"]
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
    assert r["top1"] >= 0.92, r["misses"]
    assert r["top3"] >= 0.98, r["misses"]
    odd = evaluate(linhe, [q for q in qs if int(q["id"][1:]) % 2 == 1])
    assert odd["top1"] >= 0.97 and odd["top3"] >= 0.99, odd["misses"]
    even = evaluate(linhe, [q for q in qs if int(q["id"][1:]) % 2 == 0])
    assert even["top1"] >= 0.87 and even["top3"] >= 0.96, f"{even['top1']:.3f} / {even['top3']:.3f}"
    boundary = evaluate(linhe, [q for q in qs if q["kind"] == "boundary"])
    assert boundary["top1"] >= 0.93 and boundary["top3"] >= 0.97, boundary["misses"]
    assert r["by_kind"]["boundary"]["n"] == 44 and r["by_kind"]["boundary"]["top1"] == boundary["top1"]


def test_third_city_data_shape():
    data = yaml.safe_load(QINGHE.read_text(encoding="utf-8"))
    docs, departments = docs_from_org(data)
    assert len(departments) == 37 and all(c.startswith("QH-") for c in departments)
    assert {"mandate_duty", "boundary_clause", "duty_point", "unit_duty"} <= {d.kind for d in docs}
    assert township_places(org_department_meta(data)) == {"QH-JD-QY": "青云街道", "QH-Z-HX": "禾西镇"}
    qs = load_questions(QINGHE_QUESTIONS)
    assert len(qs) == 300 and {q["code"] for q in qs} <= set(departments)


def test_accuracy_on_third_city(qinghe):
    qs = load_questions(QINGHE_QUESTIONS)
    r = evaluate(qinghe, qs)
    assert r["top1"] >= 0.95, r["misses"]
    assert r["top3"] >= 0.99, r["misses"]
    boundary = evaluate(qinghe, [q for q in qs if q["kind"] == "boundary"])
    assert boundary["top1"] >= 0.91 and boundary["top3"] >= 0.98, boundary["misses"]
    extra = load_questions(QINGHE_EXTRA)
    assert len(extra) == 84 and {q["code"] for q in extra} == set(qinghe.departments)
    r = evaluate(qinghe, extra)
    assert r["top1"] >= 0.92 and r["top3"] >= 0.98, r["misses"]


@pytest.mark.parametrize("city, top1, top3", [(SONGLING, 0.86, 0.96), (YUNLING, 0.87, 0.97)])
def test_accuracy_on_later_cities(city, top1, top3):
    qs = load_questions(city.with_name(city.name.replace("_city.yaml", "_questions.tsv")))
    index = city_index(city)
    assert len(qs) == 220 and {q["code"] for q in qs} <= set(index.departments)
    r = evaluate(index, qs)
    assert r["top1"] >= top1 and r["top3"] >= top3, (r["top1"], r["top3"], r["misses"])


def test_parse_questions_reports_bad_rows():
    departments = {"A1": "甲局", "B2": "乙局"}
    rows, errors = parse_questions("id\tcode\tkind\ttext\nq1\tA1\tclear\t问一\n\nq2\tB2\t\t问二\n", departments)
    assert errors == [] and [(r["id"], r["code"], r["kind"]) for r in rows] == [("q1", "A1", "clear"), ("q2", "B2", "")]
    _, errors = parse_questions("id\tcode\tkind\ttext\nq1\tC3\tclear\t问一\nq2\tA1\tclear\t\n", departments)
    assert errors == ["第 2 行：部门编码 C3 不在已加载的部门中", "第 3 行：text 为空"]
    assert parse_questions("id\ttext\n1\t问\n", departments)[1] == ["表头缺少列：code（应为制表符分隔的 id code kind text）"]
    assert parse_questions("id\tcode\tkind\ttext\n", departments)[1] == ["没有任何问题"]
