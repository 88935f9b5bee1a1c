"""One record of every model of the reform app for ``department`` (see tests/test_isolation.py)."""

import datetime as dt

from django.contrib.contenttypes.models import ContentType

from ..models import (
    ActualUnit,
    CaseRecord,
    Process,
    ProcessStep,
    Proposal,
    ProposalChange,
    ProposalEvidence,
    StaffingFinding,
    StepMaterial,
    WorkloadFigure,
)


def populate(department, user, marker):
    process = Process.objects.create(name=f"{marker}流程", description=marker, department=department, created_by=user)
    first = ProcessStep.objects.create(process=process, position=1, name=f"{marker}受理", department=department,
                                       unit=marker, days=2)
    second = ProcessStep.objects.create(process=process, position=2, name=f"{marker}办结", department=department, days=3)
    second.predecessors.set([first])
    StepMaterial.objects.create(step=first, name=f"{marker}材料", source=StepMaterial.Source.APPLICANT)
    redesign = Process.objects.create(name=f"{marker}再造方案", department=department, based_on=process,
                                      status=Process.Status.PROPOSED)
    ProcessStep.objects.create(process=redesign, position=1, name=f"{marker}一次办", department=department, days=1)
    CaseRecord.objects.create(process=process, case_no=f"{marker}-001", received_on=dt.date(2026, 3, 2),
                              finished_on=dt.date(2026, 3, 9), working_days=5, note=marker)
    WorkloadFigure.objects.create(department=department, period="2025", indicator="cases", value=100, note=marker)
    ActualUnit.objects.create(department=department, name=f"{marker}科", duties=marker)
    StaffingFinding.objects.create(department=department, rule="over_quota", subject="administrative",
                                   message=f"{marker}超编", problem_number=f"{marker}-WT")
    proposal = Proposal.objects.create(department=department, title=f"{marker}动议", reason=marker, created_by=user)
    ProposalChange.objects.create(proposal=proposal, target="unit", action="add", unit_name=f"{marker}新科",
                                  text=marker)
    ProposalEvidence.objects.create(proposal=proposal, kind="process", label=f"{marker}依据",
                                    target_type=ContentType.objects.get_for_model(Process), target_id=str(process.pk),
                                    url=process.get_absolute_url(), note=marker)
