"""Test helpers: tickets written straight to the database with their working-day clocks, and
synthetic files imported through the real importer."""

import datetime as dt
import itertools

from django.utils import timezone

from ..clock import current_clock
from ..importer.checks import fingerprint
from ..models import Ticket, TicketReturn

_seq = itertools.count(1)


def local(text):
    """``YYYY-MM-DD HH:MM`` in the city's time zone."""
    return timezone.make_aware(dt.datetime.strptime(text, "%Y-%m-%d %H:%M"))


def make_ticket(received="2025-03-03 09:00", closed=None, *, handler=None, kind="complaint", content="测试诉求",
                address="", satisfaction="", **fields):
    clock = current_clock()
    received_at = local(received)
    closed_at = local(closed) if closed else None
    return Ticket.objects.create(
        ticket_no=fields.pop("ticket_no", None) or f"T{next(_seq):06d}", received_at=received_at,
        month=received_at.year * 100 + received_at.month, received_wd=clock.ordinal(received_at.date()),
        closed_at=closed_at, closed_wd=clock.ordinal(closed_at.date()) if closed_at else None, content=content,
        kind=kind, address=address, handler=handler,
        handler_name=fields.pop("handler_name", handler.name if handler else ""),
        satisfaction=satisfaction, **fields,
    )


def make_return(ticket, source, target=None, when="2025-03-03 15:00", reason="不属于我单位职责"):
    return TicketReturn.objects.create(
        ticket=ticket, returned_at=local(when), from_department=source, from_name=source.name,
        to_department=target, to_name=target.name if target else "", reason=reason,
        key_hash=fingerprint(ticket.ticket_no, when, source.name),
    )
