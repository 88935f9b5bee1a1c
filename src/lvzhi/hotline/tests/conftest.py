import pytest


@pytest.fixture(autouse=True)
def private_cache(settings):
    """A cache of this test's own: the shared file cache carries other processes' finder stamps."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "hotline-tests"}}
