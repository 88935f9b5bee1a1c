from .notifications import unread_count
from .scoping import get_scope


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"scope": get_scope(user), "unread_notifications": unread_count(user)}
