"""站内消息: one function every module calls to tell people something."""

import logging

from django.conf import settings
from django.core.mail import send_mail

from .models import Notification

log = logging.getLogger(__name__)


def notify(users, title, body="", url="", kind=""):
    """Create an in-app message for each user; e-mail it too when e-mail is configured."""
    users = [u for u in users if u is not None and u.is_active]
    Notification.objects.bulk_create(
        [Notification(recipient=u, title=title[:200], body=body, url=url, kind=kind) for u in users]
    )
    if settings.LVZHI_EMAIL_ENABLED:
        recipients = [u.email for u in users if u.email]
        if recipients:
            try:
                send_mail(f"[履职] {title}", f"{body}\n\n{url}".strip(), None, recipients)
            except OSError:
                log.exception("notification e-mail failed: %s", title)
    return len(users)


def unread_count(user):
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
