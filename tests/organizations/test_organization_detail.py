"""One organization as of a date at /organizations/<id>/."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from dangbo.organizations.models import OrganizationKind, OrganizationLevel
from tests.factories import make_organization, make_person, relink


def url(organization, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"/organizations/{organization.pk}/" + (f"?{query}" if query else "")


def sub_rows(response) -> dict[str, tuple[int, int, int]]:
    """Sub-organization table: name -> (grassroots, members, staff)."""
    body = response.content.decode()
    rows = re.findall(
        r'<tr data-org="\d+">\s*<td><a [^>]+>([^<]+)</a></td>.*?'
        r'data-count="grassroots">([\d.]+)</td>.*?data-count="members">([\d.]+)</td>.*?'
        r'data-count="staff">([\d.]+)</td>',
        body,
        flags=re.S,
    )
    return {name: (int(g), int(m), int(s)) for name, g, m, s in rows}


def figure(response, name: str) -> str:
    match = re.search(
        rf'data-figure="{name}"><span class="value">([^<]+)</span>', response.content.decode()
    )
    return match.group(1) if match else ""


def parent_cell(response) -> str:
    match = re.search(r'<dd data-field="parent">(.*?)</dd>', response.content.decode(), re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def breadcrumb(response) -> list[str]:
    body = response.content.decode()
    crumbs = re.search(r'<div class="breadcrumb">(.*?)</div>', body, re.S).group(1)
    return re.findall(r">([^<]+)</a>", crumbs)


# --- access ---------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, tree):
    # when
    response = client.get(url(tree.gc))
    # then
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next=/organizations/{tree.gc.pk}/"


@pytest.mark.parametrize(
    ("username", "organization", "status"),
    [
        ("nobody", "gc", 404),
        ("a1_manager", "gc", 404),  # above the grant
        ("a1_manager", "a2", 404),  # a sibling branch
        ("gb_manager", "a1", 404),  # another branch of the tree
        ("a1_manager", "a1", 200),
        ("gc_viewer", "a2", 200),
        ("statistician", "gc", 200),
        ("root_manager", "gb", 200),
        ("admin", "gc", 200),
    ],
)
def test_access_matrix(tree, users, login, username, organization, status):
    # when
    response = login(getattr(users, username)).get(url(getattr(tree, organization)))
    # then
    assert response.status_code == status


@pytest.mark.parametrize("pk", ["abc", "0", "99999", "1.5", "-1"])
def test_missing_or_non_numeric_id_is_404(tree, users, login, pk):
    # when
    response = login(users.admin).get(f"/organizations/{pk}/")
    # then
    assert response.status_code == 404
    assert "Không tìm thấy" in response.content.decode()


# --- content --------------------------------------------------------------------------------------


def test_manager_sees_record_breadcrumb_figures_and_sub_organizations(tree, users, member, login):
    # given
    make_person("Phạm", "Thị", "Hoa", organization=tree.a2)  # staff, not a member
    # when
    response = login(users.root_manager).get(url(tree.gc))
    # then
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>Đảng bộ Sở A</h1>" in body
    assert "<dt>Mã tổ chức</dt><dd>GC</dd>" in body
    assert "<dt>Cấp</dt><dd>Tổ chức cơ sở đảng</dd>" in body
    assert "<dt>Loại hình</dt><dd>Đảng bộ</dd>" in body
    assert "<dt>Khối chức năng</dt><dd>Tham mưu tổng hợp và quản lý nhà nước</dd>" in body
    assert "<dt>Ngày thành lập</dt><dd>01/01/1990</dd>" in body
    assert "<dt>Ngày giải thể</dt><dd>—</dd>" in body
    assert parent_cell(response) == "Đảng bộ Khối Dân – Chính – Đảng"
    assert breadcrumb(response) == ["Tổ chức đảng", "Đảng bộ Khối Dân – Chính – Đảng"]
    assert figure(response, "grassroots") == "1"
    assert figure(response, "members") == "1"
    assert figure(response, "staff") == "2"
    assert sub_rows(response) == {"Chi bộ Phòng 1": (0, 1, 1), "Chi bộ Phòng 2": (0, 0, 1)}
    assert "Tổ chức trực thuộc (2)" in body
    assert f'href="/members/?organization={tree.gc.pk}&amp;as_of=' in body
    assert f'href="/organizations/{tree.gc.pk}/edit/"' in body
    assert f'href="/organizations/new/?parent={tree.gc.pk}"' in body


def test_root_counts_each_child_subtree(tree, users, member, login, add_member):
    # given
    add_member(tree.gb)
    add_member(tree.a2)
    # when
    response = login(users.root_manager).get(url(tree.root))
    # then
    assert sub_rows(response) == {"Chi bộ Báo B": (1, 1, 1), "Đảng bộ Sở A": (1, 2, 2)}
    assert figure(response, "members") == "3"
    assert figure(response, "grassroots") == "2"


def test_statistician_sees_counts_but_no_link_to_member_names(tree, users, member, login):
    # when
    response = login(users.statistician).get(url(tree.gc))
    # then
    body = response.content.decode()
    assert figure(response, "members") == "1"
    assert sub_rows(response)["Chi bộ Phòng 1"] == (0, 1, 1)
    assert "/members/?organization=" not in body
    assert "Trần Thị Bình" not in body
    assert "/edit/" not in body


def test_viewer_sees_member_link_but_no_edit(tree, users, login):
    # when
    response = login(users.gc_viewer).get(url(tree.a1))
    # then
    body = response.content.decode()
    assert f"/members/?organization={tree.a1.pk}" in body
    assert "/edit/" not in body
    assert "/organizations/new/" not in body


def test_breadcrumb_starts_at_the_top_of_the_users_scope(tree, users, login):
    # when
    response = login(users.a1_manager).get(url(tree.a1))
    # then
    assert breadcrumb(response) == ["Tổ chức đảng"]
    assert parent_cell(response) == "—"
    assert "Đảng bộ Sở A" not in response.content.decode()


def test_sub_organizations_are_paginated(tree, users, login):
    # given
    for i in range(52):
        make_organization(f"Chi bộ Tổ {i:02d}", parent=tree.gc)
    client = login(users.root_manager)
    # when
    first = client.get(url(tree.gc))
    second = client.get(url(tree.gc, page=2))
    # then
    assert len(sub_rows(first)) == 50
    assert list(sub_rows(second)) == [
        "Chi bộ Tổ 48",
        "Chi bộ Tổ 49",
        "Chi bộ Tổ 50",
        "Chi bộ Tổ 51",
    ]
    assert "Tổ chức trực thuộc (54)" in second.content.decode()


def test_detail_queries_do_not_grow_with_children_and_members(
    tree, users, login, grow, django_assert_max_num_queries
):
    # given
    client = login(users.root_manager)
    grow(3)
    with django_assert_max_num_queries(17):
        few = client.get(url(tree.root))
    grow(27)
    # when / then
    with django_assert_max_num_queries(17):
        many = client.get(url(tree.root))
    assert len(sub_rows(few)) == 2 + 3
    assert len(sub_rows(many)) == 2 + 30
    assert figure(many, "members") == "30"


# --- as of a date ---------------------------------------------------------------------------------


@pytest.fixture
def moved(tree, add_member):
    """gb (with one member) moves from the root to a new upper committee on 1/7/2020."""
    upper = make_organization(
        "Đảng bộ Cơ quan X",
        parent=tree.root,
        code="UX",
        level=OrganizationLevel.UPPER,
        kind=OrganizationKind.COMMITTEE,
    )
    add_member(tree.gb)
    relink(tree.gb, upper, dt.date(2020, 7, 1))
    return upper


def test_parent_is_the_one_of_the_date(tree, users, login, moved):
    # given
    client = login(users.root_manager)
    # when
    before = client.get(url(tree.gb, as_of="2020-06-30"))
    after = client.get(url(tree.gb, as_of="02/07/2020"))
    # then
    assert parent_cell(before) == "Đảng bộ Khối Dân – Chính – Đảng"
    assert breadcrumb(before) == ["Tổ chức đảng", "Đảng bộ Khối Dân – Chính – Đảng"]
    assert parent_cell(after) == "Đảng bộ Cơ quan X"
    assert breadcrumb(after) == [
        "Tổ chức đảng",
        "Đảng bộ Khối Dân – Chính – Đảng",
        "Đảng bộ Cơ quan X",
    ]


def test_counts_follow_the_tree_of_the_date(tree, users, login, moved):
    # given
    client = login(users.root_manager)
    # when
    root_before = client.get(url(tree.root, as_of="2020-06-30"))
    root_after = client.get(url(tree.root, as_of="2020-07-02"))
    upper_before = client.get(url(moved, as_of="2020-06-30"))
    upper_after = client.get(url(moved, as_of="2020-07-02"))
    # then
    assert sub_rows(root_before) == {
        "Chi bộ Báo B": (1, 1, 1),
        "Đảng bộ Cơ quan X": (0, 0, 0),
        "Đảng bộ Sở A": (1, 0, 0),
    }
    assert sub_rows(root_after) == {"Đảng bộ Cơ quan X": (1, 1, 1), "Đảng bộ Sở A": (1, 0, 0)}
    assert figure(upper_before, "members") == "0"
    assert sub_rows(upper_before) == {}
    assert "Không có tổ chức trực thuộc tại ngày này." in upper_before.content.decode()
    assert figure(upper_after, "members") == "1"
    assert sub_rows(upper_after) == {"Chi bộ Báo B": (1, 1, 1)}


def test_members_before_admission_are_not_counted(tree, users, login, add_member):
    # given
    add_member(tree.a1, decision_date=dt.date(2021, 5, 4))
    client = login(users.root_manager)
    # when
    before = client.get(url(tree.gc, as_of="2021-05-03"))
    after = client.get(url(tree.gc, as_of="2021-05-04"))
    # then
    assert sub_rows(before)["Chi bộ Phòng 1"] == (0, 0, 1)
    assert sub_rows(after)["Chi bộ Phòng 1"] == (0, 1, 1)


def test_organization_not_yet_founded_says_so(tree, users, login):
    # given
    late = make_organization("Chi bộ Phòng 3", parent=tree.gc, founded_on=dt.date(2021, 1, 1))
    # when
    response = login(users.root_manager).get(url(late, as_of="2020-01-01"))
    # then
    assert response.status_code == 200
    assert "Tổ chức này chưa thành lập hoặc đã giải thể tại ngày đang xem." in (
        response.content.decode()
    )


def test_bad_as_of_shows_the_message_and_a_200(tree, users, login):
    # when
    response = login(users.root_manager).get(url(tree.gc, as_of="hôm-qua"))
    # then
    assert response.status_code == 200
    assert "Ngày xem (as_of) “hôm-qua” không hợp lệ" in response.content.decode()
    assert "<h1>Đảng bộ Sở A</h1>" in response.content.decode()
