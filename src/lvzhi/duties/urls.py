from django.urls import path

from . import views

app_name = "duties"
urlpatterns = [
    path("matters/", views.MatterListView.as_view(), name="matters"),
    path("matters/<str:code>/", views.MatterDetailView.as_view(), name="matter"),
]
