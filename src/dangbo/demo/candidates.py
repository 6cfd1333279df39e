"""Admission candidates for the demo: cases at every stage of the pipeline on 31/12/2019.

ALL DATA BUILT HERE IS FICTIONAL. Non-member staff of a few branches are picked and their steps
recorded through the admission services, acting as the demo administrator, so that every rule
is judged and every step audited as in real use.

On 31/12/2019 the board shows every stage: dossiers at each paper, cases awaiting the decision
(some past their deadline, one after a failed branch vote), and the fixed cases of
``DONE_BY_AS_OF``: one admitted and awaiting the ceremony, one on probation, two whose probation
has ended with the recognition review due (one overdue), one recognized as a full member in
2019, one removed from the probationary list in 2019 and one withdrawn. These add members and
term admissions to the seed's figures, so the demo generates its population short of them
(``counted_on``): the figures on 31/12/2019 stay exact (8,445 members, 2,106 admissions in the
term, 20,463 staff: the candidates were staff already). A few cases go on in 2020 (decision,
ceremony, probation) and one to recognition in 2021, to show the later stages when the demo is
viewed as of a later date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from dangbo.admissions import services
from dangbo.admissions.models import Candidate, CandidateSource, StepKind
from dangbo.admissions.services._common import under_sub_committee
from dangbo.admissions.services.meetings import count_full_members
from dangbo.members.models import (
    Employment,
    GeneralEducation,
    Member,
    MembershipPeriod,
    MemberStatus,
    Person,
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
# Where the open cases stop on 31/12/2019 (``Plan.stop`` names the last step recorded), and how
# many cases stop there, spread over the branches in turn: every paper of the dossier, the
# branch's vote (passed or failed), the committee's resolution, and cases whose decision is
# overdue. Each recorded step costs time when the demo is built: the deeper stops are fewer.
STOPS = {
    "started": 4,
    "awareness_course": 4,
    "application": 4,
    "background": 3,
    "introduction": 3,
    "opinions": 3,
    "branch_passed": 3,
    "branch_failed": 2,
    "committee": 2,
    "overdue": 2,
}
# Cases that go on after 31/12/2019, in the demo-branch account's branch.
LATER_STOPS = ("decision_2020", "ceremony_2020", "recognition_2021")
# The steps of a case, in order; each stop says the last one its case reaches.
MILESTONES = (
    "started",
    "awareness_course",
    "application",
    "background",
    "introduction",
    "opinions",
    "branch",
    "committee",
    "decision",
    "ceremony",
    "new_member_class",
    "recognition",
)
REACHES = {
    **{stop: stop for stop in MILESTONES[:6]},
    "branch_passed": "branch",
    "branch_failed": "branch",
    "committee": "committee",
    "overdue": "committee",
    "decision_2020": "decision",
    "ceremony_2020": "ceremony",
    "recognition_2021": "recognition",
    "withdrawn": "background",
    "decided": "decision",
    "ceremony": "new_member_class",
    "review_due": "new_member_class",
    "review_overdue": "new_member_class",
    "recognized": "recognition",
    "removed": "ceremony",
}


@dataclass(frozen=True)
class Plan:
    """The dates of one case: development starts on ``start``; the branch meets on ``meeting``
    (or would have); the admission decision and the ceremony, when the case gets there; the
    withdrawal or the removal from the probationary list on ``closed``."""

    stop: str
    start: dt.date
    meeting: dt.date
    decision: dt.date | None = None
    ceremony: dt.date | None = None
    closed: dt.date | None = None


# The cases that pass the admission decision by 31/12/2019, one at each later stage, with a
# withdrawn case: their dates are fixed so that their members and admissions can be counted
# before anything is generated (see ``counted_on``). Every deadline is kept (the decision within
# 60 working days of the branch's resolution, the ceremony within 30 of the decision), except
# the recognition review of ``review_overdue``, due in 10/2019 and not held by 31/12/2019.
# Keyed by the branch they go to, in the order of ``_branches`` (0: the demo-branch account's;
# the next branch when one has nobody left).
DONE_BY_AS_OF: dict[int, tuple[Plan, ...]] = {
    0: (
        # On probation since 22/07/2019 (the new member class attended in 09/2019).
        Plan(
            "ceremony",
            dt.date(2018, 10, 1),
            dt.date(2019, 5, 13),
            decision=dt.date(2019, 7, 1),
            ceremony=dt.date(2019, 7, 22),
        ),
        # Probation ended on 10/12/2019: the recognition review is due in 01/2020.
        Plan(
            "review_due",
            dt.date(2018, 2, 5),
            dt.date(2018, 9, 10),
            decision=dt.date(2018, 11, 12),
            ceremony=dt.date(2018, 12, 10),
        ),
    ),
    # Full member from 23/07/2019, the end of probation (recognized on 06/08/2019).
    1: (
        Plan(
            "recognized",
            dt.date(2017, 10, 2),
            dt.date(2018, 5, 14),
            decision=dt.date(2018, 7, 2),
            ceremony=dt.date(2018, 7, 23),
        ),
    ),
    # Admitted on 09/12/2019: the ceremony is due in 01/2020.
    2: (
        Plan("decided", dt.date(2019, 1, 14), dt.date(2019, 10, 7), decision=dt.date(2019, 12, 9)),
    ),
    # Probation ended on 10/09/2019: the recognition review is overdue.
    3: (
        Plan(
            "review_overdue",
            dt.date(2017, 11, 6),
            dt.date(2018, 6, 11),
            decision=dt.date(2018, 8, 6),
            ceremony=dt.date(2018, 9, 10),
        ),
    ),
    # Removed from the probationary list on 18/11/2019: no longer a member on 31/12/2019.
    4: (
        Plan(
            "removed",
            dt.date(2018, 3, 5),
            dt.date(2018, 11, 12),
            decision=dt.date(2019, 1, 7),
            ceremony=dt.date(2019, 1, 28),
            closed=dt.date(2019, 11, 18),
        ),
    ),
    # Withdrawn on 14/10/2019, before the branch met.
    5: (
        Plan("withdrawn", dt.date(2019, 3, 4), dt.date(2019, 11, 25), closed=dt.date(2019, 10, 14)),
    ),
}


@dataclass(frozen=True)
class Counted:
    """What the cases of ``DONE_BY_AS_OF`` add to the figures of a day."""

    members: int  # admitted by then and not removed (probationary or full)
    full: int
    admitted_in_term: int  # admission decisions from the term's start to the day


def counted_on(as_of: dt.date, term_starts_on: dt.date) -> Counted:
    """The members and term admissions the fixed cases add on ``as_of``: the demo generates the
    rest of its population short of them, so that its figures come out exact."""
    members = full = admitted = 0
    for plans in DONE_BY_AS_OF.values():
        for plan in plans:
            if plan.decision is None or plan.decision > as_of:
                continue
            admitted += plan.decision >= term_starts_on
            if plan.stop == "removed" and plan.closed is not None and plan.closed <= as_of:
                continue
            members += 1
            if plan.stop == "recognized" and plan.ceremony is not None:
                full += probation_end(plan.ceremony)[0] <= as_of
    return Counted(members=members, full=full, admitted_in_term=admitted)


def _plan(stop: str, index: int) -> Plan:
    shift = dt.timedelta(days=3 * (index % 15))
    if stop == "started":
        return Plan(stop, dt.date(2019, 11, 4) + shift, dt.date(2020, 6, 1))
    if stop in ("awareness_course", "application", "background"):
        return Plan(stop, dt.date(2019, 6, 3) + shift, dt.date(2020, 3, 2))
    if stop in ("introduction", "opinions"):
        return Plan(stop, dt.date(2019, 3, 4) + shift, dt.date(2020, 1, 13))
    if stop == "overdue":
        return Plan(stop, dt.date(2018, 9, 3) + shift, dt.date(2019, 6, 10) + shift)
    if stop in LATER_STOPS:
        # The branch meets in 11/2019; the decision follows on a Monday of 01/2020, within the
        # 60 working days, then the ceremony 25 days later.
        rank = LATER_STOPS.index(stop)
        decision = dt.date(2020, 1, 6) + dt.timedelta(days=7 * rank)
        return Plan(
            stop,
            dt.date(2018, 12, 3) + shift,
            dt.date(2019, 11, 4) + shift,
            decision=decision,
            ceremony=decision + dt.timedelta(days=25),
        )
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


def _people(branch: Organization, count: int) -> list[Person]:
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
    people: list[Person] = []
    seen: set[int] = set()
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
    reached = MILESTONES.index(REACHES[plan.stop])

    def beyond(milestone: str) -> bool:
        return reached >= MILESTONES.index(milestone)

    _dossier(actor, candidate, plan, members, beyond)
    if plan.stop == "withdrawn":
        assert plan.closed is not None
        services.record_step(
            actor=actor, candidate=candidate, kind=StepKind.WITHDRAWN, date=plan.closed
        )
        return
    if not beyond("branch"):
        return
    meeting = plan.meeting
    eligible = count_full_members(branch, meeting)
    passed = plan.stop != "branch_failed"
    services.record_branch_resolution(
        actor=actor,
        candidate=candidate,
        date=meeting,
        present=eligible,
        votes_for=eligible if passed else eligible // 2,
        votes_against=0 if passed else eligible - eligible // 2,
        document_number=f"{person.pk}-NQ/CB",
    )
    if not beyond("committee"):
        return
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
    if not beyond("decision"):
        return
    assert plan.decision is not None
    services.record_decision(
        actor=actor,
        candidate=candidate,
        date=plan.decision,
        document_number=f"{person.pk}-QĐ/ĐUK",
    )
    if not beyond("ceremony"):
        return
    assert plan.ceremony is not None
    services.record_ceremony_step(actor=actor, candidate=candidate, date=plan.ceremony)
    if plan.stop == "removed":
        assert plan.closed is not None
        services.record_probation_removal(
            actor=actor,
            candidate=candidate,
            date=plan.closed,
            document_number=f"{person.pk}-QĐ/ĐUK",
            note="Không đủ tư cách đảng viên trong thời gian dự bị.",
        )
        return
    if not beyond("new_member_class"):
        return
    services.record_step(
        actor=actor,
        candidate=candidate,
        kind=StepKind.NEW_MEMBER_CLASS,
        date=plan.ceremony + dt.timedelta(days=42),
    )
    if not beyond("recognition"):
        return
    end, _rule = probation_end(plan.ceremony)
    services.record_step(
        actor=actor, candidate=candidate, kind=StepKind.RECOGNITION_REVIEW, date=end
    )
    services.record_recognition(
        actor=actor,
        candidate=candidate,
        date=end + dt.timedelta(days=14),
        document_number=f"{person.pk}-QĐ/ĐUK",
    )


def _dossier(actor, candidate: Candidate, plan: Plan, members: list[Member], beyond) -> None:
    """The papers of the dossier, each dated back from the branch's meeting (within the 12
    months the papers stay valid), as far as the case goes."""
    if not beyond("awareness_course"):
        return
    services.record_step(
        actor=actor,
        candidate=candidate,
        kind=StepKind.AWARENESS_COURSE,
        date=plan.start + dt.timedelta(days=28),
        document_number=f"{candidate.person_id}/GCN-TTBD",
    )
    if not beyond("application"):
        return
    application = min(plan.meeting - dt.timedelta(days=119), AS_OF - dt.timedelta(days=60))
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


def add_candidates(actor, *, first_branch_id: int | None = None) -> int:
    """Start the demo's admission cases as ``actor`` (the demo administrator), in a few
    branches starting with ``first_branch_id``; returns how many.

    Each case goes to its branch, or to the next one with a person left. Every case of
    ``DONE_BY_AS_OF`` must be recorded, or the figures would be off: a shortage of branches or
    people for them raises RuntimeError (and the demo's transaction rolls back).
    """
    branches = _branches(first_branch_id)
    free = [_people(branch, sum(STOPS.values())) for branch in branches]
    cases: list[tuple[int, Person, Plan]] = []

    def place(number: int, plan: Plan) -> bool:
        for offset in range(len(branches)):
            at = (number + offset) % len(branches)
            if free[at]:
                cases.append((at, free[at].pop(0), plan))
                return True
        return False

    for number, plans in DONE_BY_AS_OF.items():
        for plan in plans:
            if not place(number, plan):
                raise RuntimeError(
                    f"No branch has a person left for the demo case “{plan.stop}”, decided by "
                    f"{AS_OF:%d/%m/%Y}: the demo's figures would not be exact."
                )
    for index, stop in enumerate(LATER_STOPS):
        place(0, _plan(stop, index))
    rounds = max(STOPS.values())
    spread = [stop for turn in range(rounds) for stop, count in STOPS.items() if turn < count]
    for index, stop in enumerate(spread):
        place(index % len(branches), _plan(stop, index))
    members = [_full_members(branch) for branch in branches]
    for number, person, plan in cases:
        _walk(actor, branches[number], person, plan, members[number])
    return len(cases)


__all__ = ["AS_OF", "DONE_BY_AS_OF", "Counted", "add_candidates", "counted_on"]
