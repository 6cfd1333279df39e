"""The role pages at /roles/: the access matrix, the list and its filters, the forms that call
core.services, the nav link and the link on an organization's page."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from dangbo.core.models import AuditEntry, Role, RoleGrant
from tests.factories import UserFactory, grant

User = get_user_model()
STRONG = "Hoa-sen-2024-tháng-3"
LIST = "/roles/"


@pytest.fixture
def administrator(tree):
    """Administrator of Đảng bộ Sở A (gc) and so of its branches a1 and a2."""
    user = UserFactory(username="gc_admin", first_name="Lê Văn Quản")
    grant(user, tree.gc, Role.ADMINISTRATOR)
    return user


@pytest.fixture
def gb_administrator(tree):
    user = UserFactory(username="gb_admin")
    grant(user, tree.gb, Role.ADMINISTRATOR)
    return user


def pages(users) -> dict[str, str]:
    """Every role page, on objects in the gc administrator's scope (a1's manager)."""
    target = users.a1_manager
    return {
        "list": LIST,
        "grant": "/roles/new/",
        "revoke": f"/roles/{target.role_grants.get().pk}/revoke/",
        "new_account": "/roles/users/new/",
        "deactivate": f"/roles/users/{target.pk}/deactivate/",
        "reactivate": f"/roles/users/{target.pk}/reactivate/",
        "password": f"/roles/users/{target.pk}/password/",
    }


PAGE_NAMES = ["list", "grant", "revoke", "new_account", "deactivate", "reactivate", "password"]
OBJECT_PAGES = ["revoke", "deactivate", "reactivate", "password"]


def state() -> tuple:
    """Everything a refused action must leave as it was."""
    return (
        sorted(RoleGrant.objects.values_list("user_id", "organization_id", "role")),
        sorted(User.objects.values_list("username", "password", "is_active", "first_name")),
        AuditEntry.objects.count(),
    )


def shown(response) -> list[int]:
    """Ids of the role grants listed, in page order."""
    return [int(pk) for pk in re.findall(r'<tr data-grant="(\d+)"', response.content.decode())]


def grants_of(*accounts) -> list[int]:
    return [g.pk for a in accounts for g in a.role_grants.all()]


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


# --- access matrix --------------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGE_NAMES)
def test_anonymous_is_sent_to_login(client, tree, users, page):
    # given
    url = pages(users)[page]
    # when
    response = client.get(url)
    # then
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={url}"


@pytest.mark.parametrize("page", PAGE_NAMES)
@pytest.mark.parametrize("username", ["nobody", "root_manager", "gc_viewer", "statistician"])
def test_without_an_administrator_role_the_pages_answer_403(tree, users, login, page, username):
    # given
    client = login(getattr(users, username))
    before = state()
    # when
    got = client.get(pages(users)[page])
    posted = client.post(pages(users)[page], {"password": STRONG})
    # then
    assert got.status_code == 403
    assert posted.status_code == 403
    assert "Chỉ quản trị viên mới được quản lý phân quyền và tài khoản." in got.content.decode()
    assert state() == before


@pytest.mark.parametrize("page", PAGE_NAMES)
def test_administrator_of_the_subtree_gets_every_page(tree, users, administrator, login, page):
    # when
    response = login(administrator).get(pages(users)[page])
    # then
    assert response.status_code == 200
    assert '<html lang="vi">' in response.content.decode()


@pytest.mark.parametrize("page", OBJECT_PAGES)
def test_administrator_of_another_branch_gets_404_on_your_objects(
    tree, users, gb_administrator, login, page
):
    # given
    client = login(gb_administrator)
    before = state()
    # when
    got = client.get(pages(users)[page])
    posted = client.post(pages(users)[page], {"password": STRONG})
    # then
    assert got.status_code == 404
    assert posted.status_code == 404
    assert state() == before


@pytest.mark.parametrize("page", OBJECT_PAGES)
def test_missing_objects_answer_404_like_out_of_scope_ones(tree, users, administrator, login, page):
    # given
    url = re.sub(r"/\d+/", "/987654/", pages(users)[page])
    # when
    response = login(administrator).get(url)
    # then
    assert response.status_code == 404


@pytest.mark.parametrize("page", ["deactivate", "reactivate", "password"])
def test_account_with_roles_outside_the_scope_answers_403(tree, users, administrator, login, page):
    # given
    url = pages(users)[page]
    grant(users.a1_manager, tree.gb, Role.VIEWER)
    client = login(administrator)
    before = state()
    # when
    got = client.get(url)
    posted = client.post(url, {"password": STRONG, "password_confirmation": STRONG})
    # then
    assert got.status_code == 403
    assert posted.status_code == 403
    assert "còn có vai trò tại tổ chức ngoài phạm vi bạn quản trị" in got.content.decode()
    assert state() == before


@pytest.mark.parametrize("page", PAGE_NAMES)
def test_superuser_gets_every_page(tree, users, login, page):
    # when
    response = login(users.admin).get(pages(users)[page])
    # then
    assert response.status_code == 200


# --- the list -------------------------------------------------------------------------------------


def test_list_shows_the_grants_in_the_administrator_scope_only(tree, users, administrator, login):
    # when
    response = login(administrator).get(LIST)
    # then: by organization name (Chi bộ Phòng 1, 2, Đảng bộ Sở A), then login name
    assert shown(response) == grants_of(
        users.a1_manager, users.a2_manager, administrator, users.gc_viewer
    )
    body = text(response)
    assert "Số vai trò đã cấp: 4." in body
    assert "a1_manager" in body
    assert "gb_manager" not in body
    assert "root_manager" not in body


def test_list_row_shows_user_role_organization_date_and_state(tree, users, administrator, login):
    # given
    users.a1_manager.first_name = "Phạm Thị Lan"
    users.a1_manager.is_active = False
    users.a1_manager.save()
    a1_grant = users.a1_manager.role_grants.get()
    # when
    response = login(administrator).get(LIST)
    # then
    body = response.content.decode()
    row = re.search(rf'<tr data-grant="{a1_grant.pk}">(.*?)</tr>', body, re.S).group(1)
    cells = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
    day = a1_grant.granted_at.astimezone().strftime("%d/%m/%Y")
    assert cells.startswith(
        f"a1_manager Phạm Thị Lan Cán bộ quản lý Chi bộ Phòng 1 {day} Đã khóa Thu hồi · Mở khóa"
    )
    assert f'href="/roles/users/{users.a1_manager.pk}/reactivate/"' in row


def test_accounts_you_cannot_manage_have_no_account_actions(tree, users, administrator, login):
    # given
    grant(users.a2_manager, tree.gb, Role.VIEWER)
    # when
    body = login(administrator).get(LIST).content.decode()
    # then
    assert f"/roles/users/{users.a2_manager.pk}/" not in body
    assert f"/roles/users/{users.a1_manager.pk}/deactivate/" in body
    assert f"/roles/users/{administrator.pk}/deactivate/" not in body  # not yourself


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (lambda tree: {"organization": tree.a1.pk}, ["a1_manager"]),
        (lambda tree: {"organization_code": "A2"}, ["a2_manager"]),
        (lambda tree: {"role": "viewer"}, ["gc_viewer"]),
        (lambda tree: {"q": "A2_"}, ["a2_manager"]),
        (lambda tree: {"q": "Văn Quản"}, ["gc_admin"]),
        (
            lambda tree: {"organization": tree.gc.pk, "role": "manager"},
            ["a1_manager", "a2_manager"],
        ),
    ],
)
def test_filters(tree, users, administrator, login, params, expected):
    # when
    response = login(administrator).get(LIST, params(tree))
    # then
    by_pk = {g.pk: g.user.username for g in RoleGrant.objects.select_related("user")}
    assert [by_pk[pk] for pk in shown(response)] == expected


@pytest.mark.parametrize(
    "params", [lambda tree: {"organization": tree.gb.pk}, lambda tree: {"organization_code": "GB"}]
)
def test_organization_filter_outside_the_scope_is_a_message(
    tree, users, administrator, login, params
):
    # when
    response = login(administrator).get(LIST, params(tree))
    # then
    assert response.status_code == 200
    assert "Tổ chức: không có tổ chức này trong phạm vi bạn quản trị." in text(response)
    assert "gb_manager" not in text(response)


def test_bad_filters_are_messages_not_errors(tree, users, administrator, login):
    # when
    response = login(administrator).get(LIST, {"organization": "abc", "role": "boss"})
    # then
    assert response.status_code == 200
    assert "Vai trò: Hãy chọn một lựa chọn hợp lệ." in text(response)


def test_organization_filter_is_a_code_box_for_large_scopes(
    tree, users, administrator, login, monkeypatch
):
    # given
    small = login(administrator).get(LIST).content.decode()
    monkeypatch.setattr("dangbo.core.role_views.ORGANIZATION_SELECT_LIMIT", 2)
    # when
    large = login(administrator).get(LIST).content.decode()
    # then
    assert '<select name="organization" id="id_organization">' in small
    assert '<input type="text" name="organization_code"' in large


def test_list_is_paginated_fifty_a_page(tree, users, administrator, login):
    # given
    for i in range(60):
        grant(UserFactory(username=f"u{i:02d}"), tree.a1, Role.VIEWER)
    client = login(administrator)
    # when
    first = client.get(LIST, {"role": "viewer", "organization": tree.a1.pk})
    second = client.get(LIST, {"role": "viewer", "organization": tree.a1.pk, "page": 2})
    # then
    assert len(shown(first)) == 50
    assert len(shown(second)) == 10
    assert "Trang 2 / 2" in text(second)


def test_list_queries_do_not_grow_with_the_rows(
    tree, users, administrator, login, django_assert_max_num_queries
):
    # given
    for i in range(40):
        grant(UserFactory(username=f"u{i:02d}"), tree.a2, Role.VIEWER)
    client = login(administrator)
    # when / then
    with django_assert_max_num_queries(6):
        response = client.get(LIST)
    assert len(shown(response)) == 44


# --- nav link and the organization page -----------------------------------------------------------


def test_nav_link_only_for_administrators(tree, users, administrator, login):
    # when
    administrator_page = login(administrator).get("/organizations/").content.decode()
    manager_page = login(users.root_manager).get("/organizations/").content.decode()
    superuser_page = login(users.admin).get("/organizations/").content.decode()
    # then
    assert '<a href="/roles/" >Phân quyền</a>' in administrator_page
    assert '<a href="/roles/" >Phân quyền</a>' in superuser_page
    assert 'href="/roles/"' not in manager_page


def test_organization_page_links_to_its_roles_for_its_administrators(
    tree, users, administrator, login
):
    # given: an administrator of gc who also manages the root (so sees it)
    grant(administrator, tree.root, Role.MANAGER)
    client = login(administrator)
    # when
    gc_page = client.get(f"/organizations/{tree.gc.pk}/").content.decode()
    root_page = client.get(f"/organizations/{tree.root.pk}/").content.decode()
    manager_page = login(users.root_manager).get(f"/organizations/{tree.gc.pk}/").content.decode()
    # then
    link = f'href="/roles/?organization={tree.gc.pk}">Phân quyền</a>'
    assert link in gc_page
    assert "/roles/?organization=" not in root_page
    assert "/roles/?organization=" not in manager_page


# --- grant a role ---------------------------------------------------------------------------------


def test_grant_form_offers_the_administered_organizations(tree, users, administrator, login):
    # when
    response = login(administrator).get("/roles/new/", {"organization": tree.a1.pk})
    # then
    body = response.content.decode()
    options = re.findall(r'<option value="([^"]*)"', body)
    assert set(options) >= {"GC", "A1", "A2"}
    assert not {"ROOT", "GB"} & set(options)
    assert '<option value="A1" selected>' in body


def test_grant_form_grants_and_redirects(tree, users, administrator, login):
    # when
    response = login(administrator).post(
        "/roles/new/", {"username": "nobody", "organization": "A2", "role": "viewer"}
    )
    # then
    assert response.status_code == 302
    assert response["Location"] == f"/roles/?organization={tree.a2.pk}"
    assert list(users.nobody.role_grants.values_list("organization__code", "role")) == [
        ("A2", "viewer")
    ]
    page = login(administrator).get(response["Location"])
    assert "Đã cấp cho “nobody” vai trò “Người xem” tại “Chi bộ Phòng 2”." in text(page)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"username": "nobody", "organization": "GB", "role": "viewer"},
            "Tổ chức này không thuộc phạm vi bạn quản trị.",
        ),
        (
            {"username": "nobody", "organization": "ROOT", "role": "viewer"},
            "Tổ chức này không thuộc phạm vi bạn quản trị.",
        ),
        (
            {"username": "không-có", "organization": "A1", "role": "viewer"},
            "Không có tài khoản nào có tên đăng nhập “không-có”.",
        ),
        (
            {"username": "a1_manager", "organization": "A1", "role": "manager"},
            "“a1_manager” đã có vai trò “Cán bộ quản lý” tại “Chi bộ Phòng 1”.",
        ),
        (
            {"username": "nobody", "organization": "A1", "role": "boss"},
            "Hãy chọn một lựa chọn hợp lệ.",
        ),
    ],
)
def test_refused_grant_shows_why_and_changes_nothing(
    tree, users, administrator, login, data, message
):
    # given
    client = login(administrator)
    before = state()
    # when
    response = client.post("/roles/new/", data)
    # then
    assert response.status_code == 400
    assert message in text(response)
    assert state() == before


def test_grant_form_is_a_code_box_for_large_scopes(tree, users, administrator, login, monkeypatch):
    # given
    monkeypatch.setattr("dangbo.core.forms.ORGANIZATION_SELECT_LIMIT", 2)
    client = login(administrator)
    # when
    form = client.get("/roles/new/").content.decode()
    response = client.post(
        "/roles/new/", {"username": "nobody", "organization": "A1", "role": "viewer"}
    )
    # then
    assert '<input type="text" name="organization"' in form
    assert "Hãy nhập mã tổ chức." in form
    assert response.status_code == 302
    assert users.nobody.role_grants.get().organization == tree.a1


# --- revoke ---------------------------------------------------------------------------------------


def test_revoke_asks_first_then_revokes(tree, users, administrator, login):
    # given
    client = login(administrator)
    url = pages(users)["revoke"]
    # when
    confirm = client.get(url)
    # then
    assert "Thu hồi vai trò “Cán bộ quản lý” của “a1_manager”" in text(confirm)
    assert users.a1_manager.role_grants.count() == 1
    # when
    response = client.post(url)
    # then
    assert response.status_code == 302
    assert users.a1_manager.role_grants.count() == 0
    assert AuditEntry.objects.filter(action="delete", object_type="core.rolegrant").count() == 1


def test_revoking_your_own_last_administrator_role_is_refused_on_the_page(
    tree, users, administrator, login
):
    # given
    client = login(administrator)
    before = state()
    # when
    response = client.post(f"/roles/{administrator.role_grants.get().pk}/revoke/")
    # then
    assert response.status_code == 400
    assert "Bạn không thể tự thu hồi vai trò quản trị cuối cùng của mình" in text(response)
    assert state() == before


# --- new account ----------------------------------------------------------------------------------


def new_account(**changes) -> dict:
    return {
        "username": "nguyen.an",
        "full_name": "Nguyễn Văn An",
        "password": STRONG,
        "password_confirmation": STRONG,
        "organization": "A1",
        "role": "manager",
        **changes,
    }


def test_new_account_form_creates_the_account_with_its_role(tree, users, administrator, login):
    # given
    client = login(administrator)
    # when
    response = client.post("/roles/users/new/", new_account(is_superuser="on"))
    # then: the superuser box is not on an administrator's form, so it is ignored
    assert response.status_code == 302
    account = User.objects.get(username="nguyen.an")
    assert (account.get_full_name(), account.is_superuser, account.is_staff) == (
        "Nguyễn Văn An",
        False,
        False,
    )
    assert list(account.role_grants.values_list("organization__code", "role")) == [
        ("A1", "manager")
    ]
    assert client.login(username="nguyen.an", password=STRONG)


def test_superuser_box_only_for_superusers(tree, users, administrator, login):
    # when
    administrator_form = login(administrator).get("/roles/users/new/").content.decode()
    superuser_form = login(users.admin).get("/roles/users/new/").content.decode()
    # then
    assert 'name="is_superuser"' not in administrator_form
    assert 'name="is_superuser"' in superuser_form


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"password": "12345", "password_confirmation": "12345"},
            "Mật khẩu quá ngắn: cần có ít nhất 8 ký tự.",
        ),
        ({"password_confirmation": STRONG + "x"}, "Hai mật khẩu đã nhập không khớp nhau."),
        ({"username": "gb_manager"}, "Tên đăng nhập “gb_manager” đã có người sử dụng."),
        ({"organization": "GB"}, "Tổ chức này không thuộc phạm vi bạn quản trị."),
        ({"full_name": "  "}, "Trường này là bắt buộc."),
    ],
)
def test_refused_new_account_shows_why_and_changes_nothing(
    tree, users, administrator, login, changes, message
):
    # given
    client = login(administrator)
    before = state()
    # when
    response = client.post("/roles/users/new/", new_account(**changes))
    # then
    assert response.status_code == 400
    assert message in text(response)
    assert STRONG not in response.content.decode()  # passwords are not sent back
    assert state() == before


# --- deactivate, reactivate, new password ---------------------------------------------------------


def test_deactivate_then_reactivate(tree, users, administrator, login, client):
    # given
    target = users.a1_manager
    admin_client = login(administrator)
    # when
    confirm = admin_client.get(f"/roles/users/{target.pk}/deactivate/")
    deactivated = admin_client.post(f"/roles/users/{target.pk}/deactivate/")
    # then
    assert "Khóa tài khoản “a1_manager”" in text(confirm)
    assert deactivated.status_code == 302
    target.refresh_from_db()
    assert target.is_active is False
    assert not client.login(username="a1_manager", password="pw-Test-12345")

    # when
    reactivated = admin_client.post(f"/roles/users/{target.pk}/reactivate/")
    # then
    assert reactivated.status_code == 302
    target.refresh_from_db()
    assert target.is_active is True


def test_deactivating_yourself_is_refused_on_the_page(tree, users, administrator, login):
    # given
    client = login(administrator)
    before = state()
    # when
    response = client.post(f"/roles/users/{administrator.pk}/deactivate/")
    # then
    assert response.status_code == 400
    assert "Bạn không thể tự khóa tài khoản của chính mình." in text(response)
    assert state() == before


def test_new_password_form(tree, users, administrator, login, client):
    # given
    url = pages(users)["password"]
    admin_client = login(administrator)
    # when
    response = admin_client.post(url, {"password": STRONG, "password_confirmation": STRONG})
    # then
    assert response.status_code == 302
    assert client.login(username="a1_manager", password=STRONG)


def test_weak_new_password_is_refused_on_the_page(tree, users, administrator, login):
    # given
    client = login(administrator)
    before = state()
    # when
    response = client.post(
        pages(users)["password"], {"password": "password", "password_confirmation": "password"}
    )
    # then
    assert response.status_code == 400
    assert "Mật khẩu này quá phổ biến, rất dễ bị đoán ra." in text(response)
    assert state() == before


def test_your_own_new_password_keeps_you_logged_in(tree, users, administrator, login):
    # given
    client = login(administrator)
    # when
    response = client.post(
        f"/roles/users/{administrator.pk}/password/",
        {"password": STRONG, "password_confirmation": STRONG},
    )
    # then
    assert response.status_code == 302
    assert client.get(LIST).status_code == 200


def test_role_changes_appear_in_the_audit_log_readably(tree, users, administrator, login):
    # given
    client = login(administrator)
    client.post(pages(users)["revoke"])
    # when
    response = client.get("/audit/", {"object_type": "core.rolegrant"})
    # then
    body = text(response)
    assert "gc_admin Xóa Phân quyền: a1_manager – Cán bộ quản lý – Chi bộ Phòng 1" in body
    assert "ngày cấp: " in body
    assert "vai trò: Cán bộ quản lý → —" in body
    assert "tổ chức đảng: Chi bộ Phòng 1 → —" in body
