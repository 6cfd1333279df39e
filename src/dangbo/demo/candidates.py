"""Admission candidates for the demo: cases at every stage of the pipeline on 31/12/2019.

ALL DATA BUILT HERE IS FICTIONAL. Non-member staff of a few branches are picked and their steps
recorded through the admission services, acting as the demo administrator, so that every rule
is judged and every step audited as in real use. No admission decision is dated on or before
31/12/2019: the seed's figures for that day (8,445 members, 2,106 admissions in the term) stay
exact. A few cases go on in 2020 (decision, ceremony, probation) and one to recognition in 2021,
to show the later stages when the demo is viewed as of a later date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from dangbo.admissions import services
from dangbo.admissions.models import Candidate, CandidateSource, StepKind
from dangbo.admissions.services.meetings import count_full_members
from dangbo.members.models import (
    Employment,
    GeneralEducation,
    Member,
    MembershipPeriod,
    MemberStatus,
)
from dangbo.members.services import probation_end
from dangbo.organizations.models import (
    Organization,
    OrganizationKind,
    OrganizationLevel,
    OrganizationLink,
)

AS_OF = dt.date(2019, 12, 31)
BRANCHES = 8
# Where each case stops, in the order the cases of a branch are started. ``Plan.stop`` names
# the last step recorded; the dates below put each case's stop before 31/12/2019, except the
# cases that go on in 2020.
STOPS = (
    "started",
    "awareness_course",
    "application",
    "background",
    "introduction",
    "opinions",
    "branch_passed",
    "branch_failed",
    "committee",
    "overdue",
)
LATER_STOPS = ("decision_2020", "ceremony_2020", "recognition_2021")


@dataclass(frozen=True)
class Plan:
    """The dates of one case: development starts on ``start``; the branch meets on ``meeting``."""

    stop: str
    start: dt.date
    meeting: dt.date


def _plan(stop: str, index: int) -> Plan:
    shift = dt.timedelta(days=3 * index)
    if stop == "started":
        return Plan(stop, dt.date(2019, 11, 4) + shift, dt.date(2020, 6, 1))
    if stop in ("awareness_course", "application", "background"):
        return Plan(stop, dt.date(2019, 6, 3) + shift, dt.date(2020, 3, 2))
    if stop in ("introduction", "opinions"):
        return Plan(stop, dt.date(2019, 3, 4) + shift, dt.date(2020, 1, 13))
    if stop == "overdue":
        return Plan(stop, dt.date(2018, 9, 3) + shift, dt.date(2019, 6, 10) + shift)
    if stop in LATER_STOPS:
        return Plan(stop, dt.date(2018, 12, 3) + shift, dt.date(2019, 9, 16) + shift)
    # branch_passed, branch_failed, committee: the branch met in the autumn of 2019
    return Plan(stop, dt.date(2019, 1, 7) + shift, dt.date(2019, 9, 25) + shift)


def _branches(first_id: int | None) -> list[Organization]:
    """Branches under a grassroots committee with enough full members to introduce and vote."""
    committees = Organization.objects.filter(
        level=OrganizationLevel.GRASSROOTS, kind=OrganizationKind.COMMITTEE
    )
    branch_ids = OrganizationLink.objects.filter(
        parent__in=committees, child__kind=OrganizationKind.BRANCH
    ).values_list("child_id", flat=True)
    branches = []
    found = list(Organization.objects.filter(pk__in=branch_ids).order_by("id"))
    # The sample branch first, so that the demo-branch account sees cases too.
    found.sort(key=lambda b: b.pk != first_id)
    for branch in found:
        if count_full_members(branch, dt.date(2019, 6, 1)) >= 8 and len(_full_members(branch)) == 3:
            branches.append(branch)
        if len(branches) == BRANCHES:
            break
    return branches


def _full_members(branch: Organization) -> list[Member]:
    """Members registered in the branch as full members from 2016 to 2021 (helpers and
    introducers: full on every date used and 12 months in the unit with the candidates)."""
    periods = MembershipPeriod.objects.filter(
        organization=branch,
        status=MemberStatus.FULL,
        valid_from__lte=dt.date(2016, 1, 1),
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=dt.date(2021, 6, 30)))
    return list(
        Member.objects.filter(pk__in=periods.values("member_id"))
        .select_related("person")
        .order_by("id")[:3]
    )


def _people(branch: Organization, count: int) -> list:
    """Non-member staff of the branch itself, there since 2016 at least, of the right age and
    education for the whole plan."""
    employments = (
        Employment.objects.filter(
            organization=branch,
            start_date__lte=dt.date(2016, 6, 1),
            person__date_of_birth__gte=dt.date(1964, 1, 1),
            person__date_of_birth__lte=dt.date(1997, 1, 1),
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=dt.date(2021, 6, 30)))
        .exclude(person__general_education=GeneralEducation.PRIMARY)
        .exclude(Exists(Member.objects.filter(person_id=OuterRef("person_id"))))
        .exclude(Exists(Candidate.objects.filter(person_id=OuterRef("person_id"))))
        .select_related("person")
        .order_by("person_id")
    )
    people, seen = [], set()
    for employment in employments:
        if employment.person_id not in seen:
            seen.add(employment.person_id)
            people.append(employment.person)
        if len(people) == count:
            break
    return people


def _walk(actor, branch: Organization, person, plan: Plan, members: list[Member]) -> None:
    """Record the steps of one case up to its stop, through the services."""
    sources = list(CandidateSource.values)
    candidate = services.start_candidate(
        actor=actor,
        person=person,
        organization=branch,
        source=sources[person.pk % len(sources)],
        helper=members[0],
        started_on=plan.start,
    )
    if plan.stop == "started":
        return
    order = [*STOPS, *LATER_STOPS]
    reached = order.index(plan.stop)

    def beyond(stop: str) -> bool:
        return reached >= order.index(stop)

    meeting = plan.meeting
    services.record_step(
        actor=actor,
        candidate=candidate,
        kind=StepKind.AWARENESS_COURSE,
        date=plan.start + dt.timedelta(days=28),
        document_number=f"{person.pk}/GCN-TTBD",
    )
    if not beyond("application"):
        return
    application = min(meeting - dt.timedelta(days=120), AS_OF - dt.timedelta(days=60))
    services.record_step(
        actor=actor, candidate=candidate, kind=StepKind.APPLICATION, date=application
    )
    if not beyond("background"):
        return
    services.record_step(
        actor=actor,
        candidate=candidate,
        kind=StepKind.BACKGROUND,
        date=application + dt.timedelta(days=7),
    )
    services.record_verification(
        actor=actor,
        candidate=candidate,
        date=application + dt.timedelta(days=35),
        conclusion="Lý lịch rõ ràng, gia đình chấp hành tốt chủ trương, chính sách.",
        relatives=[{"relation": "Cha", "name": "(hư cấu)", "result": "Tốt"}],
    )
    if not beyond("introduction"):
        return
    for introducer in members[1:3]:
        services.record_introduction(
            actor=actor,
            candidate=candidate,
            date=application + dt.timedelta(days=42),
            introducer=introducer,
        )
    if not beyond("opinions"):
        return
    services.record_step(
        actor=actor,
        candidate=candidate,
        kind=StepKind.OPINIONS,
        date=application + dt.timedelta(days=56),
    )
    if not beyond("branch_passed"):
        return
    eligible = count_full_members(branch, meeting)
    if plan.stop == "branch_failed":
        services.record_branch_resolution(
            actor=actor,
            candidate=candidate,
            date=meeting,
            present=eligible,
            votes_for=eligible // 2,
            votes_against=eligible - eligible // 2,
            document_number=f"{person.pk}-NQ/CB",
        )
        return
    services.record_branch_resolution(
        actor=actor,
        candidate=candidate,
        date=meeting,
        present=eligible,
        votes_for=eligible,
        votes_against=0,
        document_number=f"{person.pk}-NQ/CB",
    )
    if plan.stop == "branch_passed":
        return
    from dangbo.admissions.services._common import under_sub_committee

    committee_day = meeting + dt.timedelta(days=21)
    if under_sub_committee(branch, committee_day):
        services.record_step(
            actor=actor,
            candidate=candidate,
            kind=StepKind.SUB_COMMITTEE_APPRAISAL,
            date=meeting + dt.timedelta(days=10),
        )
    services.record_committee_resolution(
        actor=actor,
        candidate=candidate,
        date=committee_day,
        eligible_members=9,
        present=9,
        votes_for=9,
        votes_against=0,
        document_number=f"{person.pk}-NQ/ĐU",
    )
    if not beyond("decision_2020"):
        return
    # Decided in 2020: after the seed's day, inside the 2015–2020 term.
    decision = dt.date(2020, 1, 6) + dt.timedelta(days=reached)
    services.record_decision(
        actor=actor,
        candidate=candidate,
        date=decision,
        document_number=f"{person.pk}-QĐ/ĐUK",
    )
    if not beyond("ceremony_2020"):
        return
    ceremony = decision + dt.timedelta(days=25)
    services.record_ceremony_step(actor=actor, candidate=candidate, date=ceremony)
    if not beyond("recognition_2021"):
        return
    services.record_step(
        actor=actor,
        candidate=candidate,
        kind=StepKind.NEW_MEMBER_CLASS,
        date=ceremony + dt.timedelta(days=40),
    )
    end, _rule = probation_end(ceremony)
    services.record_step(
        actor=actor, candidate=candidate, kind=StepKind.RECOGNITION_REVIEW, date=end
    )
    services.record_recognition(
        actor=actor,
        candidate=candidate,
        date=end + dt.timedelta(days=14),
        document_number=f"{person.pk}-QĐ/ĐUK",
    )


def add_candidates(actor, *, first_branch_id: int | None = None) -> int:
    """Start the demo's admission cases as ``actor`` (the demo administrator), in a few
    branches starting with ``first_branch_id``; returns how many."""
    created = 0
    for number, branch in enumerate(_branches(first_branch_id)):
        members = _full_members(branch)
        stops = list(STOPS)
        if number < 2:
            stops = [*LATER_STOPS[: 2 + number], *stops]
        people = _people(branch, len(stops))
        for index, (stop, person) in enumerate(zip(stops, people, strict=False)):
            _walk(actor, branch, person, _plan(stop, index + number), members)
            created += 1
    return created


__all__ = ["AS_OF", "add_candidates"]
