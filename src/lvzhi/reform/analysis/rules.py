"""The compliance rules library (``staffing_rules.yaml``): loading, and checking departments.

Each rule names one built-in check and its parameters; the library decides which rules apply,
their thresholds and which problem type a violation is filed under, so an office adopts its own
rules by loading its own version.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from lvzhi.core import libraries
from lvzhi.core.libraries import LibraryError
from lvzhi.org.models import LEADER_TYPES, STAFF_TYPES

from .process import normal

BUNDLED = "staffing_rules.yaml"
LABELS = dict(STAFF_TYPES + LEADER_TYPES)


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    check: str
    params: dict
    problem_type: str = ""
    description: str = ""


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    unit: str = ""


@dataclass
class RuleSet:
    version: str
    title: str
    rules: list
    indicators: list
    outliers: dict = field(default_factory=dict)
    problem_source: str = "mandate_check"

    def rule(self, code):
        return next((r for r in self.rules if r.code == code), None)


@dataclass
class Violation:
    rule: Rule
    department: object
    subject: str
    message: str
    finding: object = None  # the StaffingFinding when already opened as a problem

    @property
    def key(self):
        return (self.department.pk, self.rule.code, self.subject)


def parse(data, name):
    """Validate a library file's content; raises LibraryError naming the file and the entry."""

    def fail(where, message):
        raise LibraryError(f"文件 {name}：{where}{message}")

    rules, codes = [], set()
    if not isinstance(data.get("rules"), list) or not data["rules"]:
        fail("", "rules 必须是非空列表")
    for i, item in enumerate(data["rules"], 1):
        where = f"rules 第{i}项"
        if not isinstance(item, dict):
            fail(where, "格式不正确")
        code, rule_name, check = (str(item.get(k) or "").strip() for k in ("code", "name", "check"))
        if not code or not rule_name:
            fail(where, "缺少 code 或 name")
        if code in codes:
            fail(where, f"编码 {code} 重复")
        codes.add(code)
        if check not in CHECKS:
            fail(where, f"未知的检查 check：{check or '（空）'}，可用：{'、'.join(CHECKS)}")
        params = {k: v for k, v in item.items() if k not in {"code", "name", "check", "problem_type", "description"}}
        types = params.get("types")
        if types is not None and (not isinstance(types, list) or set(types) - set(LABELS)):
            fail(where, f"types 只能取 {'、'.join(LABELS)}")
        for key in ("min_rate", "min_vacancy"):
            if key in params and (not isinstance(params[key], (int, float)) or params[key] < 0):
                fail(where, f"{key} 必须是非负数")
        rules.append(Rule(code, rule_name, check, params, str(item.get("problem_type") or ""),
                          str(item.get("description") or "")))
    indicators, keys = [], set()
    for i, item in enumerate(data.get("indicators") or [], 1):
        if not isinstance(item, dict) or not item.get("key") or not item.get("label"):
            fail(f"indicators 第{i}项", "缺少 key 或 label")
        if item["key"] in keys:
            fail(f"indicators 第{i}项", f"指标 {item['key']} 重复")
        keys.add(item["key"])
        indicators.append(Indicator(str(item["key"]), str(item["label"]), str(item.get("unit") or "")))
    outliers = data.get("outliers") or {}
    if not isinstance(outliers, dict) or not all(
        isinstance(outliers.get(k, 1), (int, float)) and outliers.get(k, 1) > 0 for k in ("threshold", "min_group")
    ):
        fail("outliers ", "threshold 和 min_group 必须是正数")
    return RuleSet(str(data["version"]), str(data.get("title") or "机构编制合规规则"), rules, indicators,
                   {"threshold": 3.5, "min_group": 4, **outliers}, str(data.get("problem_source") or "mandate_check"))


def load_library(data, path, user=None):
    """``lvzhi load-library`` loader: keeps every version, makes the loaded one current."""
    from ..models import StaffingRuleSet

    ruleset = parse(data, Path(path).name)
    with transaction.atomic():
        StaffingRuleSet.objects.exclude(version=ruleset.version).update(is_current=False)
        StaffingRuleSet.objects.update_or_create(
            version=ruleset.version, defaults={"title": ruleset.title, "data": data, "is_current": True}
        )
    return f"已加载{ruleset.title}（版本 {ruleset.version}，{len(ruleset.rules)} 条规则）"


def current_ruleset():
    """The loaded current version, or the bundled file when none has been loaded yet."""
    from ..models import StaffingRuleSet

    loaded = StaffingRuleSet.objects.filter(is_current=True).first()
    if loaded is not None:
        return parse(loaded.data, f"{loaded.title}（{loaded.version}）")
    return parse(libraries.read(libraries.library_path(BUNDLED)), BUNDLED)


# ---------------------------------------------------------------------------------------------
# Checks: each takes (rule, row) where row is an ``analysis.staffing.DepartmentRow`` and yields
# (subject, message) pairs.

def _counts(row, rule):
    for key in rule.params.get("types") or ():
        quota, actual = row.quota_of(key), row.actual_of(key)
        if quota is not None and actual is not None:
            yield key, LABELS[key], quota, actual


def check_over_quota(rule, row):
    for key, label, quota, actual in _counts(row, rule):
        if actual > quota:
            yield key, f"{label}核定{quota}名，实有{actual}名，超编{actual - quota}名"


def check_over_leader_posts(rule, row):
    for key, label, quota, actual in _counts(row, rule):
        if actual > quota:
            yield key, f"领导职数（{label}）核定{quota}名，实配{actual}名，超配{actual - quota}名"


def check_vacancy(rule, row):
    min_rate, min_vacancy = rule.params.get("min_rate", 0), rule.params.get("min_vacancy", 1)
    for key, label, quota, actual in _counts(row, rule):
        vacancy = quota - actual
        if quota and vacancy >= min_vacancy and vacancy / quota >= min_rate:
            yield key, f"{label}核定{quota}名，实有{actual}名，空编{vacancy}名（空编率{vacancy / quota:.1%}）"


def check_unit_not_in_mandate(rule, row):
    if row.mandate is None:
        return
    approved = {normal(u.name) for u in row.mandate_units}
    for unit in row.actual_units:
        if normal(unit.name) not in approved:
            yield unit.name, f"实际设置的“{unit.name}”不在现行三定规定核定的内设机构之中"


def check_unit_without_duties(rule, row):
    for unit in row.mandate_units:
        if not unit.duties.strip():
            yield unit.name, f"三定规定中的“{unit.name}”没有写明职责"
    named = {normal(u.name) for u in row.mandate_units}
    for unit in row.actual_units:
        if not unit.duties.strip() and normal(unit.name) not in named:
            yield unit.name, f"实际设置的“{unit.name}”没有明确承担的职责"


CHECKS = {
    "over_quota": check_over_quota,
    "over_leader_posts": check_over_leader_posts,
    "vacancy": check_vacancy,
    "unit_not_in_mandate": check_unit_not_in_mandate,
    "unit_without_duties": check_unit_without_duties,
}


def violations(rows, ruleset, findings=None):
    """Every violation of ``ruleset`` in ``rows``; ``findings`` maps (department id, rule, subject)
    to the StaffingFinding already opened for it."""
    findings = findings or {}
    result = []
    for row in rows:
        for rule in ruleset.rules:
            for subject, message in CHECKS[rule.check](rule, row):
                v = Violation(rule, row.department, subject, message)
                v.finding = findings.get(v.key)
                result.append(v)
    return result
