"""Loaders for the assessment libraries (``lvzhi load-library``): the 评估表 framework
(``kind: framework``) and the star rules (``kind: star_rules``).

Loading a version for the first time makes it current. Loading a known version again updates its
texts in place; if a campaign already uses that version, its numbers (points, weights, scoring
parameters, thresholds) must be unchanged — a new set of numbers needs a new ``version``, so a
campaign always keeps the rules it started with.
"""

from decimal import Decimal, InvalidOperation

from django.db import transaction

from lvzhi.core.libraries import LibraryError
from lvzhi.org.models import Department

from .models import Aspect, Criterion, Framework, IndicatorRule, StarRule, plain

SCORING_PARAMETER = {"rate": None, "penalty": "per_unit", "scale": "full"}


def _fail(path, message):
    raise LibraryError(f"文件 {path.name}：{message}")


def _text(path, record, item, key, required=True):
    value = item.get(key) if isinstance(item, dict) else None
    if value is None or not str(value).strip():
        if required:
            _fail(path, f"{record} 缺少 {key}")
        return ""
    return str(value).strip()


def _number(path, record, value, key, low=None, high=None):
    try:
        number = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        _fail(path, f"{record} 的 {key}（{value!r}）不是数字")
    if not number.is_finite() or (low is not None and number < low) or (high is not None and number > high):
        bounds = f"{plain(low) if low is not None else '−∞'}～{plain(high) if high is not None else '∞'}"
        _fail(path, f"{record} 的 {key}（{value}）应在 {bounds} 之间")
    return number


def _list(path, record, value):
    if not isinstance(value, list) or not value:
        _fail(path, f"{record} 必须是非空列表")
    return value


def _indicators(path, data):
    rules = {}
    raw = data.get("indicators") or {}
    if not isinstance(raw, dict):
        _fail(path, "indicators 必须是以指标编码为键的映射")
    for code, item in raw.items():
        record = f"indicators.{code}"
        scoring = item.get("scoring") if isinstance(item, dict) else None
        kind = scoring.get("type") if isinstance(scoring, dict) else None
        if kind not in SCORING_PARAMETER:
            _fail(path, f"{record} 的 scoring.type 只能是 {'、'.join(SCORING_PARAMETER)}")
        key = SCORING_PARAMETER[kind]
        parameter = _number(path, record, scoring.get(key), f"scoring.{key}", Decimal("0.0001")) if key else None
        rules[str(code)] = {
            "name": _text(path, record, item, "name"), "unit": _text(path, record, item, "unit", False),
            "rule": _text(path, record, item, "rule"), "source": _text(path, record, item, "source", False),
            "scoring": kind, "parameter": parameter,
        }
    return rules


def _aspects(path, data, rules):
    framework = data.get("framework")
    if not isinstance(framework, dict):
        _fail(path, "缺少 framework")
    aspects, codes = [], set()
    for i, aspect in enumerate(_list(path, "framework.aspects", framework.get("aspects")), 1):
        record = f"framework.aspects 第{i}项"
        acode = _text(path, record, aspect, "code")
        criteria = []
        for j, criterion in enumerate(_list(path, f"{record}（{acode}）criteria", aspect.get("criteria")), 1):
            crecord = f"{record}（{acode}）criteria 第{j}项"
            code = _text(path, crecord, criterion, "code")
            if code in codes:
                _fail(path, f"{crecord} 编码 {code} 重复")
            codes.add(code)
            guidance = criterion.get("guidance") or {}
            indicators = [str(c) for c in criterion.get("indicators") or []]
            unknown = [c for c in indicators if c not in rules]
            if unknown:
                _fail(path, f"{crecord}（{code}）引用了未定义的指标 {'、'.join(unknown)}")
            criteria.append({
                "code": code, "name": _text(path, crecord, criterion, "name"),
                "max_points": _number(path, crecord, criterion.get("max_points"), "max_points", Decimal("0.01")),
                "guidance_full": str(guidance.get("full") or "").strip(),
                "guidance_partial": str(guidance.get("partial") or "").strip(),
                "guidance_none": str(guidance.get("none") or "").strip(),
                "indicators": indicators,
            })
        aspects.append({"code": acode, "name": _text(path, record, aspect, "name"), "criteria": criteria})
    return _text(path, "framework", framework, "code"), _text(path, "framework", framework, "name"), aspects


def _weights(path, data, criteria):
    raw = data.get("category_weights") or {}
    if not isinstance(raw, dict):
        _fail(path, "category_weights 必须是以部门类别为键的映射")
    full = sum(c["max_points"] for c in criteria)
    weights = {}
    for category, table in raw.items():
        if category not in Department.Category.values:
            _fail(path, f"category_weights 的部门类别 {category} 无效，应为 {'、'.join(Department.Category.values)}")
        if not isinstance(table, dict) or set(map(str, table)) != {c["code"] for c in criteria}:
            _fail(path, f"category_weights.{category} 必须为全部 {len(criteria)} 项标准各给出权重")
        weights[category] = {str(code): str(_number(path, f"category_weights.{category}", w, str(code), Decimal(0)))
                             for code, w in table.items()}
        total = sum(c["max_points"] * Decimal(weights[category][c["code"]]) for c in criteria)
        if total != full:
            _fail(path, f"category_weights.{category} 加权后满分合计为 {plain(total)} 分，应等于评估表总分 {plain(full)} 分")
    return weights


def _signature(framework):
    """The numbers a running campaign depends on."""
    return (
        str(framework.computed_share), framework.category_weights, framework.mutual_scale_min,
        framework.mutual_scale_max, str(framework.mutual_trim_share),
        sorted((c.code, str(c.max_points), list(c.indicators)) for c in framework.criteria.all()),
        sorted((r.code, r.scoring, str(r.parameter)) for r in framework.indicator_rules.all()),
    )


