"""Working-day ordinals agree with the problems app's calendar, holidays and make-up days included."""

import datetime as dt

import pytest

from lvzhi.problems.workdays import WorkCalendar

from ..clock import WorkdayClock, work_calendar


@pytest.fixture
def clock(db):
    return WorkdayClock(work_calendar())


def test_national_day_week_counts_no_working_days(clock):
    # 2025: 1–8 October off, Sunday 28 September and Saturday 11 October worked (调休).
    assert clock.between(dt.date(2025, 9, 30), dt.date(2025, 10, 8)) == 0
    assert clock.between(dt.date(2025, 9, 30), dt.date(2025, 10, 9)) == 1
    assert clock.between(dt.date(2025, 9, 26), dt.date(2025, 9, 28)) == 1
    assert clock.between(dt.date(2025, 10, 10), dt.date(2025, 10, 13)) == 2


def test_ordinals_match_the_calendar_between_any_two_days(clock):
    calendar = WorkCalendar(overrides={})
    start = dt.date(2025, 1, 20)
    for days in range(0, 60, 7):
        end = start + dt.timedelta(days=days)
        assert clock.between(start, end) == calendar.between(start, end)


def test_days_outside_the_table_fall_back_to_weekdays(clock):
    far = clock.end + dt.timedelta(days=7)
    assert clock.ordinal(far) - clock.ordinal(clock.end) == 5
