"""Validation of identity data: the citizen ID against the person's sex and date of birth."""

from __future__ import annotations

import csv
import datetime as dt
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DATA_DIR = Path(__file__).resolve().parent.parent / "core" / "data"


@cache
def province_prefixes() -> dict[str, str]:
    """Citizen ID prefix (3 digits) → province name, for the 63 provinces of 2004–2025."""
    with open(DATA_DIR / "provinces-2004-2025.csv", encoding="utf-8") as handle:
        return {row["citizen_id_prefix"]: row["name"] for row in csv.DictReader(handle)}


def century_sex_digit(sex: str, birth_year: int) -> int:
    """Digit 4 of a citizen ID: 0/1 for the 1900s, 2/3 for the 2000s, ... (male/female)."""
    century_index = (birth_year // 100) - 19
    return century_index * 2 + (1 if sex == "female" else 0)


def validate_citizen_id(citizen_id: str, *, sex: str | None, date_of_birth: dt.date | None) -> str:
    """Return the cleaned ID or raise ValidationError naming the rule it breaks (DOMAIN §2)."""
    value = (citizen_id or "").strip().replace(" ", "")
    if not value.isdigit() or len(value) not in (9, 12):
        raise ValidationError(
            _("A citizen ID has 12 digits (or 9 for an old identity card)."),
            code="citizen_id_format",
        )
    if len(value) == 9:
        return value  # Legacy identity card: no structure to check.
    if value[:3] not in province_prefixes():
        raise ValidationError(
            _(
                "Citizen ID: the first 3 digits “%(prefix)s” are not the code of a province or "
                "city where a birth is registered."
            )
            % {"prefix": value[:3]},
            code="citizen_id_province",
        )
    if date_of_birth is not None and sex:
        expected = century_sex_digit(sex, date_of_birth.year)
        if int(value[3]) != expected:
            raise ValidationError(
                _(
                    "Citizen ID: the 4th digit must be %(expected)s for a %(sex)s born in %(year)s "
                    "(century and sex code)."
                )
                % {
                    "expected": expected,
                    "sex": _("male") if sex == "male" else _("female"),
                    "year": date_of_birth.year,
                },
                code="citizen_id_century_sex",
            )
        if value[4:6] != f"{date_of_birth.year % 100:02d}":
            raise ValidationError(
                _(
                    "Citizen ID: digits 5–6 must be %(yy)s, "
                    "the last two digits of the year of birth."
                )
                % {"yy": f"{date_of_birth.year % 100:02d}"},
                code="citizen_id_year",
            )
    return value
