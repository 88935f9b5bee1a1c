from django.urls import path

from . import views

app_name = "problems"
urlpatterns = [
    path("", views.LedgerView.as_view(), name="ledger"),
    path("export.xlsx", views.LedgerExportView.as_view(), name="ledger-export"),
    path("views/save/", views.SavedViewCreateView.as_view(), name="view-save"),
    path("views/<int:pk>/delete/", views.SavedViewDeleteView.as_view(), name="view-delete"),
    path("new/", views.ProblemCreateView.as_view(), name="create"),
    path("<int:pk>/", views.ProblemDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ProblemUpdateView.as_view(), name="edit"),
    path("<int:pk>/act/", views.ActionView.as_view(), name="act"),
    path("<int:pk>/share/", views.ShareView.as_view(), name="share"),
    path("<int:pk>/links/", views.LinkView.as_view(), name="links"),
    path("notices/<int:pk>/", views.NoticeDownloadView.as_view(), name="notice"),
    path("status/", views.StatusReportView.as_view(), name="status"),
    path("common/", views.CommonProblemsView.as_view(), name="common"),
    path("taxonomy/", views.TaxonomyView.as_view(), name="taxonomy"),
    path("inspections/", views.InspectionListView.as_view(), name="inspections"),
    path("inspections/new/", views.InspectionEditView.as_view(), name="inspection-create"),
    path("inspections/<int:pk>/", views.InspectionDetailView.as_view(), name="inspection"),
    path("inspections/<int:pk>/edit/", views.InspectionEditView.as_view(), name="inspection-edit"),
    path("inspections/<int:pk>/findings/new/", views.FindingCreateView.as_view(), name="inspection-finding"),
    path("surveys/", views.SurveyListView.as_view(), name="surveys"),
    path("surveys/new/", views.SurveyCreateView.as_view(), name="survey-create"),
    path("surveys/questionnaires/", views.QuestionnaireListView.as_view(), name="questionnaires"),
    path("surveys/<int:pk>/", views.SurveyDetailView.as_view(), name="survey"),
    path("surveys/<int:pk>/responses/new/", views.ResponseCreateView.as_view(), name="survey-response"),
    path("surveys/<int:pk>/import/", views.ResponseImportView.as_view(), name="survey-import"),
    path("surveys/<int:pk>/template.xlsx", views.ResponseTemplateView.as_view(), name="survey-template"),
    path("surveys/<int:pk>/low-score/", views.LowScoreProblemView.as_view(), name="survey-low-score"),
    path("clues/", views.ClueListView.as_view(), name="clues"),
    path("clues/new/", views.ClueCreateView.as_view(), name="clue-create"),
    path("clues/<int:pk>/", views.ClueDetailView.as_view(), name="clue"),
]
