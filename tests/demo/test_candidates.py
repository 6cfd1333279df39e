"""The demo's admission candidates: every stage on 31/12/2019, the seed's figures unchanged."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Q

from dangbo.admissions.models import AdmissionStep, Candidate, Stage, StepKind
from dangbo.admissions.selectors import count_by_stage, count_overdue, list_deadlines, list_due
from dangbo.demo.builder import DEMO, build_demo
from dangbo.demo.candidates import Counted, add_candidates, counted_on
from dangbo.members.models import Member, MembershipPeriod, MemberStatus
from dangbo.organizations.models import Organization
from dangbo.reports.selectors import headline_figures
from tests.factories import UserFactory

AS_OF = dt.date(2019, 12, 31)
TERM_STARTS_ON = DEMO.term.starts_on


@pytest.mark.django_db  # the probation's length is a versioned rule
def test_the_cases_decided_by_the_seeds_day_are_counted_before_generating():
    # admitted by 31/12/2019: awaiting the ceremony, on probation, two reviews due, recognized,
    # removed (admitted in the term, no longer a member)
    assert counted_on(AS_OF, TERM_STARTS_ON) == Counted(members=5, full=1, admitted_in_term=6)
    # before the recognition (23/07/2019), the removal (18/11/2019) and the last decision
    assert counted_on(dt.date(2019, 7, 1), TERM_STARTS_ON) == Counted(
        members=5, full=0, admitted_in_term=5
    )
    assert counted_on(dt.date(2017, 12, 31), TERM_STARTS_ON) == Counted(0, 0, 0)
    # a term starting later counts only the decisions from its start
    assert counted_on(AS_OF, dt.date(2019, 1, 1)).admitted_in_term == 3


@pytest.mark.django_db
def test_add_candidates_refuses_to_leave_out_a_decided_case():
    # no branch at all: the cases that make the figures exact cannot be placed
    with pytest.raises(RuntimeError):
        add_candidates(UserFactory(is_superuser=True))
    assert not Candidate.objects.exists()


@pytest.mark.django_db
def test_demo_candidates_cover_every_stage_and_keep_the_figures():
    demo = build_demo()

    admin = get_user_model().objects.get(username="demo-admin")
    root = Organization.objects.get(code="DCD-HCM")

    figures = headline_figures(user=admin, organization=root, as_of=AS_OF)
    counts = count_by_stage(user=admin, organization=root, as_of=AS_OF)
    later = count_by_stage(user=admin, organization=root, as_of=dt.date(2021, 6, 30))

    # the seed's figures, exact with the candidates admitted by then
    assert (
        figures.grassroots_organizations,
        figures.staff,
        figures.members,
        figures.admitted_in_term,
    ) == (69, 20463, 8445, 2106)
    assert figures.full + figures.probationary == 8445
    assert (demo["members"], demo["staff"], demo["admitted_in_term"]) == (8445, 20463, 2106)
    assert 35 <= demo["candidates"] == Candidate.objects.count() <= 80
    assert Candidate.objects.values("organization").distinct().count() >= 4

    # every stage of the board on 31/12/2019; the later ones exactly as planned
    assert all(counts[stage] > 0 for stage in Stage.values), counts
    assert counts[Stage.DOSSIER] >= 10 and counts[Stage.AWAITING_DECISION] >= 5
    assert (
        counts[Stage.AWAITING_CEREMONY],
        counts[Stage.PROBATION],
        counts[Stage.RECOGNIZED],
        counts[Stage.REMOVED],
        counts[Stage.WITHDRAWN],
    ) == (1, 3, 1, 1, 1)
    assert sum(counts.values()) == Candidate.objects.filter(started_on__lte=AS_OF).count()
    assert later[Stage.PROBATION] > 0 and later[Stage.RECOGNIZED] == 2

    # the candidates who are members on 31/12/2019 are those the generator left room for
    on_day = Q(valid_from__lte=AS_OF) & (Q(valid_to__isnull=True) | Q(valid_to__gt=AS_OF))
    periods = MembershipPeriod.objects.filter(on_day, member__person__candidacies__isnull=False)
    added = counted_on(AS_OF, TERM_STARTS_ON)
    assert periods.count() == added.members
    assert periods.filter(status=MemberStatus.FULL).count() == added.full
    decisions = AdmissionStep.objects.filter(kind=StepKind.DECISION, date__lte=AS_OF)
    assert decisions.count() == decisions.filter(date__gte=TERM_STARTS_ON).count() == 6
    assert not Member.objects.filter(person__candidacies__started_on__gt=AS_OF).exists()

    steps = AdmissionStep.objects.filter(date__lte=AS_OF)
    for kind in StepKind.values:
        if kind not in (StepKind.SUB_COMMITTEE_APPRAISAL, StepKind.REFERRED_UP):
            assert steps.filter(kind=kind).exists(), kind
    assert steps.filter(kind=StepKind.BRANCH_RESOLUTION, resolution__passed=False).exists()
    assert AdmissionStep.objects.filter(kind=StepKind.RECOGNITION, date__year=2021).exists()

    # deadlines on 31/12/2019: decisions and a recognition review overdue; a ceremony and a
    # recognition review due within 30 days
    overdue = {
        d.step_kind
        for d in list_deadlines(user=admin, organization=root, as_of=AS_OF)
        if d.is_overdue(AS_OF)
    }
    assert overdue == {StepKind.DECISION, StepKind.RECOGNITION_REVIEW}
    assert count_overdue(user=admin, organization=root, as_of=AS_OF) >= 2
    due = {d.step_kind for d in list_due(user=admin, organization=root, as_of=AS_OF)}
    assert {StepKind.DECISION, StepKind.CEREMONY, StepKind.RECOGNITION_REVIEW} <= due

    # the demo-branch account sees cases too, one of them on probation
    branch_user = get_user_model().objects.get(username="demo-branch")
    branch = branch_user.role_grants.get().organization
    branch_counts = count_by_stage(user=branch_user, organization=branch, as_of=AS_OF)
    assert branch_counts[Stage.DOSSIER] > 0 and branch_counts[Stage.PROBATION] > 0
