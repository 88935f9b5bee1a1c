"""The REST API router: each app's ``api.py`` registers its viewsets here."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()

from lvzhi.org import api as _org_api  # noqa: E402,F401  (registers routes)
from lvzhi.duties import api as _duties_api  # noqa: E402,F401
