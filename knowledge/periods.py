"""Counting statutory periods the way 《民法典》第二百零一条至第二百零三条 count them.

- 第二百零一条: a period in days, months or years starts the day after the event (start day excluded);
- 第二百零二条: a period in months or years ends on the corresponding day of the last month, or on
  that month's last day when there is none;
- 第二百零三条: when the last day is a 法定休假日 (a public holiday or a weekend rest day that is
  not a 调休 working day), the period ends on the first day after it.

Rest days come from the official State Council calendar as packaged by `chinese-calendar`
(it knows 调休 working weekends). For a year it does not cover yet — the next year's calendar is
published each November — the `holidays` package's statutory days plus weekends stand in, and
`calendar_is_official(day)` says so, so callers can tell the citizen the date is provisional.
Used for case deadlines (backend) and for the last day to apply elsewhere (nlp/steer).
"""

from __future__ import annotations

import calendar as _calendar
from datetime import date, timedelta
from functools import cache

import chinese_calendar
import holidays


@cache
def _provisional_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.China(years=year))


def calendar_is_official(day: date) -> bool:
    """True when the official calendar (with 调休) covers this day's year."""
    try:
        chinese_calendar.is_holiday(day)
    except NotImplementedError:
        return False
    return True


def is_rest_day(day: date) -> bool:
    """A 法定休假日: a public holiday, or a weekend that is not a 调休 working day."""
    try:
        return chinese_calendar.is_holiday(day)
    except NotImplementedError:
        return day.weekday() >= 5 or day in _provisional_holidays(day.year)


def is_working_day(day: date) -> bool:
    return not is_rest_day(day)


def roll_past_rest_days(day: date) -> date:
    """第二百零三条: a period whose last day is a rest day ends on the next working day."""
    while is_rest_day(day):
        day += timedelta(days=1)
    return day


def add_months(day: date, months: int) -> date:
    """The corresponding day `months` later, or that month's last day (第二百零二条)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))


def period_end(start: date, *, days: int = 0, months: int = 0, years: int = 0) -> date:
    """Last day of a period that begins with an event on `start` (the start day not counted).

    `days=15` from 1 October ends on 16 October — unless that is a rest day, then later.
    """
    if (days > 0) + (months > 0) + (years > 0) != 1:
        raise ValueError("give exactly one of days, months, years (positive)")
    last = start + timedelta(days=days) if days else add_months(start, months + 12 * years)
    return roll_past_rest_days(last)


def add_working_days(start: date, count: int) -> date:
    """The `count`-th working day after `start` (for limits in 工作日, e.g. 条例第二十三条's 5 个工作日)."""
    day = start
    remaining = count
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_until(today: date, deadline: date) -> int:
    """Working days left from today (exclusive) to the deadline (inclusive); negative when past."""
    if deadline < today:
        return -sum(1 for i in range(1, (today - deadline).days + 1) if is_working_day(deadline + timedelta(days=i)))
    return sum(1 for i in range(1, (deadline - today).days + 1) if is_working_day(today + timedelta(days=i)))
