"""Fictional people: names, birth dates, identity numbers and record fields.

All draws come from the ``random.Random`` handed in, so a seed gives the same people every time.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass
from typing import Any

from dangbo.core.dates import add_months
from dangbo.demo import names
from dangbo.demo.names import Weighted
from dangbo.members.models import (
    GeneralEducation,
    Person,
    PoliticalTheoryLevel,
    ProfessionalLevel,
    Religion,
    Sex,
)
from dangbo.members.services import derive_name_fields
from dangbo.members.validators import century_sex_digit, province_prefixes

ONE_DAY = dt.timedelta(days=1)


def random_day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    """A day in [start, end], uniformly."""
    return start + dt.timedelta(days=rng.randint(0, max((end - start).days, 0)))


def working_day(day: dt.date, *, lo: dt.date, hi: dt.date) -> dt.date:
    """Move a Saturday or Sunday to the Friday before or the Monday after, within [lo, hi]."""
    if day.weekday() < 5:
        return day
    back = day - dt.timedelta(days=day.weekday() - 4)
    ahead = day + dt.timedelta(days=7 - day.weekday())
    for candidate in (ahead, back) if day.weekday() == 6 else (back, ahead):
        if lo <= candidate <= hi:
            return candidate
    return day


def years_before(day: dt.date, years: float) -> dt.date:
    return day - dt.timedelta(days=int(years * 365.25))


def years_after(day: dt.date, years: float) -> dt.date:
    return day + dt.timedelta(days=int(years * 365.25))


class Bijection:
    """Maps 0, 1, 2, ... to distinct numbers below ``modulus`` that look random."""

    def __init__(self, rng: random.Random, modulus: int) -> None:
        self.modulus = modulus
        while True:
            self.factor = rng.randrange(modulus // 3, modulus)
            if math.gcd(self.factor, modulus) == 1:
                break
        self.offset = rng.randrange(modulus)

    def __call__(self, index: int) -> int:
        if index >= self.modulus:
            raise OverflowError("bijection exhausted")
        return (index * self.factor + self.offset) % self.modulus


class CitizenIds:
    """Unique 12-digit citizen IDs (DOMAIN §2): province, century and sex, year, six digits.

    Each (province, century-sex, year) bucket has a counter run through its own bijection, so
    uniqueness needs no set of all issued numbers; ``taken`` holds numbers already in the
    database, if any.
    """

    def __init__(self, seed: int, taken: set[str] | None = None) -> None:
        self.seed = seed
        self.taken = taken or set()
        self.buckets: dict[str, tuple[Bijection, int]] = {}

    def issue(self, prefix: str, sex: str, date_of_birth: dt.date) -> str:
        head = f"{prefix}{century_sex_digit(sex, date_of_birth.year)}{date_of_birth.year % 100:02d}"
        bijection, used = self.buckets.get(head) or (
            Bijection(random.Random(f"{self.seed}:{head}"), 10**6),
            0,
        )
        while True:
            value = f"{head}{bijection(used):06d}"
            used += 1
            if value not in self.taken:
                break
        self.buckets[head] = (bijection, used)
        return value


@dataclass(frozen=True)
class Workplace:
    """What a person's record needs to know about where they work."""

    statistics_type: str
    home_prefix: str
    residence_areas: tuple[str, ...]
    positions: Weighted[str]


_PROFESSIONAL = {
    "office": Weighted(
        [
            (ProfessionalLevel.NONE, 2),
            (ProfessionalLevel.ELEMENTARY, 2),
            (ProfessionalLevel.INTERMEDIATE, 6),
            (ProfessionalLevel.COLLEGE, 6),
            (ProfessionalLevel.BACHELOR, 64),
            (ProfessionalLevel.MASTER, 18),
            (ProfessionalLevel.DOCTOR, 2),
        ]
    ),
    "field": Weighted(
        [
            (ProfessionalLevel.NONE, 12),
            (ProfessionalLevel.ELEMENTARY, 10),
            (ProfessionalLevel.INTERMEDIATE, 22),
            (ProfessionalLevel.COLLEGE, 14),
            (ProfessionalLevel.BACHELOR, 37),
            (ProfessionalLevel.MASTER, 5),
        ]
    ),
}
_THEORY = {
    "member": Weighted(
        [
            (PoliticalTheoryLevel.NONE, 3),
            (PoliticalTheoryLevel.ELEMENTARY, 50),
            (PoliticalTheoryLevel.INTERMEDIATE, 34),
            (PoliticalTheoryLevel.ADVANCED, 11),
            (PoliticalTheoryLevel.BACHELOR, 2),
        ]
    ),
    "new_member": Weighted(
        [
            (PoliticalTheoryLevel.NONE, 20),
            (PoliticalTheoryLevel.ELEMENTARY, 75),
            (PoliticalTheoryLevel.INTERMEDIATE, 5),
        ]
    ),
    "staff": Weighted(
        [
            (PoliticalTheoryLevel.NONE, 88),
            (PoliticalTheoryLevel.ELEMENTARY, 10),
            (PoliticalTheoryLevel.INTERMEDIATE, 2),
        ]
    ),
}
_RELIGION = {
    "01": Weighted(
        [
            (Religion.NONE, 84),
            (Religion.BUDDHISM, 9),
            (Religion.CATHOLICISM, 5),
            (Religion.PROTESTANTISM, 0.5),
            (Religion.CAODAISM, 0.8),
            (Religion.HOA_HAO, 0.5),
            (Religion.OTHER, 0.2),
        ]
    ),
    "04": Weighted([(Religion.NONE, 55), (Religion.BUDDHISM, 40), (Religion.CATHOLICISM, 5)]),
    "05": Weighted([(Religion.BUDDHISM, 80), (Religion.NONE, 20)]),
    "17": Weighted([(Religion.ISLAM, 60), (Religion.OTHER, 25), (Religion.NONE, 15)]),
}
_OFFICE_TYPES = {"agency", "public_service", "armed_forces", "other"}


