"""The working-day calendar of Viet Nam: which days count in a deadline of N working days.

A day is a working day unless it falls on the weekend (Saturday, Sunday) or on a public holiday.
The public holidays come from the ``holidays`` package (country "VN"): New Year, Tết and Hùng
Kings' day by the lunar calendar, 30/4, 1/5, 2/9 and its adjacent day, 24/11 from 2026, the
observed days when a holiday falls on a weekend, and the substitute days off with their make-up
Saturdays that the government announced and the package records. An administrator's
``CalendarDay`` has the last word on its date: a make-up working day counts even on a weekend,
a declared day off never counts.

The package's days are computed once per year and process; the administrators' days are read
once per calendar object and year, so one ``WorkingDayCalendar`` computes many deadlines with
one query a year.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

import holidays as holiday_package

from dangbo.core.models import CalendarDay, CalendarDayKind

COUNTRY = "VN"
WEEKEND = frozenset({5, 6})  # date.weekday(): Saturday, Sunday
ONE_DAY = dt.timedelta(days=1)
# The package's languages for the interface's ones (its Vietnamese names are the official ones).
PACKAGE_LANGUAGES = {"vi": "vi", "en": "en_US"}


@dataclass(frozen=True)
class PackageYear:
    """What the ``holidays`` package says about one year: the public holidays (with their
    names, in the package's default language, Vietnamese) and the make-up working days."""

    holidays: dict[dt.date, str]
    make_up_days: frozenset[dt.date]


@functools.lru_cache(maxsize=256)
def package_year(year: int) -> PackageYear:
    """The ``holidays`` package's days of ``year``, computed once per process."""
    days = holiday_package.country_holidays(COUNTRY, years=year)
    # A make-up Saturday may belong to a substitution of the next or previous year (27/12/2014
    # for 2/1/2015): the package lists it with either year, so both neighbours are asked.
    make_up = set(days.weekend_workdays)
    for other in (year - 1, year + 1):
        make_up |= holiday_package.country_holidays(COUNTRY, years=other).weekend_workdays
    return PackageYear(
        holidays={day: name for day, name in days.items() if day.year == year},
        make_up_days=frozenset(day for day in make_up if day.year == year),
    )


@functools.lru_cache(maxsize=256)
def public_holidays(year: int, language: str = "vi") -> tuple[tuple[dt.date, str], ...]:
    """The public holidays of ``year`` in date order, named in ``language`` ("vi" or "en")."""
    names = holiday_package.country_holidays(
        COUNTRY, years=year, language=PACKAGE_LANGUAGES.get(language, "vi")
    )
    return tuple(sorted((day, name) for day, name in names.items() if day.year == year))


def make_up_days(year: int) -> list[dt.date]:
    """The make-up working days (weekend days worked) of ``year`` that the package records."""
    return sorted(package_year(year).make_up_days)


class WorkingDayCalendar:
    """Working days, with the administrators' days read once per year that is looked at.

    Keep one object for a batch of computations (a list of cases); make a new one to see days
    entered since.
    """

    def __init__(self) -> None:
        self._entries: dict[dt.date, str] = {}
        self._loaded: set[int] = set()

    def load_years(self, first: int, last: int) -> None:
        """Read the administrators' days of the years ``first``..``last`` not read yet, in one
        query."""
        missing = [year for year in range(first, last + 1) if year not in self._loaded]
        if not missing:
            return
        rows = CalendarDay.objects.filter(
            date__gte=dt.date(missing[0], 1, 1), date__lte=dt.date(missing[-1], 12, 31)
        ).values_list("date", "kind")
        self._entries.update(rows)
        self._loaded.update(range(missing[0], missing[-1] + 1))

    def entered_kind(self, day: dt.date) -> str | None:
        """The kind of the administrator's day on ``day``, if one was entered."""
        if day.year not in self._loaded:
            self.load_years(day.year, day.year)
        return self._entries.get(day)

    def is_working_day(self, day: dt.date) -> bool:
        entered = self.entered_kind(day)
        if entered is not None:
            return entered == CalendarDayKind.WORKING_DAY
        return is_package_working_day(day)

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The day that is ``n`` working days after ``start`` (``start`` itself not counted;
        ``start`` for n = 0)."""
        if n < 0:
            raise ValueError("n must not be negative")
        # Seven calendar days hold at least five working days but for the holidays: a month
        # of margin covers Tết, so one query usually reads every year the count crosses.
        self.load_years(start.year, (start + dt.timedelta(days=n * 7 // 5 + 31)).year)
        day = start
        while n > 0:
            day += ONE_DAY
            if self.is_working_day(day):
                n -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """How many working days come after ``start`` up to and including ``end``; negative
        (the working days after ``end`` up to ``start``) when ``end`` is before ``start``.
        ``add_working_days(start, working_days_between(start, end))`` is ``end`` whenever
        ``end`` is a working day after ``start``."""
        if end < start:
            return -self.working_days_between(end, start)
        self.load_years(start.year, end.year)
        count, day = 0, start
        while day < end:
            day += ONE_DAY
            if self.is_working_day(day):
                count += 1
        return count


def is_package_working_day(day: dt.date) -> bool:
    """Is ``day`` a working day by the weekend and the package alone (no administrator's day)?"""
    year = package_year(day.year)
    if day in year.make_up_days:
        return True
    return day.weekday() not in WEEKEND and day not in year.holidays


def is_working_day(day: dt.date) -> bool:
    """Is ``day`` a working day (at most one query)?"""
    return WorkingDayCalendar().is_working_day(day)


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The day that is ``n`` (≥ 0) working days after ``start``, ``start`` itself not counted:
    the last day of a deadline of ``n`` working days from ``start``."""
    return WorkingDayCalendar().add_working_days(start, n)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """The working days after ``start`` up to and including ``end`` (negative if ``end`` is
    before ``start``)."""
    return WorkingDayCalendar().working_days_between(start, end)
