"""Period counting (民法典第二百零一条–第二百零三条) on the official calendar."""

from datetime import date

import pytest

from knowledge.periods import (
    add_months,
    add_working_days,
    calendar_is_official,
    is_rest_day,
    period_end,
    working_days_until,
)


def test_start_day_is_not_counted() -> None:
    # 2026-11-02 (Mon) + 15 days → 2026-11-17 (Tue), a working day
    assert period_end(date(2026, 11, 2), days=15) == date(2026, 11, 17)


def test_a_period_ending_in_the_national_day_holiday_moves_past_it() -> None:
    # received 2026-09-20: day 15 is 10-05, inside 国庆 (10-01 … 10-07) → 10-08
    assert period_end(date(2026, 9, 20), days=15) == date(2026, 10, 8)


def test_a_period_ending_in_the_spring_festival_moves_past_it() -> None:
    # 2026-02-01 + 15 → 02-16, inside 春节 (02-15 … 02-23) → 02-24
    assert period_end(date(2026, 2, 1), days=15) == date(2026, 2, 24)


def test_a_tiaoxiu_working_weekend_is_not_a_rest_day() -> None:
    assert not is_rest_day(date(2026, 2, 28))  # a Saturday worked in exchange for 春节
    assert not is_rest_day(date(2026, 10, 10))  # a Saturday worked in exchange for 国庆
    assert is_rest_day(date(2026, 10, 11))


def test_ordinary_weekend_end_moves_to_monday() -> None:
    # 2026-11-06 (Fri) + 15 → 11-21 (Sat) → 11-23 (Mon)
    assert period_end(date(2026, 11, 6), days=15) == date(2026, 11, 23)


def test_months_end_on_the_corresponding_day_or_the_month_end() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 3, 15), 6) == date(2026, 9, 15)
    assert period_end(date(2025, 3, 31), months=6) == date(2025, 9, 30)
    assert period_end(date(2024, 2, 29), years=1) == date(2025, 2, 28)


def test_sixty_days_from_acceptance_across_new_year() -> None:
    end = period_end(date(2026, 11, 25), days=60)
    assert end >= date(2027, 1, 24) and not is_rest_day(end)


def test_years_beyond_the_official_calendar_use_a_provisional_one() -> None:
    assert calendar_is_official(date(2026, 6, 1))
    if not calendar_is_official(date(2027, 10, 1)):
        assert is_rest_day(date(2027, 10, 1))  # 国庆 is known from the statute
        assert is_rest_day(date(2027, 10, 2))


def test_working_days() -> None:
    assert add_working_days(date(2026, 9, 30), 5) == date(2026, 10, 13)  # skips 国庆, counts Sat 10-10
    assert working_days_until(date(2026, 11, 23), date(2026, 11, 27)) == 4
    assert working_days_until(date(2026, 11, 27), date(2026, 11, 23)) < 0


def test_exactly_one_unit() -> None:
    with pytest.raises(ValueError):
        period_end(date(2026, 1, 1), days=1, months=1)


def test_one_month_from_the_31st_of_january_ends_at_the_end_of_february() -> None:
    # 民法典第二百零二条: no 2月31日 → the month's last day; 2026-02-28 is a 调休 working Saturday (第二百零三条
    # moves only 法定休假日), 2025-02-28 a Friday, and 2024 has a leap day
    assert period_end(date(2026, 1, 31), months=1) == date(2026, 2, 28)
    assert period_end(date(2025, 1, 31), months=1) == date(2025, 2, 28)
    assert period_end(date(2024, 1, 31), months=1) == date(2024, 2, 29)
