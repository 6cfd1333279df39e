"""The registration periods derived from a member's events, and what is read from them: the
status on a day and the party age. Periods are never edited by hand; ``rebuild_periods``
replaces them whenever the events change."""

from __future__ import annotations

import datetime as dt

from dangbo.core.dates import full_months_between
from dangbo.members.models import (
    EXIT_KINDS,
    PROFILE_FIELDS,
    Member,
    MemberProfile,
    MembershipEvent,
    MembershipPeriod,
    MemberStatus,
    Person,
)
from dangbo.members.services._common import Kind


def derive_periods(events: list[MembershipEvent]) -> list[MembershipPeriod]:
    """Registration periods implied by a member's events, in date order (pure, no queries)."""
    periods: list[MembershipPeriod] = []
    current: MembershipPeriod | None = None

    def close(day: dt.date) -> None:
        nonlocal current
        if current is not None:
            if day > current.valid_from:
                current.valid_to = day
                periods.append(current)
            current = None

    order = {kind: index for index, kind in enumerate(Kind.values)}
    for event in sorted(events, key=lambda e: (e.date, order[e.kind], e.pk or 0)):
        if event.kind == Kind.ADMISSION_DECISION:
            close(event.date)
            current = MembershipPeriod(
                member_id=event.member_id,
                organization_id=event.organization_id,
                status=MemberStatus.PROBATIONARY,
                valid_from=event.date,
            )
        elif current is None:
            continue
        elif event.kind == Kind.RECOGNITION:
            organization_id = current.organization_id
            close(event.date)
            current = MembershipPeriod(
                member_id=event.member_id,
                organization_id=organization_id,
                status=MemberStatus.FULL,
                valid_from=event.date,
            )
        elif event.kind == Kind.TRANSFER:
            status = current.status
            close(event.date)
            current = MembershipPeriod(
                member_id=event.member_id,
                organization_id=event.organization_id,
                status=status,
                valid_from=event.date,
            )
        elif event.kind in EXIT_KINDS:
            close(event.date)
    if current is not None:
        periods.append(current)
    return periods


def profile_of(person: Person) -> MemberProfile:
    """The profile holding the person's counted columns, created on first use."""
    profile, _created = MemberProfile.objects.get_or_create(
        **{field: getattr(person, field) for field in PROFILE_FIELDS}
    )
    return profile


def rebuild_periods(member: Member) -> None:
    """Replace the member's derived periods with those implied by the events."""
    MembershipPeriod.objects.filter(member=member).delete()
    periods = derive_periods(list(member.events.all()))
    if periods:
        person = member.person
        profile = profile_of(person)
        for period in periods:
            period.date_of_birth = person.date_of_birth
            period.profile = profile
    MembershipPeriod.objects.bulk_create(periods)


def status_on(member: Member, day: dt.date) -> str:
    for period in member.periods.all():
        if period.covers(day):
            return period.status
    return MemberStatus.NOT_MEMBER


def party_age_months(member: Member, day: dt.date) -> int:
    """Party age in whole months on ``day``: from the first admission decision, minus the gaps
    between periods of membership (exits before a readmission, transfer gaps)."""
    periods = sorted(member.periods.all(), key=lambda p: p.valid_from)
    periods = [p for p in periods if p.valid_from <= day]
    if not periods:
        return 0
    total = full_months_between(periods[0].valid_from, day)
    gap_months = 0
    reach = periods[0].valid_to
    for period in periods[1:]:
        if reach is not None and period.valid_from > reach:
            gap_months += full_months_between(reach, period.valid_from)
        reach = None if (reach is None or period.valid_to is None) else max(reach, period.valid_to)
    if reach is not None and reach < day:
        gap_months += full_months_between(reach, day)
    return max(total - gap_months, 0)
