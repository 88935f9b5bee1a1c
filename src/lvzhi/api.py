"""The REST API router: each app's ``api.py`` registers its viewsets here."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()

from lvzhi.org import api as _org_api  # noqa: E402,F401  (registers routes)
from lvzhi.duties import api as _duties_api  # noqa: E402,F401
from lvzhi.problems import api as _problems_api  # noqa: E402,F401
from lvzhi.hotline import api as _hotline_api  # noqa: E402,F401
from lvzhi.reform import api as _reform_api  # noqa: E402,F401
from lvzhi.assessment import api as _assessment_api  # noqa: E402,F401
