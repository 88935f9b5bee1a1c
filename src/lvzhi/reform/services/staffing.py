"""编制 operations: importing workload figures, and opening a compliance violation as a problem in
the problems module (编制人员管理方面 / 机构编制违规违纪) when that module is installed."""

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q

from lvzhi.core import tabular
from lvzhi.core.tabular import Column, ParseError
from lvzhi.org.models import Department

from .. import periods
from ..analysis import rules, staffing
from ..models import StaffingFinding, WorkloadFigure
from .common import bump, invalid, require_office


def _period(value):
    if value is None:
        return None
    code = periods.parse(value)
    if code is None:
        raise ParseError(f"无法识别的期间“{value}”，应为年度（2025）、半年（2025H1）或季度（2025Q3）")
    return code


FIGURE_COLUMNS = [
    Column("department", "部门编码", aliases=("部门", "部门名称"), required=True),
    Column("period", "期间", aliases=("统计期间",), required=True, parse=_period),
    Column("indicator", "指标", aliases=("指标名称", "指标编码"), required=True),
    Column("value", "数值", aliases=("数量",), required=True, parse=tabular.decimal),
    Column("note", "备注"),
]


def import_figures(user, fileobj, filename):
    """Import workload figures (all rows or none); an existing department/period/indicator is updated."""
    require_office(user, "导入工作量数据")
    ruleset = rules.current_ruleset()
    indicators = {}
    for ind in ruleset.indicators:
        indicators[ind.key.casefold()] = ind.key
        indicators[ind.label.casefold()] = ind.key
    rows, report = tabular.collect(tabular.read_table(fileobj, filename, FIGURE_COLUMNS))
    names = {r.values["department"] for r in rows}
    known = {}
    for d in Department.objects.visible_to(user).filter(Q(code__in=names) | Q(name__in=names) | Q(short_name__in=names)):
        for key in (d.code, d.name, d.short_name):
            if key:
                known[key] = d
    seen = {}
    for row in rows:
        v = row.values
        dept = known.get(v["department"])
        if dept is None:
            row.add_error(f"部门“{v['department']}”不存在", "department")
        v["department"] = dept
        key = indicators.get(v["indicator"].casefold())
        if key is None:
            allowed = "、".join(i.label for i in ruleset.indicators)
            row.add_error(f"未知的指标“{v['indicator']}”，应为：{allowed}", "indicator")
        v["indicator"] = key
        if v["value"] is not None and v["value"] < 0:
            row.add_error("不能为负数", "value")
        ident = (getattr(v["department"], "pk", None), v["period"], key)
        if None not in ident and ident in seen:
            row.add_error(f"与第{seen[ident]}行的部门、期间和指标相同", "indicator")
        seen.setdefault(ident, row.number)
    rows = report.keep_valid(rows)
    if not report.ok:
        return report
    with transaction.atomic():
        existing = {
            (f.department_id, f.period, f.indicator): f
            for f in WorkloadFigure.objects.select_for_update().filter(
                department__in={r.values["department"].pk for r in rows},
                period__in={r.values["period"] for r in rows},
            )
        }
        for row in rows:
            v = row.values
            figure = existing.get((v["department"].pk, v["period"], v["indicator"]))
            note = v["note"] or ""
            if figure is None:
                WorkloadFigure.objects.create(department=v["department"], period=v["period"], indicator=v["indicator"],
                                              value=v["value"], note=note, created_by=user)
                report.created += 1
            elif figure.value != v["value"] or figure.note != note:
                bump(figure, value=v["value"], note=note)
                report.updated += 1
            else:
                report.unchanged += 1
        report.committed = True
    return report


def problems_available():
    return apps.is_installed("lvzhi.problems")


def open_problem(user, department, rule_code, subject):
    """File a violation of the compliance rules as a problem, once; returns the StaffingFinding."""
    require_office(user, "将合规问题立为问题")
    if not problems_available():
        raise invalid("问题管理模块尚未启用，无法立为问题。")
    from lvzhi.problems.models import ProblemType
    from lvzhi.problems.services import create_problem

    with transaction.atomic():
        if not Department.objects.visible_to(user).filter(pk=department.pk).exists():
            raise PermissionDenied("您无权处理该部门。")
        result = staffing.report(user, department=department)
        violation = next((v for v in result.violations if v.rule.code == rule_code and v.subject == subject), None)
        if violation is None:
            raise invalid("该部门当前没有这项合规问题（数据可能已更新），请刷新后重试。")
        if violation.finding is not None:
            raise invalid(f"该合规问题已立为问题 {violation.finding.problem_number}。")
        rule = violation.rule
        ptype = ProblemType.objects.filter(code=rule.problem_type, category__taxonomy__is_current=True).first()
        if ptype is None:
            raise invalid(f"问题分类库中没有事项“{rule.problem_type}”，请先加载问题分类库。")
        problem = create_problem(
            by=user, title=f"{department.label}{rule.name}", department=department, source=result.ruleset.problem_source,
            type=ptype, description=f"{violation.message}。\n规则：{rule.name}——{rule.description}",
            note="由编制合规检查发现",
        )
        return StaffingFinding.objects.create(
            department=department, rule=rule.code, subject=subject, message=violation.message,
            problem_id=problem.pk, problem_number=problem.number, created_by=user,
        )
