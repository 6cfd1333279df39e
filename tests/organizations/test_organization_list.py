"""The tree browser and the search at /organizations/."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from dangbo.core.models import Role
from dangbo.organizations.models import OrganizationKind, OrganizationLevel
from tests.factories import grant, make_organization, relink

URL = "/organizations/"


def tree_nodes(response) -> list[int]:
    """Ids of the organizations shown in the tree, in page order."""
    return [int(pk) for pk in re.findall(r'<li data-org="(\d+)"', response.content.decode())]


def result_rows(response) -> list[str]:
    """Names in the search result table, in page order."""
    body = response.content.decode()
    table = body[body.find("<tbody>") : body.find("</tbody>")]
    return re.findall(r'<td><a href="/organizations/\d+/[^"]*">([^<]+)</a></td>', table)


# --- access ---------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, tree):
    # when
    response = client.get(URL)
    # then
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/organizations/"


def test_user_without_role_gets_an_empty_page(tree, users, login):
    # when
    response = login(users.nobody).get(URL)
    # then
    assert response.status_code == 200
    assert tree_nodes(response) == []
    assert "Chưa được phân quyền" in response.content.decode()


def test_manager_of_a_branch_sees_only_that_branch(tree, users, login):
    # when
    response = login(users.a1_manager).get(URL)
    # then
    assert response.status_code == 200
    assert tree_nodes(response) == [tree.a1.pk]
    assert "Đảng bộ Sở A" not in response.content.decode()


def test_manager_of_another_branch_sees_only_their_own(tree, users, login):
    # when
    response = login(users.gb_manager).get(URL)
    # then
    assert tree_nodes(response) == [tree.gb.pk]


def test_manager_of_the_root_sees_the_tree_two_levels_deep_with_counts(tree, users, member, login):
    # when
    response = login(users.root_manager).get(URL)
    # then
    assert response.status_code == 200
    # Vietnamese order: "Chi bộ Báo B" before "Đảng bộ Sở A" (C before Đ).
    assert tree_nodes(response) == [tree.root.pk, tree.gb.pk, tree.gc.pk, tree.a1.pk, tree.a2.pk]
    body = response.content.decode()
    assert "2 TCCSĐ · 1 đảng viên" in body  # the root
    assert re.search(
        r"Chi bộ Phòng 1</a>\s*<span class=\"badge\">Chi bộ trực thuộc</span>\s*"
        r"<span class=\"muted\">1 đảng viên</span>",
        body,
    )


def test_statistician_sees_the_tree_too(tree, users, member, login):
    # when
    response = login(users.statistician).get(URL)
    # then
    assert tree_nodes(response) == [tree.root.pk, tree.gb.pk, tree.gc.pk, tree.a1.pk, tree.a2.pk]


def test_a_grant_under_another_grant_is_not_shown_twice(tree, users, login):
    # given
    grant(users.a1_manager, tree.gc, Role.VIEWER)
    # when
    response = login(users.a1_manager).get(URL)
    # then
    assert tree_nodes(response) == [tree.gc.pk, tree.a1.pk, tree.a2.pk]


# --- size -----------------------------------------------------------------------------------------


def test_children_beyond_the_limit_are_left_to_the_detail_page(tree, users, login):
    # given: 60 grassroots organizations under the root (the tree shows the first 50)
    for i in range(60):
        make_organization(
            f"Chi bộ Công ty {i:03d}",
            parent=tree.root,
            level=OrganizationLevel.GRASSROOTS,
            kind=OrganizationKind.BRANCH,
        )
    # when
    response = login(users.root_manager).get(URL)
    # then
    body = response.content.decode()
    # root + 50 children + the 2 branches of the one expandable child ("Đảng bộ Sở A" sorts
    # after the companies, so it is not among the first 50 and its branches are not shown).
    assert len(tree_nodes(response)) == 1 + 50
    assert "Xem tất cả 62 tổ chức trực thuộc…" in body
    assert f'href="/organizations/{tree.root.pk}/#sub-organizations"' in body


def test_list_queries_do_not_grow_with_children_and_members(
    tree, users, login, grow, django_assert_max_num_queries
):
    # given
    client = login(users.root_manager)
    grow(3)
    with django_assert_max_num_queries(12):
        few = client.get(URL)
    grow(27)
    # when / then
    with django_assert_max_num_queries(12):
        many = client.get(URL)
    assert len(tree_nodes(few)) == 1 + 2 + 3 + 2
    assert len(tree_nodes(many)) == 1 + 2 + 30 + 2


# --- as of a date ---------------------------------------------------------------------------------


def test_tree_is_shown_as_it_stood_on_the_date(tree, users, login):
    # given: gb moves under a new upper committee on 1/7/2020
    upper = make_organization(
        "Đảng bộ Cơ quan X",
        parent=tree.root,
        code="UX",
        level=OrganizationLevel.UPPER,
        kind=OrganizationKind.COMMITTEE,
    )
    relink(tree.gb, upper, dt.date(2020, 7, 1))
    client = login(users.root_manager)
    # when
    before = client.get(URL, {"as_of": "2020-06-30"})
    after = client.get(URL, {"as_of": "02/07/2020"})
    # then
    assert tree_nodes(before) == [
        tree.root.pk,
        tree.gb.pk,
        upper.pk,
        tree.gc.pk,
        tree.a1.pk,
        tree.a2.pk,
    ]
    assert tree_nodes(after) == [
        tree.root.pk,
        upper.pk,
        tree.gb.pk,
        tree.gc.pk,
        tree.a1.pk,
        tree.a2.pk,
    ]
    assert "Cây tổ chức tại ngày 30/06/2020" in before.content.decode()


def test_organizations_founded_later_are_not_in_the_tree(tree, users, login):
    # given
    late = make_organization("Chi bộ Phòng 3", parent=tree.gc, founded_on=dt.date(2021, 1, 1))
    # when
    response = login(users.root_manager).get(URL, {"as_of": "2020-12-31"})
    # then
    assert late.pk not in tree_nodes(response)


def test_bad_as_of_shows_the_message_and_today(tree, users, login):
    # when
    response = login(users.root_manager).get(URL, {"as_of": "31/02/2020"})
    # then
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ngày xem (as_of) “31/02/2020” không hợp lệ" in body
    assert tree_nodes(response)[0] == tree.root.pk


# --- search ---------------------------------------------------------------------------------------


def test_search_ignores_accents_and_case(tree, users, login):
    # when
    response = login(users.root_manager).get(URL, {"q": "dang bo so a"})
    # then
    assert response.status_code == 200
    assert result_rows(response) == ["Đảng bộ Sở A"]
    assert "1 tổ chức khớp với từ khóa" in response.content.decode()


def test_search_finds_by_code_and_shows_parent_and_members(tree, users, member, login):
    # when
    response = login(users.root_manager).get(URL, {"q": "a1"})
    # then
    body = response.content.decode()
    assert result_rows(response) == ["Chi bộ Phòng 1"]
    assert f'<a href="/organizations/{tree.gc.pk}/">Đảng bộ Sở A</a>' in body
    assert '<td class="num">1</td>' in body


def test_search_stays_within_scope(tree, users, login):
    # when
    response = login(users.gb_manager).get(URL, {"q": "chi bo"})
    # then
    assert result_rows(response) == ["Chi bộ Báo B"]


def test_search_hides_a_parent_out_of_scope(tree, users, login):
    # when
    response = login(users.a1_manager).get(URL, {"q": "phong 1"})
    # then
    body = response.content.decode()
    assert result_rows(response) == ["Chi bộ Phòng 1"]
    assert "Đảng bộ Sở A" not in body


def test_search_without_role_finds_nothing(tree, users, login):
    # when
    response = login(users.nobody).get(URL, {"q": "chi bo"})
    # then
    assert response.status_code == 200
    assert result_rows(response) == []
    assert "Không tìm thấy tổ chức nào trong phạm vi của bạn." in response.content.decode()


def test_search_results_are_paginated(tree, users, login):
    # given
    for i in range(55):
        make_organization(f"Chi bộ Tổ {i:02d}", parent=tree.gc)
    client = login(users.root_manager)
    # when
    first = client.get(URL, {"q": "chi bo to"})
    second = client.get(URL, {"q": "chi bo to", "page": "2"})
    # then
    assert len(result_rows(first)) == 50
    assert result_rows(second) == [f"Chi bộ Tổ {i:02d}" for i in range(50, 55)]
    assert "Trang 2 / 2" in second.content.decode()


@pytest.mark.parametrize("as_of", ["2019-12-31", "31/12/2019"])
def test_search_respects_the_date(tree, users, login, as_of):
    # given
    make_organization("Chi bộ Phòng 3", parent=tree.gc, founded_on=dt.date(2020, 1, 1))
    # when
    response = login(users.root_manager).get(URL, {"q": "phong", "as_of": as_of})
    # then
    assert result_rows(response) == ["Chi bộ Phòng 1", "Chi bộ Phòng 2"]
