"""Demo data of the reform module (``lvzhi demo``): the seed's three processes before and after
their redesign with actual case times, workload figures, actual internal units that differ from
the mandates, and one proposal awaiting the 编委's decision. Everything goes through the services
and importers a city would use."""

import io
from pathlib import Path

import yaml
from django.contrib.auth import get_user_model

from lvzhi.core import tabular
from lvzhi.core.audit import origin
from lvzhi.org.models import Department

from ..models import ActualUnit, Process, ProposalEvidence
from ..services import evidence, processes, proposals, staffing

DATA = Path(__file__).with_name("processes.yaml")


def load_demo(stdout):
    staff = get_user_model().objects.filter(username="staff").first()
    if staff is None or Process.objects.exists():
        return
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    departments = {d.code: d for d in Department.objects.all()}
    with origin("命令 demo（改革支撑）"):
        for spec in data["processes"]:
            _process(staff, spec, departments)
        _workload(staff, data["workload"])
        for unit in data["actual_units"]:
            ActualUnit.objects.create(department=departments[unit["department"]], name=unit["name"],
                                      duties=unit["duties"], created_by=staff)
        _proposal(staff, data["proposal"], departments)
    stdout.write(f"改革支撑：演示流程 {len(data['processes'])} 个（含再造前后）、工作量数据、实设内设机构和动议 1 件已加载。")


def _steps(staff, process, specs, departments):
    made = {}
    for spec in specs:
        made[spec["key"]] = processes.save_step(staff, process, {
            "name": spec["name"], "department": departments[spec["department"]], "unit": spec.get("unit", ""),
            "days": spec["days"], "description": spec.get("description", ""),
            "predecessors": [made[k] for k in spec.get("after", [])], "materials": spec.get("materials", {}),
        })


def _cases(staff, process, rows):
    if not rows:
        return
    header = ["办件编号", "受理日期", "办结日期"]
    content = b"".join(tabular.iter_csv(header, [[no, str(a), str(b)] for no, a, b in rows]))
    report = processes.import_cases(staff, process, io.BytesIO(content), "演示办件用时.csv")
    if not report.committed:
        raise RuntimeError("\n".join(report.lines()))


def _process(staff, spec, departments):
    before = processes.save_process(staff, {"name": spec["name"], "description": spec["description"],
                                            "department": departments[spec["department"]]})
    _steps(staff, before, spec["steps"], departments)
    _cases(staff, before, spec.get("cases"))
    plan = spec["redesign"]
    after = processes.redesign(staff, before, plan["name"])
    # The redesign is rebuilt from its own step list: the copy's steps are replaced one for one.
    for step in list(after.steps.all()):
        processes.delete_step(staff, step)
    after = processes.save_process(staff, {"name": plan["name"], "description": plan["description"],
                                           "department": after.department}, after)
    _steps(staff, after, plan["steps"], departments)
    if plan.get("adopted_on"):
        processes.adopt(staff, after, plan["adopted_on"])
        _cases(staff, after, plan.get("cases"))


def _workload(staff, spec):
    rows = [[code, spec["period"], indicator, value] for indicator, values in spec["figures"].items()
            for code, value in values.items()]
    content = b"".join(tabular.iter_csv(["部门编码", "期间", "指标", "数值"], rows))
    report = staffing.import_figures(staff, io.BytesIO(content), "演示工作量数据.csv")
    if not report.committed:
        raise RuntimeError("\n".join(report.lines()))


def _proposal(staff, spec, departments):
    proposal = proposals.save_proposal(staff, {
        "department": departments[spec["department"]], "title": spec["title"], "background": spec["background"],
        "reason": spec["reason"], "doc_no": "", "signer": spec.get("signer", ""),
    })
    for change in spec["changes"]:
        data = dict(change)
        if "to_department" in data:
            data["to_department"] = departments[data["to_department"]]
        proposals.add_change(staff, proposal, data)
    for item in spec["evidence"]:
        reference = ""
        if item["kind"] == ProposalEvidence.Kind.PROCESS:
            reference = str(Process.objects.get(name=item["process"]).pk)
        evidence.add_evidence(staff, proposal, item["kind"], reference, item.get("note", ""))
    proposals.perform(staff, proposal, "submit")
    proposals.perform(staff, proposal, "forward", "理由充分，拟同意，报请编委决定。")