class PersonMaker:
    """Draws the record fields of one fictional person."""

    def __init__(
        self,
        rng: random.Random,
        *,
        seed: int,
        ethnicity_ids: dict[str, int],
        taken_ids: set[str] | None = None,
    ) -> None:
        self.rng = rng
        self.ethnicity_ids = ethnicity_ids
        self.citizen_ids = CitizenIds(seed, taken_ids)
        self.provinces = province_prefixes()
        self._name_fields: dict[tuple[str, str, str], tuple[str, str]] = {}

    def sex(self, female_share: float = 0.48) -> str:
        return Sex.FEMALE if self.rng.random() < female_share else Sex.MALE

    def birth_date(self, as_of: dt.date, *, low: float, high: float, mode: float) -> dt.date:
        """Born so that the age on ``as_of`` is between ``low`` and ``high`` years."""
        return years_before(as_of, self.rng.triangular(low, high, mode))

    def name(self, sex: str, ethnicity: str) -> tuple[str, str, str]:
        rng = self.rng
        female = sex == Sex.FEMALE
        if ethnicity == "04":
            surname = names.HOA_SURNAMES.pick(rng)
        elif ethnicity == "05":
            surname = names.KHMER_SURNAMES.pick(rng)
        elif ethnicity == "17":
            surname = names.CHAM_SURNAMES.pick(rng)
        else:
            surname = names.SURNAMES.pick(rng)
        middle = (names.MIDDLE_FEMALE if female else names.MIDDLE_MALE).pick(rng)
        given = (names.GIVEN_FEMALE if female else names.GIVEN_MALE).pick(rng)
        if given in middle.split():
            given = (names.GIVEN_FEMALE if female else names.GIVEN_MALE).pick(rng)
        return surname, middle, given

    def make(
        self, pk: int, *, sex: str, date_of_birth: dt.date, workplace: Workplace, kind: str
    ) -> dict[str, Any]:
        """A person row; ``kind`` is "member", "new_member" (admitted recently) or "staff"."""
        rng = self.rng
        ethnicity = names.ETHNICITIES.pick(rng)
        surname, middle, given = self.name(sex, ethnicity)
        prefix = workplace.home_prefix if rng.random() < 0.6 else names.BIRTH_PROVINCES.pick(rng)
        religion = _RELIGION.get(ethnicity, _RELIGION["01"]).pick(rng)
        if kind != "staff" and religion != Religion.NONE and rng.random() < 0.6:
            religion = Religion.NONE
        field_work = workplace.statistics_type not in _OFFICE_TYPES
        professional = _PROFESSIONAL["field" if field_work else "office"].pick(rng)
        if kind != "staff" and professional in (
            ProfessionalLevel.NONE,
            ProfessionalLevel.ELEMENTARY,
        ):
            professional = ProfessionalLevel.INTERMEDIATE
        education = (
            GeneralEducation.LOWER_SECONDARY
            if date_of_birth.year < 1975 and rng.random() < 0.08
            else GeneralEducation.UPPER_SECONDARY
        )
        birthplace = self.provinces.get(prefix, "")
        hometown = (
            birthplace if rng.random() < 0.6 else self.provinces[names.BIRTH_PROVINCES.pick(rng)]
        )
        row = {
            "id": pk,
            "surname": surname,
            "middle_name": middle,
            "given_name": given,
            "sex": sex,
            "date_of_birth": date_of_birth,
            "citizen_id": self.citizen_ids.issue(prefix, sex, date_of_birth),
            "ethnicity_id": self.ethnicity_ids[ethnicity],
            "religion": religion,
            "birthplace": birthplace,
            "hometown": hometown,
            "residence": self._residence(workplace),
            "occupation": names.OCCUPATIONS.get(workplace.statistics_type, "Người lao động"),
            "general_education": education,
            "professional_level": professional,
            "political_theory_level": _THEORY[kind].pick(rng),
        }
        row["sort_key"], row["search_name"] = self._name_fields_of(surname, middle, given)
        return row

    def _residence(self, workplace: Workplace) -> str:
        area = self.rng.choice(workplace.residence_areas)
        ward = "Xã" if area.startswith("Huyện") else "Phường"
        return f"{ward} {names.place_name(self.rng)}, {area}"

    def _name_fields_of(self, surname: str, middle: str, given: str) -> tuple[str, str]:
        """``derive_name_fields``, computed once per distinct name (names repeat a lot)."""
        key = (surname, middle, given)
        cached = self._name_fields.get(key)
        if cached is None:
            person = Person(surname=surname, middle_name=middle, given_name=given)
            derive_name_fields(person)
            cached = self._name_fields[key] = (person.sort_key, person.search_name)
        return cached

    def position(self, workplace: Workplace, *, leader_chance: float) -> str:
        if self.rng.random() < leader_chance:
            return self.rng.choice(names.LEADER_POSITIONS)
        return workplace.positions.pick(self.rng)


def adult_on(date_of_birth: dt.date, years: int) -> dt.date:
    """The day a person born on ``date_of_birth`` turns ``years`` (full years, by months)."""
    return add_months(date_of_birth, 12 * years)
