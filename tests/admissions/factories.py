"""Builders for admission tests: members with a past, a candidate, and a dossier ready for the
branch meeting. Membership events are written directly (with the periods rebuilt) to set up a
history quickly; the admission steps always go through the services under test."""

from __future__ import annotations

import datetime as dt
import itertools

from dangbo.admissions import services
from dangbo.admissions.models import Candidate
from dangbo.core.dates import add_months
from dangbo.members.models import Member, MembershipEvent, MembershipEventKind, Person
from dangbo.members.services import rebuild_periods
from dangbo.organizations.models import Organization
from tests.factories import make_person

Kind = MembershipEventKind
STARTED = dt.date(2023, 9, 1)
COURSE = dt.date(2023, 10, 2)
APPLICATION = dt.date(2024, 1, 15)
BACKGROUND = dt.date(2024, 1, 22)
VERIFICATION = dt.date(2024, 3, 1)
INTRODUCTIONS = dt.date(2024, 3, 11)
OPINIONS = dt.date(2024, 4, 1)
MEETING = dt.date(2024, 6, 14)  # a Friday
COMMITTEE = dt.date(2024, 7, 1)
DECISION = dt.date(2024, 7, 15)
CEREMONY = dt.date(2024, 8, 1)
NEW_MEMBER_CLASS = dt.date(2024, 9, 10)
PROBATION_ENDS = dt.date(2025, 8, 1)

_names = itertools.count(1)


def add_events(member: Member, organization: Organization, *events: tuple[str, dt.date]) -> None:
    for kind, day in events:
        MembershipEvent.objects.create(
            member=member, kind=kind, date=day, organization=organization
        )
    rebuild_periods(member)


def make_full_member(
    organization: Organization,
    given_name: str = "",
    *,
    full_from: dt.date = dt.date(2011, 1, 1),
    employed_from: dt.date = dt.date(2009, 1, 1),
) -> Member:
    """A member of ``organization``, employed there, full from ``full_from``."""
    person = make_person(
        "Lê",
        "Văn",
        given_name or f"Thành{next(_names)}",
        organization=organization,
        date_of_birth=dt.date(1980, 1, 1),
        employed_from=employed_from,
    )
    member = Member.objects.create(person=person)
    admitted = add_months(full_from, -12)
    add_events(
        member,
        organization,
        (Kind.ADMISSION_DECISION, admitted),
        (Kind.CEREMONY, admitted),
        (Kind.RECOGNITION, full_from),
    )
    return member


def make_probationary_member(organization: Organization, admitted: dt.date) -> Member:
    person = make_person(
        "Đỗ", "Minh", f"Khoa{next(_names)}", organization=organization, employed_from=admitted
    )
    member = Member.objects.create(person=person)
    add_events(member, organization, (Kind.ADMISSION_DECISION, admitted), (Kind.CEREMONY, admitted))
    return member


def make_candidate_person(
    organization: Organization,
    *,
    date_of_birth: dt.date = dt.date(1995, 3, 10),
    employed_from: dt.date = dt.date(2018, 1, 1),
    given_name: str = "Lan",
    **extra,
) -> Person:
    return make_person(
        "Phạm",
        "Thị",
        given_name,
        organization=organization,
        sex="female",
        date_of_birth=date_of_birth,
        employed_from=employed_from,
        **extra,
    )


def start(actor, person: Person, organization: Organization, helper: Member, **extra) -> Candidate:
    return services.start_candidate(
        actor=actor,
        person=person,
        organization=organization,
        source=extra.pop("source", "youth_union"),
        helper=helper,
        started_on=extra.pop("started_on", STARTED),
        **extra,
    )


def prepare_dossier(
    actor,
    candidate: Candidate,
    introducers: list[Member],
    *,
    course: dt.date = COURSE,
    application: dt.date = APPLICATION,
    background: dt.date = BACKGROUND,
    verification: dt.date = VERIFICATION,
    introductions: dt.date = INTRODUCTIONS,
    opinions: dt.date = OPINIONS,
) -> Candidate:
    """Every paper the branch meeting needs, in the order of the procedure."""
    services.record_step(actor=actor, candidate=candidate, kind="awareness_course", date=course)
    services.record_step(actor=actor, candidate=candidate, kind="application", date=application)
    services.record_step(actor=actor, candidate=candidate, kind="background", date=background)
    services.record_verification(
        actor=actor,
        candidate=candidate,
        date=verification,
        conclusion="Lý lịch rõ ràng",
        relatives=[{"relation": "Cha", "name": "Phạm Văn Hùng", "result": "Tốt"}],
    )
    for introducer in introducers:
        services.record_introduction(
            actor=actor, candidate=candidate, date=introductions, introducer=introducer
        )
    services.record_step(actor=actor, candidate=candidate, kind="opinions", date=opinions)
    return candidate


def pass_branch(actor, candidate: Candidate, date: dt.date = MEETING):
    return services.record_branch_resolution(
        actor=actor, candidate=candidate, date=date, present=8, votes_for=8, votes_against=0
    )


def admit(actor, candidate: Candidate) -> None:
    """From the branch meeting to the ceremony, on the default dates."""
    pass_branch(actor, candidate)
    services.record_committee_resolution(
        actor=actor,
        candidate=candidate,
        date=COMMITTEE,
        eligible_members=9,
        present=9,
        votes_for=9,
        votes_against=0,
    )
    services.record_decision(
        actor=actor, candidate=candidate, date=DECISION, document_number="125-QĐ/ĐU"
    )
    services.record_ceremony_step(actor=actor, candidate=candidate, date=CEREMONY)
