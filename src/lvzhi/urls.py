from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from .api import router
from .duties.whose.views import FinderAPIView, PublicFinderView

handler403 = "lvzhi.core.views.error_403"

urlpatterns = [
    path("", include("lvzhi.core.urls")),
    path("accounts/", include("lvzhi.accounts.urls")),
    path("org/", include("lvzhi.org.urls")),
    path("duties/", include("lvzhi.duties.urls")),
    path("finder/", include("lvzhi.duties.whose.urls")),
    path("public/finder/", PublicFinderView.as_view(), name="public-finder"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/finder/", FinderAPIView.as_view(), name="api-finder"),
    path("api/", include(router.urls)),
]
