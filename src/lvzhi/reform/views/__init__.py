from .overview import OverviewView
from .processes import (
    AdoptView,
    CaseImportView,
    CaseTemplateView,
    CompareView,
    ProcessCreateView,
    ProcessDeleteView,
    ProcessDetailView,
    ProcessListView,
    ProcessUpdateView,
    RedesignView,
    StepCreateView,
    StepDeleteView,
    StepUpdateView,
)
from .proposals import (
    ChangeCreateView,
    ChangeDeleteView,
    EvidenceCreateView,
    EvidenceDeleteView,
    ProposalActionView,
    ProposalCreateView,
    ProposalDetailView,
    ProposalDocumentView,
    ProposalListView,
    ProposalUpdateView,
)
from .staffing import (
    ActualUnitCreateView,
    ActualUnitListView,
    ActualUnitUpdateView,
    FigureCreateView,
    FigureImportView,
    FigureListView,
    FigureTemplateView,
    FigureUpdateView,
    OpenProblemView,
    StaffingExportView,
    StaffingView,
)

__all__ = [
    "ActualUnitCreateView", "ActualUnitListView", "ActualUnitUpdateView", "AdoptView", "CaseImportView",
    "CaseTemplateView", "ChangeCreateView", "ChangeDeleteView", "CompareView", "EvidenceCreateView",
    "EvidenceDeleteView", "FigureCreateView", "FigureImportView", "FigureListView", "FigureTemplateView",
    "FigureUpdateView", "OpenProblemView", "OverviewView", "ProcessCreateView", "ProcessDeleteView",
    "ProcessDetailView", "ProcessListView", "ProcessUpdateView", "ProposalActionView", "ProposalCreateView",
    "ProposalDetailView", "ProposalDocumentView", "ProposalListView", "ProposalUpdateView", "RedesignView",
    "StaffingExportView", "StaffingView", "StepCreateView", "StepDeleteView", "StepUpdateView",
]
