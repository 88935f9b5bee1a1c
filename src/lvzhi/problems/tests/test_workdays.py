"""Working-day arithmetic on the Chinese calendar, with the library overrides."""

import datetime as dt

import pytest

from ..models import CalendarDay
from ..workdays import WorkCalendar, add_working_days, working_days_between
from .factories import load_libraries

D = dt.date


def test_national_day_2026_is_skipped_and_the_makeup_saturday_counts():
    cal = WorkCalendar(overrides={})
    assert cal.add(D(2026, 9, 30), 1) == D(2026, 10, 8)  # 1–7 October off
    assert cal.add(D(2026, 9, 30), 2) == D(2026, 10, 9)
    assert cal.add(D(2026, 9, 30), 3) == D(2026, 10, 10)  # Saturday 10 October is a 调休 working day
    assert cal.add(D(2026, 9, 30), 4) == D(2026, 10, 12)  # Sunday 11 October is not
    assert cal.is_workday(D(2026, 10, 10)) and not cal.is_workday(D(2026, 10, 11))


def test_counting_back_and_between():
    cal = WorkCalendar(overrides={})
    assert cal.add(D(2026, 10, 12), -3) == D(2026, 10, 8)
    assert cal.between(D(2026, 9, 30), D(2026, 10, 12)) == 4
    assert cal.between(D(2026, 10, 12), D(2026, 9, 30)) == -4
    assert cal.add(D(2026, 11, 2), 0) == D(2026, 11, 2)


@pytest.mark.django_db
def test_library_override_wins_over_the_package():
    CalendarDay.objects.create(date=D(2026, 10, 9), is_workday=False, name="本市特殊安排")
    assert add_working_days(D(2026, 9, 30), 2) == D(2026, 10, 10)
    assert working_days_between(D(2026, 10, 8), D(2026, 10, 12)) == 2


@pytest.mark.django_db
def test_years_the_package_does_not_know_use_the_holidays_library():
    load_libraries()
    cal = WorkCalendar()
    assert not cal.is_workday(D(2027, 2, 5)) and not cal.is_workday(D(2027, 2, 8))  # 春节 2027
    assert cal.add(D(2027, 2, 4), 1) == D(2027, 2, 9)
    assert cal.is_workday(D(2027, 3, 3)) and not cal.is_workday(D(2027, 3, 6))  # weekdays and weekends otherwise
