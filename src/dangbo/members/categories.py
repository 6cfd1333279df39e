"""The categories people are counted and listed by (age group, ethnic group, religion…) and the
one condition that selects each.

The statistics engine groups by the same columns, and the member list and the statistics' lists
filter with ``person_conditions``: a figure and the list it links to always agree.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangbo.core.dates import add_months
from dangbo.core.rules import RuleMissing, rule_value
from dangbo.members.models import (
    GeneralEducation,
    PoliticalTheoryLevel,
    ProfessionalLevel,
    Religion,
    Sex,
)

AGE_BANDS_RULE = "statistics.age_bands"
DEFAULT_AGE_BANDS: tuple[tuple[int, int | None], ...] = (
    (18, 30),
    (31, 40),
    (41, 50),
    (51, 60),
    (61, 70),
    (71, None),
)
_BAND_TEXT = re.compile(r"^\s*(\d{1,3})\s*(?:[-–]\s*(\d{1,3})|\+)\s*$")
# The ethnic group code of the Kinh (General Statistics Office list): the others are minorities.
KINH_CODE = "01"
# The highest political theory levels are counted together (DOMAIN.md §10).
ADVANCED_OR_BACHELOR = "advanced_bachelor"
THEORY_LEVELS: dict[str, tuple[str, ...]] = {
    PoliticalTheoryLevel.NONE: (PoliticalTheoryLevel.NONE,),
    PoliticalTheoryLevel.ELEMENTARY: (PoliticalTheoryLevel.ELEMENTARY,),
    PoliticalTheoryLevel.INTERMEDIATE: (PoliticalTheoryLevel.INTERMEDIATE,),
    ADVANCED_OR_BACHELOR: (PoliticalTheoryLevel.ADVANCED, PoliticalTheoryLevel.BACHELOR),
}
THEORY_LABELS = {
    PoliticalTheoryLevel.NONE: PoliticalTheoryLevel.NONE.label,
    PoliticalTheoryLevel.ELEMENTARY: PoliticalTheoryLevel.ELEMENTARY.label,
    PoliticalTheoryLevel.INTERMEDIATE: PoliticalTheoryLevel.INTERMEDIATE.label,
    ADVANCED_OR_BACHELOR: _("Advanced or bachelor"),
}


@dataclass(frozen=True)
class AgeBand:
    """Age in whole years on the counting date from ``low`` to ``high`` (no upper end: None)."""

    low: int
    high: int | None

    @property
    def key(self) -> str:
        return f"{self.low}+" if self.high is None else f"{self.low}-{self.high}"

    @property
    def label(self) -> str:
        if self.high is None:
            return str(pgettext_lazy("age group", "over %(age)s") % {"age": self.low - 1})
        return f"{self.low}–{self.high}"

    def born(self, day: dt.date) -> tuple[dt.date | None, dt.date]:
        """Birth dates (after, up to and including) of the people of this age on ``day``."""
        latest = add_months(day, -12 * self.low)
        earliest = None if self.high is None else add_months(day, -12 * (self.high + 1))
        return earliest, latest

    def q(self, day: dt.date, field: str) -> Q:
        after, until = self.born(day)
        condition = Q(**{f"{field}__lte": until})
        if after is not None:
            condition &= Q(**{f"{field}__gt": after})
        return condition


def parse_age_band(text: str) -> AgeBand | None:
    """ "18-30" or "71+" as an age band; None for anything else."""
    match = _BAND_TEXT.match(text or "")
    if match is None:
        return None
    low = int(match[1])
    high = int(match[2]) if match[2] else None
    if high is not None and high < low:
        return None
    return AgeBand(low, high)


def age_bands_on(day: dt.date) -> tuple[AgeBand, ...]:
    """The age groups in force on ``day`` (rule ``statistics.age_bands``), defaults without it."""
    try:
        value = rule_value(AGE_BANDS_RULE, day)
    except RuleMissing:
        value = DEFAULT_AGE_BANDS
    return tuple(AgeBand(int(low), None if high is None else int(high)) for low, high in value)


CHOICES = {
    "sex": Sex.choices,
    "religion": Religion.choices,
    "general_education": GeneralEducation.choices,
    "professional_level": ProfessionalLevel.choices,
}


def theory_group(level: str) -> str:
    """The counted theory category of a person's level (advanced and bachelor together)."""
    for key, levels in THEORY_LEVELS.items():
        if level in levels:
            return key
    return level


ANY_RELIGION = "any"
MINORITIES = "minority"
NOT_RECORDED = "-"


@dataclass(frozen=True)
class PersonCategories:
    """Chosen categories of a person; empty strings choose everything."""

    sex: str = ""
    age_band: str = ""  # "18-30", "71+"
    ethnicity: str = ""  # an ethnic group's id, or "minority"
    religion: str = ""  # a religion, or "any" (followers of any religion)
    general_education: str = ""
    professional_level: str = ""
    political_theory_level: str = ""  # a level, or "advanced_bachelor"
    occupation: str = ""  # the occupation as recorded, or "-" (none recorded)


def person_conditions(categories: PersonCategories, *, day: dt.date, prefix: str = "") -> Q:
    """The condition on a person (reached through ``prefix``) of being in ``categories``, ages
    counted on ``day``. Values that mean nothing select nothing rather than everything."""
    c = categories
    q = Q()
    if c.sex:
        q &= Q(**{f"{prefix}sex": c.sex})
    if c.age_band:
        band = parse_age_band(c.age_band)
        q &= band.q(day, f"{prefix}date_of_birth") if band else Q(pk__in=[])
    if c.ethnicity == MINORITIES:
        q &= ~Q(**{f"{prefix}ethnicity__code": KINH_CODE})
    elif c.ethnicity:
        q &= Q(**{f"{prefix}ethnicity_id": int(c.ethnicity) if c.ethnicity.isdigit() else 0})
    if c.religion == ANY_RELIGION:
        q &= ~Q(**{f"{prefix}religion": Religion.NONE})
    elif c.religion:
        q &= Q(**{f"{prefix}religion": c.religion})
    if c.general_education:
        q &= Q(**{f"{prefix}general_education": c.general_education})
    if c.professional_level:
        q &= Q(**{f"{prefix}professional_level": c.professional_level})
    if c.political_theory_level:
        levels = THEORY_LEVELS.get(c.political_theory_level, (c.political_theory_level,))
        q &= Q(**{f"{prefix}political_theory_level__in": list(levels)})
    if c.occupation:
        q &= Q(**{f"{prefix}occupation": "" if c.occupation == NOT_RECORDED else c.occupation})
    return q
