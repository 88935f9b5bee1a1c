"""What the reform commands share: acting as a named user."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError


def acting_user(username):
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"没有用户 {username}")
    return user


def write_report(command, report):
    lines = report.lines()
    if not report.committed:
        for line in lines[1:]:
            command.stderr.write(line)
        raise CommandError(lines[0])
    for line in lines:
        command.stdout.write(line)
