"""Import and export of 权责清单 files (interchange.md §2), through the shared tabular engine.

An import writes into each named department's draft edition (created as a copy of the current
edition when needed) and makes the draft match the file: rows are matched on 职权编码, items the
file no longer has are removed from the draft. Every bad row is reported with its row number and
nothing is written when any row is bad. Importing the same file again changes nothing: a
department whose file content equals its current edition gets no draft at all.
"""

from django.db import transaction

from lvzhi.core import tabular
from lvzhi.core.scoping import get_scope
from lvzhi.core.tabular import Column
from lvzhi.org.models import Department

from ..models import ELEMENT_FIELDS, POWER_TYPE_SYNONYMS, PowerItem, PowerType
from . import powers
from .common import actor

COLUMNS = [
    Column("code", "职权编码", aliases=("权力编码", "事项编码"), required=True),
    Column("department", "部门编码", aliases=("部门代码",), required=True),
    Column("type", "职权类型", aliases=("权力类型", "事项类型"), required=True,
           parse=tabular.choice(PowerType, POWER_TYPE_SYNONYMS)),
    Column("name", "职权名称", aliases=("权力名称", "事项名称"), required=True),
    Column("sub_item", "子项名称", aliases=("子项",)),
    Column("basis", "设定依据", aliases=("实施依据",), required=True),
    Column("unit", "承办机构", aliases=("承办科室", "实施机构")),
    Column("responsibilities", "责任事项", aliases=("责任事项内容",)),
    Column("accountability", "追责情形", aliases=("追责情形及依据",)),
    Column("note", "备注"),
]
HEADER = [c.label for c in COLUMNS]
LIMITS = {"code": 60, "name": 300, "sub_item": 300, "unit": 100}


def read(fileobj, filename, user):
    """Parse and check every row; returns (valid rows, report). Nothing is written."""
    rows, report = tabular.collect(tabular.read_table(fileobj, filename, COLUMNS))
    if report.errors:
        return [], report
    departments = {d.code: d for d in Department.objects.filter(code__in={r.values["department"] for r in rows})}
    scope = get_scope(user) if user is not None else None
    allowed = None if scope is None or scope.is_office else scope.department_ids
    seen = {}
    for row in rows:
        values = row.values
        dep = departments.get(values["department"])
        if dep is None:
            row.add_error(f"部门编码“{values['department']}”在系统中不存在", "department")
        elif allowed is not None and dep.pk not in allowed:
            row.add_error(f"无权导入其他部门（{dep.label}）的权责清单", "department")
        for key, limit in LIMITS.items():
            if values.get(key) and len(values[key]) > limit:
                row.add_error(f"长度超过 {limit} 个字", key)
        key = (values["department"], values["code"])
        if key in seen:
            row.add_error(f"与第{seen[key]}行的职权编码重复（同一部门内职权编码须唯一）", "code")
        seen.setdefault(key, row.number)
    good = report.keep_valid(rows)
    return [(departments[r.values["department"]], r.values) for r in good], report


def import_powers(fileobj, filename, user=None, label="", publish=False):
    """Import a §2 file into drafts (optionally publishing them: command line only).

    Returns the ImportReport; ``report.committed`` is False when anything was wrong.
    """
    rows, report = read(fileobj, filename, user)
    if not report.ok:
        report.discard_counts()
        return report
    by_department = {}
    for dep, values in rows:
        by_department.setdefault(dep, []).append(values)
    with transaction.atomic():
        for dep, items in by_department.items():
            draft = _sync_department(dep, items, user, label, report)
            if publish and draft is not None:
                powers.publish(draft.power_list, user, label=draft.label)
                report.note(f"{dep.label}：已发布为“{draft.label}”。")
    report.committed = True
    return report


def _values(values):
    return {f: values.get(f) or "" for f in ELEMENT_FIELDS}


def _sync_department(department, rows, user, label, report):
    power_list = powers.power_list_for(department, user)
    draft = powers.draft_edition(power_list)
    base = draft or powers.current_edition(power_list)
    existing = {i.code: i for i in PowerItem.objects.filter(edition=base)} if base else {}
    wanted = {r["code"]: (position, _values(r)) for position, r in enumerate(rows, 1)}
    plan = []
    for code, (position, values) in wanted.items():
        item = existing.get(code)
        if item is None:
            plan.append(("created", code, position, values))
        elif item.elements() != values:
            plan.append(("updated", code, position, values))
        else:
            report.unchanged += 1
            if item.position != position:
                plan.append(("moved", code, position, values))
    removed = [code for code in existing if code not in wanted]
    if not any(p[0] != "moved" for p in plan) and not removed and draft is None:
        return None  # the file equals the current edition: nothing to draft
    if draft is None:
        draft = powers.open_draft(power_list, user, label)
        existing = {i.code: i for i in PowerItem.objects.filter(edition=draft)}
    for outcome, code, position, values in plan:
        item = existing.get(code)
        if item is None:
            PowerItem.objects.create(edition=draft, department=department, code=code, position=position,
                                     created_by=actor(user), **values)
        else:
            for f, v in values.items():
                setattr(item, f, v)
            item.position = position
            item.version += 1
            item.save()
        if outcome != "moved":
            setattr(report, outcome, getattr(report, outcome) + 1)
    if removed:
        PowerItem.objects.filter(edition=draft, code__in=removed).delete()
        report.note(f"{department.label}：文件中没有的 {len(removed)} 项已从草稿版本“{draft.label}”中移除。")
    if plan or removed:
        report.note(f"{department.label}：已写入草稿版本“{draft.label}”，待编办发布后生效。")
    return draft


# ---------------------------------------------------------------- export


def rows_of(items):
    """§2 rows for a queryset of items (streamed)."""
    types = dict(PowerType.choices)
    qs = items.select_related("department").order_by("department__position", "department__code", "position", "code")
    for item in qs.iterator(chunk_size=1000):
        yield [item.code, item.department.code, types.get(item.type, item.type), item.name, item.sub_item,
               item.basis, item.unit, item.responsibilities, item.accountability, item.note]


def sheet(items, title="权责清单"):
    return tabular.Sheet(title, HEADER, rows_of(items))


def write(path, items):
    """Write items to ``path``: CSV (UTF-8 with BOM) when it ends in .csv, XLSX otherwise."""
    if str(path).lower().endswith(".csv"):
        tabular.write_csv(path, HEADER, rows_of(items))
    else:
        tabular.write_xlsx(path, [sheet(items)])


def response(filename, items):
    return tabular.xlsx_response(filename, [sheet(items)])

