"""Working-day clocks as ordinals, so time limits are plain integer arithmetic in SQL.

``ordinal(day)`` is the number of working days from 1990-01-01 up to and including ``day`` (a
rest day has the ordinal of the working day before it). The working days after a ticket's
receipt day up to and including its closing day are ``closed_wd - received_wd`` — the same count
as ``WorkCalendar.between`` — and a ticket is on time when that is within its kind's limit.

The calendar itself is the problems app's ``WorkCalendar`` (chinesecalendar plus the loaded
``holidays.yaml`` overrides); without that app the bundled ``holidays.yaml`` overrides are read
directly.
"""

import datetime as dt
import hashlib
import threading
import time

import chinese_calendar
from django.apps import apps
from django.core.cache import cache

from lvzhi.core.libraries import library_path, read

from lvzhi.problems.workdays import WorkCalendar

START = dt.date(1990, 1, 1)
_CACHE_SECONDS = 600
_lock = threading.Lock()
_cached = {"clock": None, "at": 0.0}


def _bundled_overrides():
    data = read(library_path("holidays.yaml"))
    days = {}
    for key, workday in (("holidays", False), ("workdays", True)):
        for item in data.get(key) or []:
            first = item.get("date") or item.get("from")
            last = item.get("date") or item.get("to") or first
            day = first
            while day <= last:
                days[day] = workday
                day += dt.timedelta(days=1)
    return days


def work_calendar():
    if apps.is_installed("lvzhi.problems"):
        return WorkCalendar()
    return WorkCalendar(overrides=_bundled_overrides())


class WorkdayClock:
    """Ordinals for every day from 1990 to five years ahead, by date and by ISO text."""

    def __init__(self, calendar=None, end=None, flags=None):
        self.end = end or dt.date(dt.date.today().year + 5, 12, 31)
        if flags is None:
            calendar = calendar or work_calendar()
            flags = bytes(calendar.is_workday(START + dt.timedelta(days=i))
                          for i in range((self.end - START).days + 1))
        self.flags = flags
        self.by_text = {}
        self.by_date = {}
        count, day, one = 0, START, dt.timedelta(days=1)
        for flag in flags:
            count += flag
            self.by_date[day] = count
            self.by_text[day.isoformat()] = count
            day += one

    def ordinal(self, day):
        if isinstance(day, dt.datetime):
            day = day.date()
        found = self.by_date.get(day)
        if found is not None:
            return found
        # Outside the table: count calendar weekdays from its edge (no holiday data exists there).
        edge = START if day < START else self.end
        base = 0 if day < START else self.by_date[self.end]
        step = 1 if day > edge else -1
        count, cursor = 0, edge
        while cursor != day:
            cursor += dt.timedelta(days=step)
            count += cursor.weekday() < 5
        return base + step * count

    def between(self, start, end):
        return self.ordinal(end) - self.ordinal(start)


def _calendar_stamp():
    """What the working days depend on: the calendar package and the loaded overrides."""
    stamp = f"{chinese_calendar.__version__}|{dt.date.today().year}"
    if apps.is_installed("lvzhi.problems"):
        from lvzhi.problems.models import CalendarDay

        days = CalendarDay.objects.order_by("date").values_list("date", "is_workday")
        stamp += "|" + hashlib.sha1(repr(list(days)).encode()).hexdigest()
    return stamp


def current_clock():
    """A clock shared for a few minutes. Reading the calendar for 15,000 days takes a while, so the
    day flags are also kept in the shared cache, keyed by what they depend on."""
    with _lock:
        if _cached["clock"] is None or time.monotonic() - _cached["at"] > _CACHE_SECONDS:
            key = "lvzhi:hotline:workdays:" + _calendar_stamp()
            flags = cache.get(key)
            clock = WorkdayClock(flags=flags)
            if flags is None:
                cache.set(key, clock.flags, _CACHE_SECONDS * 6)
            _cached["clock"], _cached["at"] = clock, time.monotonic()
        return _cached["clock"]


def reset():
    """Forget the shared clock (after the calendar changes, and between tests)."""
    with _lock:
        _cached["clock"] = None
