"""The working-day calendar (core.calendar): weekends, the holidays package's public holidays and
make-up days, the administrators' days, and deadlines counted across Tết and long weekends."""

from __future__ import annotations

import datetime as dt

import pytest

from dangbo.core import calendar
from dangbo.core.calendar import (
    WorkingDayCalendar,
    add_working_days,
    is_working_day,
    working_days_between,
)
from dangbo.core.models import CalendarDay, CalendarDayKind

D = dt.date


def enter(day: dt.date, kind: str) -> CalendarDay:
    return CalendarDay.objects.create(date=day, kind=kind, source_document="TB 1/TB-BNV")


# --- the package's days ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "day",
    [
        D(2025, 1, 1),  # New Year
        D(2025, 1, 27),  # Tết Ất Tỵ: 28 to 4 Tết, Monday to Friday
        D(2025, 1, 31),
        D(2025, 4, 7),  # Hùng Kings' day, 10/3 lunar
        D(2025, 4, 30),
        D(2025, 5, 1),
        D(2025, 5, 2),  # substitute day off for Saturday 26/4/2025
        D(2025, 9, 1),  # 2/9 and its adjacent day
        D(2025, 9, 2),
        D(2026, 2, 16),  # Tết Bính Ngọ
        D(2026, 4, 27),  # Hùng Kings' day on a Sunday: observed on the Monday
        D(2026, 11, 24),  # Vietnam Cultural Day, from 2026
    ],
)
def test_public_holidays_are_not_working_days(db, day):
    assert is_working_day(day) is False


@pytest.mark.parametrize(
    "day",
    [
        D(2025, 1, 24),  # the Friday before Tết
        D(2025, 2, 3),  # the Monday after
        D(2025, 4, 26),  # make-up Saturday for 2/5/2025
        D(2024, 5, 4),  # make-up Saturday for 29/4/2024
        D(2014, 12, 27),  # make-up Saturday of 2014 for 2/1/2015, listed with the next year
        D(2025, 11, 24),  # 24/11 became a holiday only in 2026
    ],
)
def test_weekdays_and_make_up_saturdays_are_working_days(db, day):
    assert is_working_day(day) is True


def test_weekends_are_not_working_days(db):
    assert [is_working_day(D(2025, 3, d)) for d in range(7, 11)] == [True, False, False, True]


def test_the_year_lists_its_holidays_with_vietnamese_and_english_names():
    # when
    vietnamese = dict(calendar.public_holidays(2026, "vi"))
    english = dict(calendar.public_holidays(2026, "en"))
    # then
    assert vietnamese[D(2026, 11, 24)] == "Ngày Văn hóa Việt Nam"
    assert english[D(2026, 11, 24)] == "Vietnam Cultural Day"
    assert vietnamese[D(2026, 9, 2)] == "Quốc khánh"
    assert all(day.year == 2026 for day in vietnamese)
    assert calendar.make_up_days(2026) == [D(2026, 8, 22)]


# --- deadlines ------------------------------------------------------------------------------------


def test_sixty_working_days_from_a_branch_resolution_across_tet(db):
    # Branch resolution Wednesday 15/1/2025. Counting the working days after it:
    #   16–17/1 (2) · 20–24/1 (5) → 7 · 27/1–2/2 Tết (28 Tết to mùng 5, with the weekend): 0
    #   3/2–28/2: four full weeks → 27 · 3/3–28/3: four weeks → 47 · 31/3–4/4 → 52
    #   7/4 Hùng Kings' day: 0 · 8–11/4 → 56 · 14, 15, 16, 17/4 → 60.
    # Without the six holidays the 60th would have been Wednesday 9/4/2025.
    assert add_working_days(D(2025, 1, 15), 60) == D(2025, 4, 17)


def test_thirty_working_days_across_the_long_weekend_of_30_4_and_1_5(db):
    # Ceremony deadline from a decision received on Friday 18/4/2025:
    #   21–25/4 (5) · Saturday 26/4 is a make-up working day → 6 · 28, 29/4 → 8
    #   30/4, 1/5, 2/5 (substitute), 3–4/5 weekend: 0 · 5–9/5 → 13 · 12–16/5 → 18
    #   19–23/5 → 23 · 26–30/5 → 28 · 2, 3/6 → 30.
    assert add_working_days(D(2025, 4, 18), 30) == D(2025, 6, 3)


