"""The demo's admission candidates: every stage on 31/12/2019, the seed's figures unchanged."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from dangbo.admissions.models import AdmissionStep, Candidate, Stage, StepKind
from dangbo.admissions.selectors import count_by_stage, count_overdue, list_due
from dangbo.demo.builder import build_demo
from dangbo.members.models import Member
from dangbo.organizations.models import Organization
from dangbo.reports.selectors import headline_figures

AS_OF = dt.date(2019, 12, 31)


@pytest.mark.django_db
def test_demo_candidates_cover_every_stage_and_keep_the_figures():
    demo = build_demo()

    admin = get_user_model().objects.get(username="demo-admin")
    root = Organization.objects.get(code="DCD-HCM")

    figures = headline_figures(user=admin, organization=root, as_of=AS_OF)
    counts = count_by_stage(user=admin, organization=root, as_of=AS_OF)
    later = count_by_stage(user=admin, organization=root, as_of=dt.date(2021, 6, 30))

    assert (
        figures.grassroots_organizations,
        figures.staff,
        figures.members,
        figures.admitted_in_term,
    ) == (69, 20463, 8445, 2106)
    assert 40 <= demo["candidates"] == Candidate.objects.count() <= 80
    assert Candidate.objects.values("organization").distinct().count() >= 4
    assert counts[Stage.DOSSIER] > 0 and counts[Stage.AWAITING_DECISION] > 0
    assert sum(counts.values()) == Candidate.objects.filter(started_on__lte=AS_OF).count()
    assert counts[Stage.AWAITING_CEREMONY] == counts[Stage.PROBATION] == 0
    assert later[Stage.PROBATION] > 0 and later[Stage.RECOGNIZED] > 0
    assert not AdmissionStep.objects.filter(kind=StepKind.DECISION, date__lte=AS_OF).exists()
    steps = AdmissionStep.objects.filter(date__lte=AS_OF)
    for kind in (
        StepKind.AWARENESS_COURSE,
        StepKind.APPLICATION,
        StepKind.BACKGROUND,
        StepKind.VERIFICATION,
        StepKind.INTRODUCTION,
        StepKind.OPINIONS,
        StepKind.BRANCH_RESOLUTION,
        StepKind.COMMITTEE_RESOLUTION,
    ):
        assert steps.filter(kind=kind).exists(), kind
    assert steps.filter(kind=StepKind.BRANCH_RESOLUTION, resolution__passed=False).exists()
    assert count_overdue(user=admin, organization=root, as_of=AS_OF) > 0
    assert list_due(user=admin, organization=root, as_of=AS_OF, within_days=30)
    assert not Member.objects.filter(person__candidacies__started_on__gt=AS_OF).exists()

    branch_user = get_user_model().objects.get(username="demo-branch")
    branch = branch_user.role_grants.get().organization
    assert sum(count_by_stage(user=branch_user, organization=branch, as_of=AS_OF).values()) > 0
