"""Working days for the appeal period.

The problems app keeps the calendar (``chinesecalendar`` plus the holiday library loaded into its
``CalendarDay``); when it is installed we use it, so both modules count the same days. Without it
we ask ``chinesecalendar`` directly and fall back to Monday–Friday for years it does not cover.
"""

import datetime as dt

import chinese_calendar
from django.apps import apps


def _is_workday(day):
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def add_working_days(start, days):
    """The date ``days`` working days after ``start`` (``start`` itself not counted)."""
    if apps.is_installed("lvzhi.problems"):
        from lvzhi.problems.workdays import add_working_days as problems_add

        return problems_add(start, days)
    day, left = start, days
    while left > 0:
        day += dt.timedelta(days=1)
        left -= _is_workday(day)
    return day
