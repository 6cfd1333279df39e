"""Checks of the person: age, education, not a member, readmission."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from dangbo.admissions.rules.verdicts import (
    CHARTER_ARTICLE_1,
    CHARTER_ARTICLE_4_READMISSION,
    EDUCATION,
    MAXIMUM_AGE,
    MINIMUM_AGE,
    NOT_A_MEMBER,
    READMISSION,
    Verdict,
    age_text,
    day_text,
    make_verdict,
)
from dangbo.core.dates import add_months, full_months_between
from dangbo.core.rules import rule_in_force
from dangbo.members.models import GeneralEducation as Education
from dangbo.members.models import (
    Member,
    MembershipEventKind,
    MemberStatus,
    Person,
)
from dangbo.members.services import status_on

# Never readmitted after leaving this way (on request; expelled, e.g. for corruption or crime).
NO_READMISSION_EXITS = (MembershipEventKind.EXPELLED, MembershipEventKind.RESIGNED)
READMISSION_EXITS = (
    MembershipEventKind.PROBATION_REMOVED,
    MembershipEventKind.EXPELLED,
    MembershipEventKind.REMOVED,
    MembershipEventKind.RESIGNED,
    MembershipEventKind.LOST_CONTACT,
)


def check_age(person: Person, on: dt.date) -> list[Verdict]:
    """From a full 18 to a full 60 years on ``on``, counted in whole months."""
    months = full_months_between(person.date_of_birth, on)
    params = {"age": age_text(months), "date": day_text(on)}
    minimum = rule_in_force(MINIMUM_AGE, on)
    maximum = rule_in_force(MAXIMUM_AGE, on)
    return [
        make_verdict(
            MINIMUM_AGE,
            minimum,
            months >= int(minimum.value),
            months,
            (
                _("Age %(age)s on the meeting date: at least a full %(limit)s years (%(source)s)."),
                _(
                    "The candidate is %(age)s old on the meeting date %(date)s, younger than "
                    "the full %(limit)s years required, counted in months (%(source)s)."
                ),
            ),
            {**params, "limit": int(minimum.value) // 12},
            field="person",
        ),
        make_verdict(
            MAXIMUM_AGE,
            maximum,
            months <= int(maximum.value),
            months,
            (
                _("Age %(age)s on the meeting date: not over a full %(limit)s years (%(source)s)."),
                _(
                    "The candidate is %(age)s old on the meeting date %(date)s, over the full "
                    "%(limit)s years allowed: admission needs an exception approved by the "
                    "provincial level (%(source)s)."
                ),
            ),
            {**params, "limit": int(maximum.value) // 12},
            field="person",
        ),
    ]


def check_education(person: Person, on: dt.date) -> Verdict:
    """General education at least the minimum level of the rule (lower secondary)."""
    rule = rule_in_force(EDUCATION, on)
    levels = Education.values
    minimum = str(rule.value)
    passed = (
        person.general_education in levels
        and minimum in levels
        and levels.index(person.general_education) >= levels.index(minimum)
    )
    labels = dict(Education.choices)
    return make_verdict(
        EDUCATION,
        rule,
        passed,
        person.general_education,
        (
            _("General education “%(level)s”: at least “%(minimum)s” (%(source)s)."),
            _(
                "General education “%(level)s” is below the minimum, “%(minimum)s”; "
                "admission needs an approved exception (%(source)s)."
            ),
        ),
        {
            "level": labels.get(person.general_education, person.general_education),
            "minimum": labels.get(minimum, minimum),
        },
        field="person",
    )


def member_of(person: Person) -> Member | None:
    return Member.objects.filter(person=person).first()


def check_not_a_member(person: Person, on: dt.date) -> Verdict:
    """A candidate is not a party member (probationary or full) on the date."""
    member = member_of(person)
    status = status_on(member, on) if member is not None else MemberStatus.NOT_MEMBER
    return Verdict(
        key=NOT_A_MEMBER,
        rule=None,
        passed=status == MemberStatus.NOT_MEMBER,
        value=status,
        message=(
            _("%(name)s is not a party member on %(date)s.")
            if status == MemberStatus.NOT_MEMBER
            else _("%(name)s is already a party member on %(date)s and cannot be admitted.")
        ),
        params={"name": person.full_name, "date": day_text(on), "source": CHARTER_ARTICLE_1},
        field="person",
    )


def check_readmission(person: Person, on: dt.date) -> list[Verdict]:
    """For a former member: readmitted once only, never after the excluded kinds of exit,
    and only once the waiting time of the rule has passed since leaving."""
    member = member_of(person)
    if member is None:
        return []
    events = list(member.events.order_by("date", "id"))
    exits = [e for e in events if e.kind in READMISSION_EXITS and e.date <= on]
    if not exits:
        return []
    rule = rule_in_force(READMISSION, on)
    last = exits[-1]
    params = {
        "name": person.full_name,
        "source": CHARTER_ARTICLE_4_READMISSION,
        "limit": int(rule.value),
        "exit_date": day_text(last.date),
    }
    verdicts = []
    excluded = [e for e in exits if e.kind in NO_READMISSION_EXITS]
    if excluded:
        verdicts.append(
            Verdict(
                key=READMISSION,
                rule=rule,
                passed=False,
                value=str(excluded[-1].kind),
                message=_(
                    "%(name)s left the Party by “%(exit)s” on %(exit_date)s: readmission is "
                    "never allowed after this kind of exit (%(source)s)."
                ),
                params={
                    **params,
                    "exit": excluded[-1].get_kind_display(),
                    "exit_date": day_text(excluded[-1].date),
                },
                field="person",
                subject="exit_kind",
            )
        )
    admissions = sum(1 for e in events if e.kind == MembershipEventKind.ADMISSION_DECISION)
    if admissions >= 2:
        verdicts.append(
            Verdict(
                key=READMISSION,
                rule=rule,
                passed=False,
                value=admissions,
                message=_(
                    "%(name)s has already been readmitted once: readmission is allowed only "
                    "once (%(source)s)."
                ),
                params=params,
                field="person",
                subject="once",
            )
        )
    earliest = add_months(last.date, int(rule.value))
    waited = earliest <= on
    verdicts.append(
        Verdict(
            key=READMISSION,
            rule=rule,
            passed=waited,
            value=full_months_between(last.date, on),
            message=(
                _(
                    "%(name)s left the Party on %(exit_date)s, at least %(limit)s months before "
                    "the meeting (%(source)s)."
                )
                if waited
                else _(
                    "%(name)s left the Party on %(exit_date)s: readmission is possible only "
                    "%(limit)s months after leaving, from %(earliest)s (%(source)s)."
                )
            ),
            params={**params, "earliest": day_text(earliest)},
            field="person",
            subject="waiting",
        )
    )
    return verdicts
