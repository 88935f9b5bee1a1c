"""Audit log wiring: every domain model is registered with django-auditlog, and every write carries
a request id (web), or the name of the command or task that made it."""

import contextlib
import uuid
from contextvars import ContextVar

from django.apps import apps

_request_id = ContextVar("lvzhi_request_id", default=None)

EXCLUDED_FIELDS = ["version", "updated_at", "created_at", "created_by"]


def get_request_id():
    return _request_id.get()


def set_request_id(value):
    return _request_id.set(value)


def reset_request_id(token):
    _request_id.reset(token)


@contextlib.contextmanager
def origin(label):
    """Attribute writes inside the block to a command or task, e.g. ``origin("命令 import-org")``."""
    token = _request_id.set(f"{label}#{uuid.uuid4().hex[:8]}")
    try:
        yield
    finally:
        _request_id.reset(token)


def register_domain_models():
    from auditlog.registry import auditlog

    from .models import Model

    for model in apps.get_models():
        if issubclass(model, Model) and not model._meta.abstract and getattr(model, "audited", True):
            if not auditlog.contains(model):
                auditlog.register(model, exclude_fields=EXCLUDED_FIELDS)
