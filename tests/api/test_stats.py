"""/api/stats/: headline figures of a subtree on a date; counts only, so statisticians too."""

from __future__ import annotations

import datetime as dt

import pytest

from dangbo.targets.models import Term
from tests.api.conftest import INVALID_ID, NO_ROLE, NOT_FOUND, NOT_SIGNED_IN, bad_as_of

URL = "/api/stats/"
TERM = {"name": "Nhiệm kỳ 2015–2020", "starts_on": "2015-01-01", "ends_on": "2020-12-31"}


@pytest.fixture
def term(tree):
    return Term.objects.create(
        organization=tree.root,
        name=TERM["name"],
        starts_on=dt.date(2015, 1, 1),
        ends_on=dt.date(2020, 12, 31),
    )


def test_anonymous_gets_401(client, tree):
    response = client.get(URL)

    assert response.status_code == 401
    assert response.json() == {"detail": NOT_SIGNED_IN}


def test_user_without_role_gets_403(login, users):
    response = login(users.nobody).get(URL)

    assert response.status_code == 403
    assert response.json() == {"detail": NO_ROLE}


@pytest.mark.parametrize("username", ["root_manager", "statistician", "admin"])
def test_top_of_the_scope_by_default_with_exact_figures(login, users, tree, member, term, username):
    response = login(getattr(users, username)).get(URL, {"as_of": "2020-01-01"})

    assert response.status_code == 200
    assert response.json() == {
        "organization": {"id": tree.root.pk, "name": "Đảng bộ Khối Dân – Chính – Đảng"},
        "as_of": "2020-01-01",
        "grassroots_organizations": 2,
        "staff": 1,
        "members": 1,
        "probationary": 0,
        "full": 1,
        "admitted_in_term": 1,
        "term": TERM,
    }


def test_a_branch_role_counts_its_branch(login, users, tree, member, term):
    response = login(users.a1_manager).get(URL, {"as_of": "01/06/2015"})

    assert response.json() == {
        "organization": {"id": tree.a1.pk, "name": "Chi bộ Phòng 1"},
        "as_of": "2015-06-01",
        "grassroots_organizations": 0,
        "staff": 1,
        "members": 1,
        "probationary": 1,
        "full": 0,
        "admitted_in_term": 1,
        "term": TERM,
    }


def test_chosen_organization_within_the_scope(login, users, tree, member):
    response = login(users.gc_viewer).get(URL, {"organization": tree.a2.pk})

    assert response.status_code == 200
    assert response.json()["organization"] == {"id": tree.a2.pk, "name": "Chi bộ Phòng 2"}
    assert response.json()["members"] == 0
    assert response.json()["term"] is None


@pytest.mark.parametrize(
    ("username", "target"),
    [("a1_manager", "a2"), ("a1_manager", "gc"), ("gb_manager", "root"), ("gc_viewer", "gb")],
)
def test_organization_outside_the_scope_is_404(login, users, tree, member, username, target):
    response = login(getattr(users, username)).get(URL, {"organization": getattr(tree, target).pk})

    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_before_any_member_and_term(login, users, tree, member, term):
    response = login(users.statistician).get(URL, {"as_of": "2014-12-31"})

    assert response.json()["members"] == 0
    assert response.json()["term"] is None
    assert response.json()["admitted_in_term"] == 0


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"as_of": "tomorrow"}, bad_as_of("tomorrow")),
        ({"organization": "ROOT"}, {"organization": [INVALID_ID]}),
        ({"organization": "99999999999999999999"}, {"organization": [INVALID_ID]}),
    ],
)
def test_bad_parameters_are_400_naming_the_field(login, users, tree, params, expected):
    response = login(users.root_manager).get(URL, params)

    assert response.status_code == 400
    assert response.json() == expected


def test_missing_organization_is_404(login, users, tree):
    response = login(users.admin).get(URL, {"organization": tree.root.pk + 1000})

    assert response.status_code == 404
    assert response.json() == NOT_FOUND
