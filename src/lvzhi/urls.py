from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from .api import router
from .duties.whose.views import FinderAPIView

handler403 = "lvzhi.core.views.error_403"

urlpatterns = [
    path("", include("lvzhi.core.urls")),
    path("accounts/", include("lvzhi.accounts.urls")),
    path("org/", include("lvzhi.org.urls")),
    path("duties/", include("lvzhi.duties.urls")),
    path("finder/", include("lvzhi.duties.whose.urls")),
    path("public/", include("lvzhi.public.urls")),
    path("problems/", include("lvzhi.problems.urls")),
    path("hotline/", include("lvzhi.hotline.urls")),
    path("reform/", include("lvzhi.reform.urls")),
    path("assessment/", include("lvzhi.assessment.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/finder/", FinderAPIView.as_view(), name="api-finder"),
    path("api/", include(router.urls)),
]
