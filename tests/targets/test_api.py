"""/api/terms/ and /api/terms/<id>/progress/: counts only, scoped like every other address."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dangbo.targets.models import Target, Term
from tests.api.conftest import INVALID_ID, NO_ROLE, NOT_FOUND, NOT_SIGNED_IN, bad_as_of
from tests.targets.conftest import END, START

LIST = "/api/terms/"


def progress_url(term) -> str:
    return f"/api/terms/{term.pk}/progress/"


def ref(organization) -> dict:
    return {"id": organization.pk, "code": organization.code, "name": organization.name}


@pytest.fixture
def a2_term(tree):
    return Term.objects.create(
        organization=tree.a2, name="Nhiệm kỳ Chi bộ Phòng 2", starts_on=START, ends_on=END
    )


# --- Access ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["list", "progress"])
def test_anonymous_gets_401(client, term, url):
    response = client.get(LIST if url == "list" else progress_url(term))

    assert response.status_code == 401
    assert response.json() == {"detail": NOT_SIGNED_IN}


@pytest.mark.parametrize("url", ["list", "progress"])
def test_user_without_role_gets_403(login, users, term, url):
    response = login(users.nobody).get(LIST if url == "list" else progress_url(term))

    assert response.status_code == 403
    assert response.json() == {"detail": NO_ROLE}


@pytest.mark.parametrize(
    ("username", "term_of", "organization", "status"),
    [
        ("a1_manager", "a2", None, 404),  # another branch's term
        ("a1_manager", "root", "a2", 404),  # another branch
        ("gb_manager", "root", "gc", 404),
        ("a1_manager", "root", None, 200),
        ("a1_manager", "root", "a1", 200),
        ("statistician", "a2", None, 200),
        ("gc_viewer", "gc", "a1", 200),
        ("admin", "a2", None, 200),
    ],
)
def test_progress_access_matrix(tree, users, login, username, term_of, organization, status):
    term = Term.objects.create(
        organization=getattr(tree, term_of), name="Nhiệm kỳ", starts_on=START, ends_on=END
    )
    query = {"organization": getattr(tree, organization).pk} if organization else {}

    response = login(getattr(users, username)).get(progress_url(term), query)

    assert response.status_code == status
    if status == 404:
        assert response.json() == NOT_FOUND


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("a1_manager", ["root"]),
        ("a2_manager", ["a2", "root"]),
        ("gb_manager", ["root"]),
        ("root_manager", ["a2", "root"]),
        ("statistician", ["a2", "root"]),
    ],
)
def test_list_holds_the_terms_that_apply_to_the_scope(
    tree, users, login, term, a2_term, username, expected
):
    response = login(getattr(users, username)).get(LIST)

    assert response.status_code == 200
    assert [row["organization"]["id"] for row in response.json()["results"]] == [
        getattr(tree, name).pk for name in expected
    ]


# --- Content --------------------------------------------------------------------------------------


def test_list_shows_the_targets_within_the_scope(tree, users, login, term):
    Target.objects.create(
        term=term, organization=tree.root, new_members=1800, resolution="Nghị quyết số 1"
    )
    Target.objects.create(term=term, organization=tree.a1, yearly_rate_percent=Decimal("3.5"))

    whole = login(users.root_manager).get(LIST).json()
    branch = login(users.a1_manager).get(LIST).json()

    assert whole == {
        "count": 1,
        "next": None,
        "previous": None,
        "results": [
            {
                "id": term.pk,
                "organization": ref(tree.root),
                "name": "Nhiệm kỳ 2021–2023",
                "starts_on": "2021-01-01",
                "ends_on": "2023-09-27",
                "resolution": "Nghị quyết Đại hội lần thứ I",
                "targets": [
                    {
                        "organization": ref(tree.a1),
                        "new_members": None,
                        "yearly_rate_percent": 3.5,
                        "resolution": "",
                    },
                    {
                        "organization": ref(tree.root),
                        "new_members": 1800,
                        "yearly_rate_percent": None,
                        "resolution": "Nghị quyết số 1",
                    },
                ],
            }
        ],
    }
    assert [t["organization"]["id"] for t in branch["results"][0]["targets"]] == [tree.a1.pk]


def test_progress_with_hand_computed_values(tree, users, login, term, admit):
    # given 4 members on 1/1/2021, a target of 10 and 25 % a year; 3 admissions by mid-term
    admit(tree.a1, dt.date(2010, 3, 1), n=4)
    Target.objects.create(
        term=term, organization=tree.root, new_members=10, yearly_rate_percent=Decimal("25")
    )
    admit(tree.a2, dt.date(2021, 6, 1), n=2)
    admit(tree.gb, dt.date(2022, 2, 1))
    # when
    response = login(users.root_manager).get(progress_url(term), {"as_of": "15/05/2022"})
    # then
    assert response.status_code == 200
    assert response.json() == {
        "term": {
            "id": term.pk,
            "organization": ref(tree.root),
            "name": "Nhiệm kỳ 2021–2023",
            "starts_on": "2021-01-01",
            "ends_on": "2023-09-27",
            "resolution": "Nghị quyết Đại hội lần thứ I",
        },
        "organization": ref(tree.root),
        "as_of": "2022-05-15",
        "counted_to": "2022-05-15",
        "admitted": 3,
        "target": {
            "organization": ref(tree.root),
            "new_members": 10,
            "yearly_rate_percent": 25.0,
            "resolution": "",
        },
        "share_percent": 30.0,
        "term_days": 1000,
        "elapsed_days": 500,
        "expected_share_percent": 50.0,
        "verdict": "behind",
        "rate_verdict": "on_track",  # 1 of 1.5 expected in 2022, 135 of 365 days gone
        "years": [
            {
                "year": 2021,
                "starts_on": "2021-01-01",
                "ends_on": "2021-12-31",
                "admitted": 2,
                "members_at_start": 4,
                "expected": 1.0,
                "verdict": "exceeded",
            },
            {
                "year": 2022,
                "starts_on": "2022-01-01",
                "ends_on": "2022-12-31",
                "admitted": 1,
                "members_at_start": 6,
                "expected": 1.5,
                "verdict": "on_track",
            },
        ],
    }


def test_progress_of_a_branch_in_the_committee_term(tree, users, login, term, admit):
    admit(tree.a1, dt.date(2021, 6, 1))
    admit(tree.a2, dt.date(2021, 6, 1))

    body = login(users.a1_manager).get(progress_url(term), {"as_of": "2022-05-15"}).json()

    assert body["organization"] == ref(tree.a1)
    assert (body["admitted"], body["target"], body["verdict"]) == (1, None, None)


def test_bad_parameters_are_400_or_404(login, users, term):
    client = login(users.root_manager)

    assert client.get(progress_url(term), {"as_of": "2022-13-01"}).json() == bad_as_of("2022-13-01")
    assert client.get(progress_url(term), {"organization": "x"}).json() == {
        "organization": [INVALID_ID]
    }
    assert client.get("/api/terms/abc/progress/").status_code == 404
    assert client.get("/api/terms/0/progress/").status_code == 404


def test_schema_documents_the_term_addresses(login, users):
    schema = login(users.a1_manager).get("/api/schema/", {"format": "json"}).json()

    progress = schema["paths"]["/api/terms/{id}/progress/"]["get"]
    assert sorted(p["name"] for p in progress["parameters"]) == ["as_of", "id", "organization"]
    assert sorted(p["name"] for p in schema["paths"]["/api/terms/"]["get"]["parameters"]) == [
        "page",
        "page_size",
    ]
    verdict = schema["components"]["schemas"]["TermProgress"]["properties"]["verdict"]
    assert "exceeded" in str(verdict)


def test_query_counts(tree, users, login, term, a2_term, admit, django_assert_max_num_queries):
    for organization in (tree.root, tree.gc, tree.a1, tree.a2):
        Target.objects.create(term=term, organization=organization, new_members=5)
    admit(tree.a1, dt.date(2021, 6, 1))
    client = login(users.root_manager)

    with django_assert_max_num_queries(7):
        assert client.get(LIST).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(progress_url(term)).status_code == 200
