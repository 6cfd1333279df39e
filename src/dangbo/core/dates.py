"""Dates: today in Viet Nam, the "as of" date of a request, and whole months between dates."""

from __future__ import annotations

import calendar
import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

EARLIEST_DATE = dt.date(1930, 2, 3)  # The Party was founded on 3/2/1930; nothing is dated before.


def today() -> dt.date:
    """Today's date in Asia/Ho_Chi_Minh, whatever the server's clock zone."""
    return timezone.localdate()


def parse_as_of(value: str | None) -> dt.date:
    """Read an ``as_of`` parameter (YYYY-MM-DD or DD/MM/YYYY); empty means today."""
    if value is None or value.strip() == "":
        return today()
    text = value.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            day = dt.datetime.strptime(text, fmt).date()
            break
        except ValueError:
            continue
    else:
        raise ValidationError(
            _(
                "The “as of” date (as_of) “%(value)s” is invalid: "
                "enter it as YYYY-MM-DD or DD/MM/YYYY."
            ),
            code="as_of_format",
            params={"value": text[:40]},
        )
    if day < EARLIEST_DATE:
        raise ValidationError(
            _("The “as of” date (as_of) cannot be before the Party was founded, on 03/02/1930."),
            code="as_of_too_early",
        )
    if day.year > 9998:
        raise ValidationError(
            _("The “as of” date (as_of) is too far in the future."), code="as_of_too_late"
        )
    return day


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the month's last day (31/1 + 1 = 28 or 29/2)."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def add_years(day: dt.date, years: int) -> dt.date:
    return add_months(day, 12 * years)


def full_months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end`` (0 if end is before start), as ages are counted."""
    if end <= start:
        return 0
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if add_months(start, months) > end:
        months -= 1
    return max(months, 0)


def full_years_between(start: dt.date, end: dt.date) -> int:
    return full_months_between(start, end) // 12
