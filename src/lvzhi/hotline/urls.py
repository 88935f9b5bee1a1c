from django.urls import path

from .views import analysis, disputes, imports, tickets

app_name = "hotline"
urlpatterns = [
    path("", tickets.TicketListView.as_view(), name="tickets"),
    path("tickets/<int:pk>/", tickets.TicketDetailView.as_view(), name="ticket"),
    path("import/", imports.UploadView.as_view(), name="import"),
    path("imports/", imports.ImportRunListView.as_view(), name="imports"),
    path("imports/<int:pk>/", imports.ImportRunView.as_view(), name="import-run"),
    path("imports/<int:pk>/good-rows/", imports.RetryGoodRowsView.as_view(), name="import-retry"),
    path("aliases/", imports.AliasView.as_view(), name="aliases"),
    path("aliases/<int:pk>/delete/", imports.AliasDeleteView.as_view(), name="alias-delete"),
    path("disputes/", disputes.DisputeListView.as_view(), name="disputes"),
    path("disputes/group/", disputes.GroupView.as_view(), name="group"),
    path("disputes/<int:pk>/", disputes.DisputeDetailView.as_view(), name="dispute"),
    path("disputes/<int:pk>/decide/", disputes.DecideView.as_view(), name="decide"),
    path("dispatch-rules/", disputes.DispatchRulesView.as_view(), name="dispatch-rules"),
    path("dispatch-rules/export/", disputes.DispatchRulesExportView.as_view(), name="dispatch-rules-export"),
    path("indicators/", analysis.IndicatorsView.as_view(), name="indicators"),
    path("indicators/export/", analysis.IndicatorsExportView.as_view(), name="indicators-export"),
    path("returns/", analysis.ReturnsView.as_view(), name="returns"),
    path("returns/export/", analysis.ReturnsExportView.as_view(), name="returns-export"),
    path("topics/", analysis.TopicsView.as_view(), name="topics"),
    path("topics/export/", analysis.TopicsExportView.as_view(), name="topics-export"),
]
