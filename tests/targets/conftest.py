"""Fixtures of the term and target tests: a term of 1,000 days on the root, and admissions.

The term runs from 01/01/2021 to 27/09/2023, 1,000 days with both ends counted, so that on
MIDTERM (15/05/2022, the 500th day) exactly half of it has elapsed.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from dangbo.core.models import AuditAction, AuditEntry
from dangbo.members import services as member_services
from dangbo.targets.models import Target, Term
from tests.factories import make_person

START = dt.date(2021, 1, 1)
END = dt.date(2023, 9, 27)
MIDTERM = dt.date(2022, 5, 15)
_names = itertools.count(1)


def counts() -> tuple[int, int, int]:
    """Terms, targets and audit rows (logins left out): what a refusal must leave alone."""
    return (
        Term.objects.count(),
        Target.objects.count(),
        AuditEntry.objects.exclude(action=AuditAction.LOGIN).count(),
    )


@pytest.fixture
def term(tree):
    """Nhiệm kỳ 2021–2023 of the root committee."""
    return Term.objects.create(
        organization=tree.root,
        name="Nhiệm kỳ 2021–2023",
        starts_on=START,
        ends_on=END,
        resolution="Nghị quyết Đại hội lần thứ I",
    )


@pytest.fixture
def admit(users):
    """Admit ``n`` new people employed at ``organization`` by decisions dated ``day``."""

    def do(organization, day: dt.date, n: int = 1):
        admitted = []
        for _ in range(n):
            person = make_person(
                "Lê", "Văn", f"Số{next(_names)}", organization=organization, employed_from=day
            )
            admitted.append(
                member_services.admit_member(
                    actor=users.admin, person=person, organization=organization, decision_date=day
                )
            )
        return admitted

    return do
