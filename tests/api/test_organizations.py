"""/api/organizations/: the tree as it stood on a date, within the user's (count) scope."""

from __future__ import annotations

import datetime as dt

import pytest

from dangbo.api.views import ApiPagination
from dangbo.organizations.models import Organization
from tests.api.conftest import INVALID_ID, NO_ROLE, NOT_FOUND, NOT_SIGNED_IN, bad_as_of
from tests.factories import make_organization, relink

LIST = "/api/organizations/"


def detail(organization) -> str:
    return f"/api/organizations/{organization.pk}/"


def codes(response) -> list[str]:
    return [row["code"] for row in response.json()["results"]]


# --- Access -----------------------------------------------------------------------------------


def test_anonymous_gets_401(client, tree):
    list_response = client.get(LIST)
    detail_response = client.get(detail(tree.a1))

    for response in (list_response, detail_response):
        assert response.status_code == 401
        assert response.json() == {"detail": NOT_SIGNED_IN}
        assert response["WWW-Authenticate"] == "Token"


def test_user_without_role_gets_403(login, users, tree):
    client = login(users.nobody)

    list_response = client.get(LIST)
    detail_response = client.get(detail(tree.a1))

    for response in (list_response, detail_response):
        assert response.status_code == 403
        assert response.json() == {"detail": NO_ROLE}


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("a1_manager", ["A1"]),
        ("a2_manager", ["A2"]),
        ("gb_manager", ["GB"]),
        ("gc_viewer", ["A1", "A2", "GC"]),
        ("root_manager", ["GB", "A1", "A2", "ROOT", "GC"]),
        ("statistician", ["GB", "A1", "A2", "ROOT", "GC"]),
        ("admin", ["GB", "A1", "A2", "ROOT", "GC"]),
    ],
)
def test_list_holds_the_subtree_of_the_roles_in_name_order(login, users, username, expected):
    response = login(getattr(users, username)).get(LIST)

    assert response.status_code == 200
    assert codes(response) == expected
    assert response.json()["count"] == len(expected)


def test_detail_has_the_exact_fields(login, users, tree):
    response = login(users.a1_manager).get(detail(tree.a1))

    assert response.status_code == 200
    assert response.json() == {
        "id": tree.a1.pk,
        "code": "A1",
        "name": "Chi bộ Phòng 1",
        "level": "branch",
        "kind": "branch",
        "functional_group": "",
        "statistics_type": "",
        "founded_on": "1990-01-01",
        "dissolved_on": None,
        "parent": tree.gc.pk,
    }


def test_list_rows_have_the_same_fields_as_detail(login, users, tree):
    client = login(users.root_manager)

    rows = {row["code"]: row for row in client.get(LIST).json()["results"]}

    assert rows["GC"] == client.get(detail(tree.gc)).json()
    assert rows["GC"]["functional_group"] == "state_management"
    assert rows["ROOT"]["parent"] is None
    assert rows["ROOT"]["founded_on"] == "1975-05-01"


@pytest.mark.parametrize(
    ("username", "target"),
    [("a1_manager", "a2"), ("a2_manager", "a1"), ("gb_manager", "gc"), ("gc_viewer", "root")],
)
def test_detail_outside_the_subtree_is_404(login, users, tree, username, target):
    response = login(getattr(users, username)).get(detail(getattr(tree, target)))

    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_statistician_sees_organizations(login, users, tree):
    response = login(users.statistician).get(detail(tree.gb))

    assert response.status_code == 200
    assert response.json()["parent"] == tree.root.pk


# --- Dates ------------------------------------------------------------------------------------


def test_parent_is_the_one_on_as_of(login, users, tree):
    relink(tree.a2, tree.gb, dt.date(2020, 1, 1))
    client = login(users.root_manager)

    before = client.get(detail(tree.a2), {"as_of": "2019-12-31"})
    after = client.get(detail(tree.a2), {"as_of": "01/01/2020"})
    today = client.get(detail(tree.a2))

    assert before.json()["parent"] == tree.gc.pk
    assert after.json()["parent"] == tree.gb.pk
    assert today.json()["parent"] == tree.gb.pk


def test_parent_filter_follows_the_tree_on_as_of(login, users, tree):
    relink(tree.a2, tree.gb, dt.date(2020, 1, 1))
    client = login(users.root_manager)

    in_2019 = client.get(LIST, {"parent": tree.gc.pk, "as_of": "2019-06-01"})
    now = client.get(LIST, {"parent": tree.gc.pk})
    under_gb = client.get(LIST, {"parent": tree.gb.pk})

    assert codes(in_2019) == ["A1", "A2"]
    assert codes(now) == ["A1"]
    assert codes(under_gb) == ["A2"]


