"""Recomputing the stored working-day ordinals after the calendar changed."""

from django.db import connection, transaction
from django.utils import timezone

from ..clock import current_clock
from ..models import Ticket

CHUNK = 20_000


def recompute_clocks(progress=None):
    """Recompute ``received_wd`` and ``closed_wd`` of every ticket; returns how many changed."""
    clock = current_clock()
    table = Ticket._meta.db_table
    changed = done = 0
    last = 0
    while True:
        rows = list(Ticket._base_manager.filter(pk__gt=last).order_by("pk").values_list(
            "pk", "received_at", "closed_at", "received_wd", "closed_wd")[:CHUNK])
        if not rows:
            return changed
        updates = []
        for pk, received, closed, received_wd, closed_wd in rows:
            new_received = clock.ordinal(timezone.localtime(received).date())
            new_closed = clock.ordinal(timezone.localtime(closed).date()) if closed else None
            if (new_received, new_closed) != (received_wd, closed_wd):
                updates.append((new_received, new_closed, pk))
        if updates:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(f"UPDATE {table} SET received_wd = %s, closed_wd = %s WHERE id = %s", updates)
        changed += len(updates)
        done += len(rows)
        last = rows[-1][0]
        if progress:
            progress(done)
