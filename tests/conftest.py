"""Shared fixtures: a small dated tree, users with roles on it, and a member in one branch.

root   Đảng bộ Khối (upper)
├── gc   Đảng bộ Sở A (grassroots committee)
│   ├── a1  Chi bộ Phòng 1 (branch)
│   └── a2  Chi bộ Phòng 2 (branch)
└── gb   Chi bộ Báo B (grassroots branch)
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from dangbo.core.models import Role
from dangbo.members import services as member_services
from dangbo.organizations.models import OrganizationKind, OrganizationLevel
from tests.factories import UserFactory, grant, make_organization, make_person

ADMITTED = dt.date(2015, 3, 2)
CEREMONY = dt.date(2015, 3, 20)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached figures are keyed by ids and the data version, which repeat between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def tree(db):
    root = make_organization(
        "Đảng bộ Khối Dân – Chính – Đảng",
        level=OrganizationLevel.UPPER,
        kind=OrganizationKind.COMMITTEE,
        founded_on=dt.date(1975, 5, 1),
        code="ROOT",
    )
    gc = make_organization(
        "Đảng bộ Sở A",
        parent=root,
        level=OrganizationLevel.GRASSROOTS,
        kind=OrganizationKind.COMMITTEE,
        code="GC",
        functional_group="state_management",
    )
    a1 = make_organization("Chi bộ Phòng 1", parent=gc, code="A1")
    a2 = make_organization("Chi bộ Phòng 2", parent=gc, code="A2")
    gb = make_organization(
        "Chi bộ Báo B",
        parent=root,
        level=OrganizationLevel.GRASSROOTS,
        kind=OrganizationKind.BRANCH,
        code="GB",
        functional_group="press",
    )
    return SimpleNamespace(root=root, gc=gc, a1=a1, a2=a2, gb=gb)


@pytest.fixture
def users(tree):
    def user_with(role, organization, name):
        user = UserFactory(username=name)
        grant(user, organization, role)
        return user

    return SimpleNamespace(
        admin=UserFactory(username="admin", is_superuser=True, is_staff=True),
        root_manager=user_with(Role.MANAGER, tree.root, "root_manager"),
        a1_manager=user_with(Role.MANAGER, tree.a1, "a1_manager"),
        a2_manager=user_with(Role.MANAGER, tree.a2, "a2_manager"),
        gc_viewer=user_with(Role.VIEWER, tree.gc, "gc_viewer"),
        gb_manager=user_with(Role.MANAGER, tree.gb, "gb_manager"),
        statistician=user_with(Role.STATISTICIAN, tree.root, "statistician"),
        nobody=UserFactory(username="nobody"),
    )


@pytest.fixture
def member(tree, users):
    """Trần Thị Bình, full member of branch a1: admitted 2/3/2015, recognized 20/3/2016."""
    person = make_person(
        "Trần",
        "Thị",
        "Bình",
        organization=tree.a1,
        sex="female",
        date_of_birth=dt.date(1990, 7, 4),
        citizen_id="079190001234",
    )
    m = member_services.admit_member(
        actor=users.root_manager,
        person=person,
        organization=tree.a1,
        decision_date=ADMITTED,
        ceremony_date=CEREMONY,
        document_number="15-QĐ/ĐU",
    )
    member_services.recognize_full_member(
        actor=users.root_manager, member=m, effective_date=dt.date(2016, 3, 20)
    )
    return m


@pytest.fixture
def login(client):
    def do(user):
        client.force_login(user)
        return client

    return do
