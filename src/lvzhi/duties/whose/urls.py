from django.urls import path

from . import views

app_name = "finder"
urlpatterns = [
    path("", views.FinderView.as_view(), name="search"),
]

public_urlpatterns = [
    path("", views.PublicFinderView.as_view(), name="public-search"),
]