def load_framework(data, path, user=None):
    version = str(data["version"])
    rules = _indicators(path, data)
    code, name, aspects = _aspects(path, data, rules)
    criteria = [c for a in aspects for c in a["criteria"]]
    weights = _weights(path, data, criteria)
    scoring = data.get("scoring") or {}
    share = _number(path, "scoring", scoring.get("computed_share", 0), "computed_share", Decimal(0), Decimal(1))
    mutual = data.get("mutual_evaluation") or {}
    scale = mutual.get("scale") or {}
    lo = int(_number(path, "mutual_evaluation.scale", scale.get("min", 1), "min", Decimal(0)))
    hi = int(_number(path, "mutual_evaluation.scale", scale.get("max", 5), "max", Decimal(1)))
    if lo >= hi:
        _fail(path, "mutual_evaluation.scale 的 min 应小于 max")
    trim = _number(path, "mutual_evaluation", mutual.get("trim_share", 0), "trim_share", Decimal(0), Decimal("0.49"))
    with transaction.atomic():
        framework = Framework.objects.select_for_update().filter(code=code, version=version).first()
        created = framework is None
        before = None if created or not framework.campaigns.exists() else _signature(framework)
        framework = framework or Framework(code=code, version=version)
        framework.title = data.get("title") or name
        framework.name, framework.source = name, path.name
        framework.computed_share, framework.category_weights = share, weights
        framework.mutual_scale_min, framework.mutual_scale_max, framework.mutual_trim_share = lo, hi, trim
        framework.save()
        for rcode, rule in rules.items():
            IndicatorRule.objects.update_or_create(framework=framework, code=rcode, defaults=rule)
        framework.indicator_rules.exclude(code__in=rules).delete()
        position = 0
        for apos, aspect in enumerate(aspects, 1):
            aspect_row, _ = Aspect.objects.update_or_create(
                framework=framework, code=aspect["code"], defaults={"name": aspect["name"], "position": apos})
            for criterion in aspect["criteria"]:
                position += 1
                Criterion.objects.update_or_create(
                    framework=framework, code=criterion["code"],
                    defaults={**{k: v for k, v in criterion.items() if k != "code"}, "aspect": aspect_row,
                              "position": position})
        framework.refresh_from_db()
        if before is not None and _signature(framework) != before:
            _fail(path, f"评估框架 {version} 已被考核批次使用，不能修改其分值、权重或计算参数；请提高 version 后重新加载")
        framework.criteria.exclude(code__in=[c["code"] for c in criteria]).delete()
        framework.aspects.exclude(code__in=[a["code"] for a in aspects]).delete()
        if created:
            Framework.objects.filter(code=code).exclude(pk=framework.pk).update(is_current=False)
            Framework.objects.filter(pk=framework.pk).update(is_current=True)
    state = "新版本，已设为现行" if created else "已更新"
    return f"评估框架 {version}（{len(aspects)} 个方面、{len(criteria)} 项标准、{len(rules)} 项指标，{state}）"


def load_star_rules(data, path, user=None):
    version = str(data["version"])
    thresholds = []
    for i, step in enumerate(_list(path, "thresholds", data.get("thresholds")), 1):
        record = f"thresholds 第{i}项"
        stars = int(_number(path, record, (step or {}).get("stars"), "stars", Decimal(1), Decimal(5)))
        thresholds.append({"stars": stars, "min_score": str(_number(path, record, step.get("min_score"), "min_score",
                                                                     Decimal(0), Decimal(100)))})
    thresholds.sort(key=lambda s: Decimal(s["min_score"]), reverse=True)
    stars = [s["stars"] for s in thresholds]
    if stars != sorted(stars, reverse=True) or len(set(stars)) != len(stars):
        _fail(path, "thresholds 中分数越高星级应越高，且每个星级只能出现一次")
    default = int(_number(path, "文件顶层", data.get("default_stars", 1), "default_stars", Decimal(1), Decimal(5)))
    if default >= min(stars):
        _fail(path, "default_stars 应低于 thresholds 中的最低星级")
    values = {
        "title": data.get("title") or "赋分评星规则", "thresholds": thresholds, "default_stars": default,
        "appeal_working_days": int(_number(path, "文件顶层", data.get("appeal_working_days", 5),
                                           "appeal_working_days", Decimal(0), Decimal(60))),
        "performance_weight": _number(path, "文件顶层", data.get("performance_weight"), "performance_weight",
                                      Decimal(0), Decimal(1)),
        "source": path.name,
    }
    with transaction.atomic():
        rule = StarRule.objects.select_for_update().filter(version=version).first()
        created = rule is None
        if not created and rule.campaigns.exists():
            numbers = ("thresholds", "default_stars", "appeal_working_days", "performance_weight")
            if any(getattr(rule, k) != values[k] for k in numbers):
                _fail(path, f"评星规则 {version} 已被考核批次使用，不能修改阈值、期限或权重；请提高 version 后重新加载")
        rule = rule or StarRule(version=version)
        for key, value in values.items():
            setattr(rule, key, value)
        rule.save()
        if created:
            StarRule.objects.exclude(pk=rule.pk).update(is_current=False)
            StarRule.objects.filter(pk=rule.pk).update(is_current=True)
    levels = "、".join(f"{s['stars']}星≥{plain(Decimal(s['min_score']))}" for s in thresholds)
    return f"评星规则 {version}（{levels}；申诉期 {values['appeal_working_days']} 个工作日，{'新版本，已设为现行' if created else '已更新'}）"
