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
            _("Số CCCD phải gồm 12 chữ số (hoặc 9 chữ số nếu là CMND cũ)."), code="citizen_id_format"
        )
    if len(value) == 9:
        return value  # Legacy identity card: no structure to check.
    if value[:3] not in province_prefixes():
        raise ValidationError(
            _("Số CCCD: 3 chữ số đầu “%(prefix)s” không phải mã tỉnh, thành phố nơi đăng ký khai sinh.")
            % {"prefix": value[:3]},
            code="citizen_id_province",
        )
    if date_of_birth is not None and sex:
        expected = century_sex_digit(sex, date_of_birth.year)
        if int(value[3]) != expected:
            raise ValidationError(
                _("Số CCCD: chữ số thứ 4 phải là %(expected)s cho %(sex)s sinh năm %(year)s "
                  "(mã thế kỷ và giới tính).")
                % {"expected": expected, "sex": _("nam") if sex == "male" else _("nữ"),
                   "year": date_of_birth.year},
                code="citizen_id_century_sex",
            )
        if value[4:6] != f"{date_of_birth.year % 100:02d}":
            raise ValidationError(
                _("Số CCCD: chữ số thứ 5–6 phải là %(yy)s, hai số cuối của năm sinh.")
                % {"yy": f"{date_of_birth.year % 100:02d}"},
                code="citizen_id_year",
            )
    return value
