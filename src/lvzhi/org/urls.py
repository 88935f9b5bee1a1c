from django.urls import path

from . import views

app_name = "org"
urlpatterns = [
    path("departments/", views.DepartmentListView.as_view(), name="departments"),
    path("departments/new/", views.DepartmentCreateView.as_view(), name="department-create"),
    path("departments/<str:code>/", views.DepartmentDetailView.as_view(), name="department"),
    path("departments/<str:code>/edit/", views.DepartmentUpdateView.as_view(), name="department-edit"),
    path("departments/<str:code>/mandate/", views.MandateEditView.as_view(), name="mandate-edit"),
    path("departments/<str:code>/staffing/new/", views.StaffingActualCreateView.as_view(), name="staffing-create"),
    path("mandates/<int:pk>/", views.MandateDetailView.as_view(), name="mandate"),
    path("import/", views.OrgImportView.as_view(), name="import"),
    path("export/", views.OrgExportView.as_view(), name="export"),
]
