"""工作台 items of the hotline module (one query each)."""

from django.urls import reverse

from lvzhi.core.workbench import TodoItem

from .models import Dispute


def todos(user, scope):
    """The office sees how many dispute subjects wait for a responsibility decision."""
    if not scope.is_office:
        return []
    waiting = Dispute.objects.filter(state=Dispute.State.OPEN).count()
    if not waiting:
        return []
    return [TodoItem(f"12345退单争议事项待认定：{waiting} 个", reverse("hotline:disputes") + "?state=open",
                     kind="hotline")]
