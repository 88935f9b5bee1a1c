from .detail import (
    ActionView,
    LinkView,
    NoticeDownloadView,
    ProblemCreateView,
    ProblemDetailView,
    ProblemUpdateView,
    ShareView,
)
from .inspections import FindingCreateView, InspectionDetailView, InspectionEditView, InspectionListView
from .ledger import LedgerExportView, LedgerView, SavedViewCreateView, SavedViewDeleteView
from .oversight import ClueCreateView, ClueDetailView, ClueListView
from .reports import CommonProblemsView, StatusReportView, TaxonomyView
from .surveys import (
    LowScoreProblemView,
    QuestionnaireListView,
    ResponseCreateView,
    ResponseImportView,
    ResponseTemplateView,
    SurveyCreateView,
    SurveyDetailView,
    SurveyListView,
)

__all__ = [
    "ActionView", "ClueCreateView", "ClueDetailView", "ClueListView", "CommonProblemsView", "FindingCreateView",
    "InspectionDetailView", "InspectionEditView", "InspectionListView", "LinkView", "LedgerExportView", "LedgerView",
    "LowScoreProblemView", "NoticeDownloadView", "ProblemCreateView", "ProblemDetailView", "ProblemUpdateView",
    "QuestionnaireListView", "ResponseCreateView", "ResponseImportView", "ResponseTemplateView", "SavedViewCreateView",
    "SavedViewDeleteView", "ShareView", "StatusReportView", "SurveyCreateView", "SurveyDetailView", "SurveyListView",
    "TaxonomyView",
]
