"""Evidence of a proposal: links to records of other modules (problems, assessment results,
disputes, processes), found through ``visible_to`` when the module is installed, and snapshots
of the department's 编制 efficiency figures."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from ..analysis import staffing
from ..models import ProposalEvidence
from ..providers import installed_model
from .common import bump, invalid, lock
from .proposals import lock_editable

Kind = ProposalEvidence.Kind

# kind: (app label, model name, field a reference may name besides the id)
LINKED = {
    Kind.PROBLEM: ("problems", "Problem", "number"),
    Kind.ASSESSMENT: ("assessment", "Assessment", None),
    Kind.DISPUTE: ("hotline", "Dispute", None),
    Kind.PROCESS: ("reform", "Process", None),
}
HINTS = {
    Kind.PROBLEM: "问题编号（如 WT2026-00012）或问题 ID",
    Kind.ASSESSMENT: "评估记录 ID",
    Kind.DISPUTE: "争议事项 ID",
    Kind.PROCESS: "流程 ID",
    Kind.EFFICIENCY: "无需填写：附上该部门当前的编制使用和工作量数据",
    Kind.OTHER: "材料名称",
}


def available_kinds():
    """The kinds of evidence that can be attached now (a module not installed offers none)."""
    present = {k for k, (app, name, _) in LINKED.items() if installed_model(app, name) is not None}
    present |= {Kind.EFFICIENCY, Kind.OTHER}
    return [(value, label) for value, label in Kind.choices if value in present]


def find_record(user, kind, reference):
    app, name, field = LINKED[kind]
    model = installed_model(app, name)
    if model is None:
        raise invalid(f"{Kind(kind).label}所在的模块尚未启用。", "reference")
    reference = reference.strip()
    qs = model.objects.visible_to(user)
    record = None
    if field:
        record = qs.filter(**{field: reference}).first()
    if record is None and reference.isdigit():
        record = qs.filter(pk=int(reference)).first()
    if record is None:
        raise invalid(f"没有找到您可以查看的{Kind(kind).label}“{reference}”。", "reference")
    return record


def efficiency_snapshot(user, department):
    """The department's staffing and workload as they are today, in words and as data."""
    result = staffing.report(user, department=department)
    row = result.rows[0] if result.rows else None
    if row is None or (row.quota is None and row.actual is None):
        raise invalid(f"{department.name}没有编制和实有人数数据。", "reference")
    as_of = row.actual.as_of.isoformat() if row.actual else ""
    parts = [f"{r.label}核定{r.quota if r.quota is not None else '—'}名、实有{r.actual if r.actual is not None else '—'}名"
             for r in row.staffing]
    label = f"{department.label}编制使用情况" + (f"（{as_of}）" if as_of else "") + "：" + "；".join(parts)
    data = {
        "department": department.code, "as_of": as_of, "period": result.period,
        "staffing": [{"type": r.key, "label": r.label, "quota": r.quota, "actual": r.actual} for r in row.staffing],
        "violations": [v.message for v in row.violations],
        "workload": {i.label: (str(row.workload[i.key]) if row.workload.get(i.key) is not None else None)
                     for i in result.indicators},
    }
    return label[:300], data


def add_evidence(user, proposal, kind, reference="", note=""):
    if kind not in dict(available_kinds()):
        raise invalid("请选择依据类别。", "kind")
    record, data, url = None, {}, ""
    if kind in LINKED:
        record = find_record(user, kind, reference)
        label = str(record)[:300]
        url = record.get_absolute_url() if hasattr(record, "get_absolute_url") else ""
    elif kind == Kind.EFFICIENCY:
        label, data = efficiency_snapshot(user, proposal.department)
    else:
        label = reference.strip()[:300]
        if not label:
            raise invalid("请填写材料名称。", "reference")
    with transaction.atomic():
        locked = lock_editable(user, proposal)
        evidence = ProposalEvidence.objects.create(
            proposal=locked, kind=kind, label=label, url=url, note=note.strip(), data=data, created_by=user,
            target_type=ContentType.objects.get_for_model(record) if record is not None else None,
            target_id=str(record.pk) if record is not None else "",
        )
        bump(locked)
    return evidence


def delete_evidence(user, evidence):
    with transaction.atomic():
        proposal = lock_editable(user, evidence.proposal)
        lock(evidence, user).delete()
        bump(proposal)
