"""Models of reform support: 流程再造, 编制 efficiency and compliance, 机构编制事项动议."""

from .processes import CaseRecord, Process, ProcessStep, StepMaterial
from .proposals import STAFFING_KEYS, Proposal, ProposalChange, ProposalEvidence
from .staffing import ActualUnit, StaffingFinding, StaffingRuleSet, WorkloadFigure

__all__ = [
    "STAFFING_KEYS", "ActualUnit", "CaseRecord", "Process", "ProcessStep", "Proposal", "ProposalChange",
    "ProposalEvidence", "StaffingFinding", "StaffingRuleSet", "StepMaterial", "WorkloadFigure",
]
