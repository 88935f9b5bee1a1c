from django.urls import path

from .views import campaigns, evaluations, results, scores

app_name = "assessment"
urlpatterns = [
    path("", campaigns.CampaignListView.as_view(), name="campaigns"),
    path("new/", campaigns.CampaignCreateView.as_view(), name="campaign-create"),
    path("framework/", campaigns.FrameworkView.as_view(), name="framework"),
    path("dashboard/", results.DashboardView.as_view(), name="dashboard"),
    path("appeals/", scores.AppealListView.as_view(), name="appeals"),
    path("evaluations/", evaluations.EvaluationListView.as_view(), name="evaluations"),
    path("campaigns/<int:pk>/", campaigns.CampaignDetailView.as_view(), name="campaign"),
    path("campaigns/<int:pk>/edit/", campaigns.CampaignUpdateView.as_view(), name="campaign-edit"),
    path("campaigns/<int:pk>/action/", campaigns.CampaignActionView.as_view(), name="campaign-action"),
    path("campaigns/<int:pk>/dashboard.json", results.DashboardDataView.as_view(), name="campaign-dashboard-data"),
    path("campaigns/<int:pk>/bulletin.docx", results.BulletinView.as_view(), name="campaign-bulletin"),
    path("campaigns/<int:pk>/performance.xlsx", results.PerformanceExportView.as_view(), name="campaign-export"),
    path("<int:pk>/", scores.AssessmentDetailView.as_view(), name="assessment"),
    path("scores/<int:pk>/", scores.ScoreDetailView.as_view(), name="score"),
    path("scores/<int:pk>/self/", scores.ScoreSelfView.as_view(), name="score-self"),
    path("scores/<int:pk>/evidence/", scores.ScoreEvidenceView.as_view(), name="score-evidence"),
    path("scores/<int:pk>/action/", scores.ScoreActionView.as_view(), name="score-action"),
    path("scores/<int:pk>/appeal/", scores.ScoreAppealView.as_view(), name="score-appeal"),
    path("appeals/<int:pk>/decide/", scores.AppealDecideView.as_view(), name="appeal-decide"),
    path("evaluations/<int:pk>/", evaluations.EvaluationView.as_view(), name="evaluation"),
]
