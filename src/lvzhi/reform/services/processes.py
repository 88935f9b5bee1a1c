"""流程再造 operations: model a process, copy it into a redesign, adopt the redesign, and record
the actual times of real cases (typed in or imported from XLSX/CSV)."""

from statistics import median

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from lvzhi.core import tabular
from lvzhi.core.tabular import Column

from ..analysis import process as analysis
from ..models import CaseRecord, Process, ProcessStep, StepMaterial
from .common import bump, invalid, lock, require_office, work_calendar

Source = StepMaterial.Source


def with_steps(qs):
    """Prefetch what the analysis reads, so analysing many processes costs no extra queries."""
    steps = ProcessStep.objects.select_related("department").prefetch_related(
        Prefetch("predecessors", queryset=ProcessStep.objects.only("pk")), "materials"
    )
    return qs.select_related("department", "based_on").prefetch_related(Prefetch("steps", queryset=steps))


def step_values(process):
    return [
        analysis.Step(
            key=s.pk, name=s.name, department=s.department.label, department_key=s.department_id, days=s.days,
            predecessors=tuple(p.pk for p in s.predecessors.all()),
            materials=tuple((m.name, m.source) for m in s.materials.all()), unit=s.unit,
        )
        for s in process.steps.all()
    ]


def analyse(process):
    return analysis.analyse(step_values(process))


def _require_editable(process):
    if not process.editable:
        raise invalid("已采用或已被替代的流程不能修改；如需调整，请在其基础上另行制定再造方案。")


def save_process(user, data, process=None, expected_version=None):
    """Create a process (as 现行流程) or change its name, description and lead department."""
    require_office(user, "维护流程")
    fields = {k: data[k] for k in ("name", "description", "department")}
    with transaction.atomic():
        if process is None:
            return Process.objects.create(created_by=user, **fields)
        locked = lock(process, user, expected_version=expected_version)
        _require_editable(locked)
        return bump(locked, **fields)


def save_step(user, process, data, step=None, expected_version=None):
    """Create or change a step. ``data``: name, department, unit, days, predecessors (steps of the
    same process), description, and ``materials`` as {source: [names]}."""
    require_office(user, "维护流程")
    with transaction.atomic():
        locked = lock(process, user)
        _require_editable(locked)
        predecessors = list(data.get("predecessors") or [])
        if any(p.process_id != locked.pk or (step and p.pk == step.pk) for p in predecessors):
            raise invalid("前置环节只能选择本流程的其他环节。", "predecessors")
        fields = {k: data[k] for k in ("name", "department", "unit", "days", "description")}
        if step is None:
            position = (locked.steps.order_by("-position").values_list("position", flat=True).first() or 0) + 1
            step = ProcessStep.objects.create(process=locked, position=position, created_by=user, **fields)
        else:
            step = lock(step, user, expected_version=expected_version)
            bump(step, **fields)
        step.predecessors.set(predecessors)
        _check_order(locked)
        step.materials.all().delete()
        StepMaterial.objects.bulk_create([
            StepMaterial(step=step, name=name, source=source, created_by=user)
            for source, names in (data.get("materials") or {}).items() for name in names
        ])
        bump(locked)
    return step


def _check_order(process):
    try:
        analyse(with_steps(Process.objects.filter(pk=process.pk)).get())
    except analysis.CycleError as exc:
        raise invalid(f"{exc}。请检查前置环节的设置。", "predecessors") from None


def delete_step(user, step):
    require_office(user, "维护流程")
    with transaction.atomic():
        process = lock(step.process, user)
        _require_editable(process)
        lock(step, user).delete()
        bump(process)


def delete_process(user, process):
    """Only a redesign not yet adopted can be deleted; current processes are kept as history."""
    require_office(user, "删除流程")
    with transaction.atomic():
        locked = lock(process, user)
        if locked.status != Process.Status.PROPOSED:
            raise invalid("只能删除尚未采用的再造方案。")
        locked.delete()


