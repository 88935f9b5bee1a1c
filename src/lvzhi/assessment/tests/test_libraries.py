"""The library loaders: the bundled 评估表 and star rules, versions, and refused files."""

from decimal import Decimal

import pytest
import yaml

from lvzhi.core.libraries import LibraryError, library_path, read

from ..libraries import load_framework, load_star_rules
from ..models import Criterion, Framework, IndicatorRule, StarRule
from .factories import assessed, load_libraries, open_campaign


def bundled(name="core_function_framework.yaml"):
    return read(library_path(name))


def load_edited(tmp_path, data, loader=load_framework, name="framework.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return loader(read(path), path)


def test_bundled_framework_loads_three_aspects_nine_criteria_and_weights_summing_to_100(db):
    load_libraries()
    framework = Framework.current()
    assert framework.version == "2026.1" and framework.computed_share == Decimal("0.4")
    assert list(framework.aspects.values_list("name", flat=True)) == ["核心职能履职目标", "进展情况", "创先争优情况"]
    criteria = list(framework.criteria.all())
    assert len(criteria) == 9 and sum(c.max_points for c in criteria) == 100
    for category in ("economic", "enforcement", "public_service"):
        assert sum(c.max_points * framework.weight_for(category, c.code) for c in criteria) == 100
    assert framework.weight_for("other", "A1-1") == 1
    rule = IndicatorRule.objects.get(framework=framework, code="problems_found")
    assert rule.ratio(Decimal(6)) == (Decimal("0.7000"), "max(0, 1 − 0.05 × 6) = 0.7")
    assert StarRule.current().stars_for(Decimal("89.99")) == 4 and StarRule.current().stars_for(59) == 1


def test_loading_again_changes_nothing_and_a_new_version_becomes_current(db, tmp_path):
    load_libraries()
    load_libraries()
    assert Framework.objects.count() == 1 and Criterion.objects.count() == 9
    data = bundled()
    data["version"] = "2027.1"
    assert "新版本" in load_edited(tmp_path, data)
    assert Framework.current().version == "2027.1"
    assert not Framework.objects.get(version="2026.1").is_current


def test_a_version_used_by_a_campaign_keeps_its_numbers(db, tmp_path, staff_user):
    load_libraries()
    assessed("ECON")
    campaign = open_campaign(staff_user)
    data = bundled()
    data["framework"]["aspects"][0]["criteria"][0]["max_points"] = 11  # weight 1 everywhere: still consistent
    with pytest.raises(LibraryError, match="已被考核批次使用"):
        load_edited(tmp_path, data)
    assert Criterion.objects.get(framework=campaign.framework, code="A1-1").max_points == 10
    data = bundled()
    data["framework"]["aspects"][0]["criteria"][0]["guidance"]["full"] = "新的满分指引"
    load_edited(tmp_path, data)
    assert Criterion.objects.get(framework=campaign.framework, code="A1-1").guidance_full == "新的满分指引"


@pytest.mark.parametrize("edit, message", [
    (lambda d: d["framework"]["aspects"][0]["criteria"][0].pop("max_points"), "criteria 第1项 的 max_points"),
    (lambda d: d["framework"]["aspects"][1]["criteria"][0]["indicators"].append("nope"), "未定义的指标 nope"),
    (lambda d: d["category_weights"]["economic"].update({"A1-1": 2}), "加权后满分合计为 110"),
    (lambda d: d["category_weights"].update({"military": {}}), "部门类别 military 无效"),
    (lambda d: d["indicators"]["problems_found"].update({"scoring": {"type": "magic"}}), "scoring.type"),
    (lambda d: d["scoring"].update({"computed_share": 2}), "computed_share（2）应在 0～1 之间"),
])
def test_a_bad_framework_file_is_refused_with_the_record_named(db, tmp_path, edit, message):
    data = bundled()
    edit(data)
    with pytest.raises(LibraryError, match=message) as exc:
        load_edited(tmp_path, data)
    assert "framework.yaml" in str(exc.value)
    assert not Framework.objects.exists()


def test_star_rules_load_and_refuse_inverted_thresholds(db, tmp_path):
    load_libraries()
    rule = StarRule.current()
    assert rule.appeal_working_days == 5 and rule.performance_weight == Decimal("0.1")
    assert [s["stars"] for s in rule.thresholds] == [5, 4, 3, 2] and rule.threshold_text(1) == "< 60 分"
    data = bundled("star_rules.yaml")
    data["version"] = "bad"
    data["thresholds"][0]["min_score"] = 10
    with pytest.raises(LibraryError, match="分数越高星级应越高"):
        load_edited(tmp_path, data, load_star_rules, "stars.yaml")
    assert not StarRule.objects.filter(version="bad").exists()
