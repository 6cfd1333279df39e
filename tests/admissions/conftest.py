"""Admission fixtures: the rules (until the core migration seeds them everywhere), a branch of
nine full members and a candidate whose dossier is ready for the branch meeting on MEETING."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from dangbo.core.models import Rule
from tests.admissions.factories import (
    make_candidate_person,
    make_full_member,
    prepare_dossier,
    start,
)

RULES = {
    "admission.minimum_age_months": 216,
    "admission.maximum_age_months": 720,
    "membership.probation_months": 12,
    "admission.decision_deadline_working_days": 60,
    "admission.ceremony_deadline_working_days": 30,
    "membership.recognition_review_deadline_working_days": 30,
    "admission.deadline_extension_max_working_days": 30,
    "admission.certificate_max_age_months": 60,
    "admission.papers_max_age_months": 12,
    "admission.introducer_min_months_in_unit": 12,
    "admission.vote_threshold": {"numerator": 2, "denominator": 3},
    "admission.readmission_min_months": 36,
    "admission.minimum_education": "lower_secondary",
    "admission.failed_votes_before_referral": 3,
}


@pytest.fixture(autouse=True)
def admission_rules(db):
    """The first version of each admission rule (kept when a migration already seeded it)."""
    for key, value in RULES.items():
        if not Rule.objects.filter(key=key).exists():
            Rule.objects.create(
                key=key,
                value=value,
                valid_from=dt.date(1930, 2, 3),
                source_document="Điều lệ Đảng (2011)",
            )


@pytest.fixture
def branch(tree, member):
    """Branch a1 with nine full members on MEETING: Bình (the ``member`` fixture) and eight
    more, all working there since 2009."""
    others = [make_full_member(tree.a1) for _ in range(8)]
    return SimpleNamespace(members=[member, *others], introducers=[member, others[0]])


@pytest.fixture
def candidate(tree, users, branch):
    """Phạm Thị Lan (born 10/03/1995, in a1 since 2018), helped by Bình, dossier ready."""
    person = make_candidate_person(tree.a1)
    case = start(users.a1_manager, person, tree.a1, branch.members[0])
    return prepare_dossier(users.a1_manager, case, branch.introducers)
