"""Fixtures of the organization page tests: members and extra sub-organizations on demand."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from dangbo.members import services as member_services
from dangbo.organizations.models import OrganizationKind, OrganizationLevel
from tests.factories import make_organization, make_person

ADMITTED = dt.date(2015, 3, 2)
_names = itertools.count(1)


@pytest.fixture
def add_member(users):
    """Admit a new person, employed at ``organization``, as a member there from 2/3/2015."""

    def add(organization, *, decision_date: dt.date = ADMITTED):
        n = next(_names)
        person = make_person("Lê", "Văn", f"Số{n}", organization=organization)
        return member_services.admit_member(
            actor=users.admin,
            person=person,
            organization=organization,
            decision_date=decision_date,
        )

    return add


@pytest.fixture
def grow(tree, add_member):
    """Add ``n`` grassroots branches under the root, each with one member (and so one staff)."""

    def add(n: int):
        created = []
        for _ in range(n):
            i = next(_names)
            org = make_organization(
                f"Chi bộ Công ty {i:03d}",
                parent=tree.root,
                level=OrganizationLevel.GRASSROOTS,
                kind=OrganizationKind.BRANCH,
                code=f"CT{i:04d}",
            )
            add_member(org)
            created.append(org)
        return created

    return add