def test_deadlines_across_national_day(db):
    # Friday 29/8/2025 + 1: 30–31/8 weekend, 1–2/9 National Day → Wednesday 3/9.
    assert add_working_days(D(2025, 8, 29), 1) == D(2025, 9, 3)
    # Friday 28/8/2026 + 1: 29–30/8 weekend, 31/8 substitute day off, 1–2/9 → Thursday 3/9.
    assert add_working_days(D(2026, 8, 28), 1) == D(2026, 9, 3)


def test_zero_working_days_is_the_start_itself(db):
    assert add_working_days(D(2025, 1, 29), 0) == D(2025, 1, 29)


def test_negative_working_days_are_refused(db):
    with pytest.raises(ValueError):
        add_working_days(D(2025, 1, 15), -1)


def test_working_days_between_counts_after_the_start_up_to_the_end(db):
    assert working_days_between(D(2025, 1, 15), D(2025, 4, 17)) == 60
    assert working_days_between(D(2025, 1, 24), D(2025, 2, 3)) == 1  # Tết in between
    assert working_days_between(D(2025, 2, 3), D(2025, 1, 24)) == -1
    assert working_days_between(D(2025, 3, 8), D(2025, 3, 8)) == 0


@pytest.mark.parametrize("n", [0, 1, 5, 29, 60, 90, 250])
def test_working_days_between_undoes_add_working_days(db, n):
    start = D(2025, 12, 19)
    assert working_days_between(start, add_working_days(start, n)) == n


def test_a_year_has_about_250_working_days(db):
    # 2025: 261 weekdays less 12 holidays on weekdays (1/1, five Tết days, 7/4, 30/4, 1/5,
    # 2/5, 1–2/9), plus the make-up Saturday 26/4.
    assert working_days_between(D(2024, 12, 31), D(2025, 12, 31)) == 261 - 12 + 1


# --- the administrators' days ---------------------------------------------------------------------


def test_a_make_up_saturday_entered_by_an_administrator_counts(db):
    # given: Friday 5/3/2027, and Saturday 6/3 declared a working day
    before = add_working_days(D(2027, 3, 5), 1)
    enter(D(2027, 3, 6), CalendarDayKind.WORKING_DAY)
    # when
    after = add_working_days(D(2027, 3, 5), 1)
    # then
    assert before == D(2027, 3, 8)
    assert after == D(2027, 3, 6)


def test_a_declared_day_off_is_skipped(db):
    # given: Monday 8/3/2027 declared a day off
    enter(D(2027, 3, 8), CalendarDayKind.DAY_OFF)
    # when / then
    assert is_working_day(D(2027, 3, 8)) is False
    assert add_working_days(D(2027, 3, 5), 1) == D(2027, 3, 9)
    assert working_days_between(D(2027, 3, 5), D(2027, 3, 12)) == 4


def test_an_administrators_day_has_the_last_word_over_the_package(db):
    # given: the package's substitute day off of 31/8/2026 and make-up Saturday 22/8/2026 undone
    enter(D(2026, 8, 31), CalendarDayKind.WORKING_DAY)
    enter(D(2026, 8, 22), CalendarDayKind.DAY_OFF)
    # then
    assert is_working_day(D(2026, 8, 31)) is True
    assert is_working_day(D(2026, 8, 22)) is False


# --- speed ----------------------------------------------------------------------------------------


def test_one_query_per_call(db, django_assert_num_queries):
    enter(D(2026, 1, 2), CalendarDayKind.DAY_OFF)
    with django_assert_num_queries(1):
        assert is_working_day(D(2026, 1, 2)) is False
    with django_assert_num_queries(1):  # across the new year: both years in one query
        assert add_working_days(D(2025, 12, 30), 3) == D(2026, 1, 6)
    with django_assert_num_queries(1):
        assert working_days_between(D(2024, 6, 1), D(2026, 6, 1)) > 400


def test_one_calendar_object_reads_each_year_once(db, django_assert_num_queries):
    # given
    working = WorkingDayCalendar()
    # when / then: 2025, then 2026 when December's deadline reaches into January
    with django_assert_num_queries(2):
        for month in range(1, 13):
            working.add_working_days(D(2025, month, 1), 5)
    with django_assert_num_queries(0):
        working.is_working_day(D(2025, 6, 2))
        working.add_working_days(D(2025, 12, 15), 20)
