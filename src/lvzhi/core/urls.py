from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.WorkbenchView.as_view(), name="workbench"),
    path("messages/", views.NotificationListView.as_view(), name="notifications"),
    path("messages/read/", views.NotificationReadView.as_view(), name="notifications-read-all"),
    path("messages/<int:pk>/read/", views.NotificationReadView.as_view(), name="notification-read"),
    path("files/<int:pk>/", views.FileDownloadView.as_view(), name="file"),
    path("jobs/<int:pk>/", views.JobView.as_view(), name="job"),
    path("audit/", views.AuditLogView.as_view(), name="auditlog"),
]
