from django.urls import include, path

from lvzhi.duties.whose.urls import public_urlpatterns as finder_patterns

from . import views

app_name = "public"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("items/", views.ItemListView.as_view(), name="items"),
    path("items/<int:pk>/", views.ItemDetailView.as_view(), name="item"),
    path("editions/<int:pk>/", views.EditionView.as_view(), name="edition"),
    path("departments/<str:code>/", views.DepartmentView.as_view(), name="department"),
    path("departments/<str:code>/powers.xlsx", views.DepartmentPowersDownload.as_view(), name="department-xlsx"),
    path("matters/", views.MatterListView.as_view(), name="matters"),
    path("matters/<str:code>/", views.MatterView.as_view(), name="matter"),
    # “这件事归谁管？” on published data (the finder, lvzhi.duties.whose)
    path("finder/", include(finder_patterns)),
]
