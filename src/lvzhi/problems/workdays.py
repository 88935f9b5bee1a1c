"""Working days on the Chinese calendar: statutory holidays and 调休 make-up working days.

The official calendar comes from the ``chinesecalendar`` package; days listed in calendar
libraries (``holidays.yaml`` and the office's own files, loaded into ``CalendarDay``) override it,
and cover years the package does not know yet. For such years, days not listed fall back to
Monday–Friday.
"""

import datetime as dt

import chinese_calendar


class WorkCalendar:
    """Load the overrides once, then answer many questions (a task checking every deadline)."""

    def __init__(self, overrides=None):
        if overrides is None:
            from .models import CalendarDay

            overrides = dict(CalendarDay.objects.values_list("date", "is_workday"))
        self.overrides = overrides

    def is_workday(self, day):
        if day in self.overrides:
            return self.overrides[day]
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            return day.weekday() < 5

    def add(self, start, days):
        """The date ``days`` working days after ``start`` (``start`` itself not counted);
        negative ``days`` count back."""
        step = 1 if days >= 0 else -1
        day, left = start, abs(days)
        while left:
            day += dt.timedelta(days=step)
            if self.is_workday(day):
                left -= 1
        return day

    def between(self, start, end):
        """Working days after ``start`` up to and including ``end`` (negative if ``end`` is earlier)."""
        if end < start:
            return -self.between(end, start)
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            count += self.is_workday(day)
        return count


def add_working_days(start, days, calendar=None):
    return (calendar or WorkCalendar()).add(start, days)


def working_days_between(start, end, calendar=None):
    return (calendar or WorkCalendar()).between(start, end)