def test_dissolved_and_unfounded_organizations_are_absent_on_as_of(login, users, tree):
    Organization.objects.filter(pk=tree.a2.pk).update(dissolved_on=dt.date(2020, 1, 1))
    make_organization("Chi bộ Phòng 3", parent=tree.gc, code="A3", founded_on=dt.date(2021, 1, 1))
    client = login(users.root_manager)

    in_2019 = client.get(LIST, {"parent": tree.gc.pk, "as_of": "2019-06-01"})
    now = client.get(LIST, {"parent": tree.gc.pk})
    a2_now = client.get(detail(tree.a2))
    a2_in_2019 = client.get(detail(tree.a2), {"as_of": "2019-06-01"})

    assert codes(in_2019) == ["A1", "A2"]
    assert codes(now) == ["A1", "A3"]
    assert a2_now.status_code == 404
    assert a2_in_2019.json()["dissolved_on"] == "2020-01-01"


def test_bad_as_of_is_400_with_the_message(login, users, tree):
    client = login(users.root_manager)

    list_response = client.get(LIST, {"as_of": "31-12-2020"})
    detail_response = client.get(detail(tree.a1), {"as_of": "31-12-2020"})
    too_early = client.get(LIST, {"as_of": "1929-12-31"})

    for response in (list_response, detail_response):
        assert response.status_code == 400
        assert response.json() == bad_as_of("31-12-2020")
    assert too_early.status_code == 400
    assert too_early.json() == {
        "as_of": ["Ngày xem (as_of) không được trước ngày thành lập Đảng 03/02/1930."]
    }


# --- Filters ----------------------------------------------------------------------------------


def test_level_and_search_filters(login, users, tree):
    client = login(users.root_manager)

    grassroots = client.get(LIST, {"level": "grassroots"})
    by_name = client.get(LIST, {"q": "phong"})
    by_accented_name = client.get(LIST, {"q": "PHÒNG 2"})
    by_code = client.get(LIST, {"q": "gb"})

    assert codes(grassroots) == ["GB", "GC"]
    assert codes(by_name) == ["A1", "A2"]
    assert codes(by_accented_name) == ["A2"]
    assert codes(by_code) == ["GB"]


def test_filters_stay_inside_the_scope(login, users, tree):
    response = login(users.a1_manager).get(LIST, {"parent": tree.gc.pk})

    assert codes(response) == ["A1"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"parent": "abc"}, {"parent": [INVALID_ID]}),
        ({"parent": "0"}, {"parent": [INVALID_ID]}),
        ({"parent": "99999999999999999999999"}, {"parent": [INVALID_ID]}),
        (
            {"level": "region"},
            {
                "level": [
                    "“region” không phải là giá trị hợp lệ; hãy chọn một trong: central, "
                    "provincial, upper, grassroots, sub_committee, branch, cell."
                ]
            },
        ),
        ({"q": "x" * 101}, {"q": ["Từ khóa tìm kiếm dài quá 100 ký tự."]}),
        ({"q": "a\x00b"}, {"q": ["Từ khóa tìm kiếm chứa ký tự không hợp lệ."]}),
    ],
)
def test_bad_filter_values_are_400_naming_the_field(login, users, tree, params, expected):
    response = login(users.root_manager).get(LIST, params)

    assert response.status_code == 400
    assert response.json() == expected


@pytest.mark.parametrize("pk", ["abc", "0", "-1", "1.5", "99999999999999999999999"])
def test_bad_ids_are_404(login, users, tree, pk):
    response = login(users.root_manager).get(f"/api/organizations/{pk}/")

    assert response.status_code == 404
    assert response.json() == NOT_FOUND


# --- Pages and queries ------------------------------------------------------------------------


def test_pages(login, users, tree):
    client = login(users.root_manager)

    first = client.get(LIST, {"page_size": 2})
    last = client.get(LIST, {"page_size": 2, "page": 3})
    beyond = client.get(LIST, {"page_size": 2, "page": 4})
    bad_size = client.get(LIST, {"page_size": "abc"})

    assert first.json()["count"] == 5
    assert codes(first) == ["GB", "A1"]
    assert first.json()["next"] == "http://testserver/api/organizations/?page=2&page_size=2"
    assert codes(last) == ["GC"]
    assert last.json()["next"] is None
    assert beyond.status_code == 404
    assert beyond.json() == {"detail": "Trang không hợp lệ hoặc không có dữ liệu."}
    assert len(codes(bad_size)) == 5


def test_page_size_is_capped(login, users, tree, monkeypatch):
    assert ApiPagination.max_page_size == 500
    monkeypatch.setattr(ApiPagination, "max_page_size", 2)

    response = login(users.root_manager).get(LIST, {"page_size": 100000})

    assert response.status_code == 200
    assert codes(response) == ["GB", "A1"]


def test_list_queries_do_not_grow_with_rows(login, users, tree, django_assert_max_num_queries):
    for number in range(20):
        make_organization(f"Chi bộ {number}", parent=tree.gc)
    client = login(users.root_manager)

    # Session, user, role check, count, page (parents come in the same statement).
    with django_assert_max_num_queries(5):
        response = client.get(LIST, {"page_size": 500})

    assert response.json()["count"] == 25
    assert {row["parent"] for row in response.json()["results"]} == {
        None,
        tree.root.pk,
        tree.gc.pk,
    }
