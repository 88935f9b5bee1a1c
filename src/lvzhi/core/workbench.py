"""工作台: modules register providers of 待办 (to-do) items and shortcuts per role.

A provider is ``fn(user, scope) -> list[TodoItem]`` and should cost a constant number of queries.
"""

from dataclasses import dataclass

_todo_providers = []
_shortcuts = []


@dataclass
class TodoItem:
    title: str
    url: str
    kind: str = ""
    due: object = None
    overdue: bool = False


@dataclass
class Shortcut:
    title: str
    url_name: str
    roles: frozenset
    icon: str = ""


def register_todo(provider):
    if provider not in _todo_providers:
        _todo_providers.append(provider)
    return provider


def register_shortcut(title, url_name, roles, icon=""):
    _shortcuts.append(Shortcut(title, url_name, frozenset(roles), icon))


def todos_for(user, scope):
    items = []
    for provider in _todo_providers:
        items.extend(provider(user, scope))
    return sorted(items, key=lambda t: (t.due is None, t.due or 0))


def shortcuts_for(scope):
    return [s for s in _shortcuts if s.roles & scope.roles]