def redesign(user, process, name=""):
    """Copy ``process`` with its steps, waits and materials into a proposed redesign."""
    require_office(user, "制定再造方案")
    with transaction.atomic():
        source = lock(process, user)
        if source.status == Process.Status.SUPERSEDED:
            raise invalid("该流程已被替代，请在现行流程的基础上制定再造方案。")
        copy = Process.objects.create(
            name=name or f"{source.name}（再造方案）", description=source.description, department=source.department,
            status=Process.Status.PROPOSED, based_on=source, created_by=user,
        )
        mapping = {}
        old_steps = list(source.steps.prefetch_related("predecessors", "materials"))
        for s in old_steps:
            mapping[s.pk] = ProcessStep.objects.create(
                process=copy, position=s.position, name=s.name, department=s.department, unit=s.unit, days=s.days,
                description=s.description, created_by=user,
            )
        for s in old_steps:
            mapping[s.pk].predecessors.set([mapping[p.pk] for p in s.predecessors.all()])
            StepMaterial.objects.bulk_create([
                StepMaterial(step=mapping[s.pk], name=m.name, source=m.source, created_by=user)
                for m in s.materials.all()
            ])
    return copy


def adopt(user, process, adopted_on=None):
    """Adopt a redesign: it becomes the current process (dated), the one before it is superseded."""
    require_office(user, "采用再造方案")
    with transaction.atomic():
        locked = lock(process, user)
        if locked.status != Process.Status.PROPOSED or locked.based_on_id is None:
            raise invalid("只有尚未采用的再造方案可以采用。")
        _check_order(locked)
        before = lock(locked.based_on, user)
        if before.status == Process.Status.SUPERSEDED:
            raise invalid("原流程已被其他再造方案替代，不能再采用此方案。")
        bump(before, status=Process.Status.SUPERSEDED)
        return bump(locked, status=Process.Status.CURRENT, adopted_on=adopted_on or timezone.localdate())


# ---------------------------------------------------------------------------------------------
# Actual case times

CASE_COLUMNS = [
    Column("case_no", "办件编号", aliases=("案件编号", "编号"), required=True),
    Column("received_on", "受理日期", aliases=("受理时间", "移送日期"), required=True, parse=tabular.date),
    Column("finished_on", "办结日期", aliases=("办结时间", "完成日期"), required=True, parse=tabular.date),
    Column("note", "备注"),
]


def import_cases(user, process, fileobj, filename):
    """Import case times: all rows or none; a case number already recorded is updated."""
    require_office(user, "导入办件用时")
    reader = tabular.read_table(fileobj, filename, CASE_COLUMNS)
    rows, report = tabular.collect(reader)
    seen = {}
    for row in rows:
        v = row.values
        if v["finished_on"] and v["received_on"] and v["finished_on"] < v["received_on"]:
            row.add_error("办结日期早于受理日期", "finished_on")
        if v["case_no"] in seen:
            row.add_error(f"办件编号“{v['case_no']}”与第{seen[v['case_no']]}行重复", "case_no")
        seen.setdefault(v["case_no"], row.number)
    rows = report.keep_valid(rows)
    if not report.ok:
        return report
    calendar = work_calendar()
    with transaction.atomic():
        locked = lock(process, user)
        existing = {c.case_no: c for c in locked.cases.all()}
        for row in rows:
            v = row.values
            values = {
                "received_on": v["received_on"], "finished_on": v["finished_on"], "note": v["note"] or "",
                "working_days": calendar.between(v["received_on"], v["finished_on"]),
            }
            case = existing.get(v["case_no"])
            if case is None:
                CaseRecord.objects.create(process=locked, case_no=v["case_no"], created_by=user, **values)
                report.created += 1
            elif any(getattr(case, k) != val for k, val in values.items()):
                bump(case, **values)
                report.updated += 1
            else:
                report.unchanged += 1
        report.committed = True
    return report


def case_summary(process, modelled):
    """Actual working days of recorded cases against the modelled duration."""
    days = sorted(process.cases.values_list("working_days", flat=True))
    if not days:
        return None
    over = sum(1 for d in days if d > modelled)
    return {
        "count": len(days), "mean": sum(days) / len(days), "median": median(days), "max": days[-1],
        "over": over, "over_share": over / len(days), "modelled": modelled,
    }
