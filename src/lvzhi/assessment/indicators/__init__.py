"""Indicators computed from the platform's own data: a registry of providers.

A provider is ``fn(department, period) -> (value, lines) | None``: ``value`` is a number in the
indicator's unit and ``lines`` is the breakdown shown beside the score, a list of
``[label, text]`` pairs, so a department can see how every point was reached. ``None`` means the
source has nothing to measure for that period ("暂无数据"), which keeps the indicator out of the
criterion's computed component instead of scoring it as zero.

Providers for the problems app, the 三定 execution checks, the 12345 hotline and mutual
evaluation are registered here, each guarded by whether its app is installed. Another app may
register its own (a later registration replaces an earlier one):

    from lvzhi.assessment.indicators import register_indicator
    register_indicator("hotline_resolution", hotline_resolution)

The rule (text and the conversion of a value to a 0–1 ratio) always comes from the library
(``IndicatorRule``), never from the provider.
"""

from decimal import Decimal

from django.apps import apps

from ..models import plain, quantize

_providers = {}


def register_indicator(code, provider):
    _providers[code] = provider


def registered(code):
    return code in _providers


def register_builtin_providers():
    from . import mutual

    if apps.is_installed("lvzhi.problems"):
        from . import problems

        for code, provider in problems.PROVIDERS.items():
            register_indicator(code, provider)
    if apps.is_installed("lvzhi.duties"):
        from . import duties

        for code, provider in duties.PROVIDERS.items():
            register_indicator(code, provider)
    if apps.is_installed("lvzhi.hotline"):
        from . import hotline

        for code, provider in hotline.PROVIDERS.items():
            register_indicator(code, provider)
    register_indicator("mutual_evaluation", mutual.mutual_evaluation)


def evaluate(rule, department, period):
    """The JSON-ready result of one indicator for one department and period."""
    result = {"code": rule.code, "name": rule.name, "unit": rule.unit, "rule": rule.rule, "source": rule.source,
              "value": None, "ratio": None, "lines": [], "note": ""}
    source = rule.source or "数据来源"
    provider = _providers.get(rule.code)
    if provider is None:
        result["note"] = f"暂无数据：{source}尚未提供该指标，该指标不参与计算。"
        return result
    found = provider(department, period)
    if found is None:
        result["note"] = f"暂无数据：{source}在本期间没有可计算的记录，该指标不参与计算。"
        return result
    value, lines = found
    value = quantize(value)
    ratio, text = rule.ratio(value)
    result.update(value=str(value), ratio=str(ratio), lines=[*lines, ["得分比例", text]])
    return result


def display_value(result):
    if result.get("value") is None:
        return "暂无数据"
    unit = result.get("unit") or ""
    return f"{plain(Decimal(result['value']))}{unit if unit == '%' else ' ' + unit}".strip()


def percent(part, whole):
    """``part`` of ``whole`` as a percentage with two decimals (whole > 0)."""
    return quantize(Decimal(part) * 100 / Decimal(whole))
