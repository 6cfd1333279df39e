"""Managing roles and accounts (core.services): who may, within which subtree, what is audited,
and that every refusal changes nothing."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from dangbo.core import services
from dangbo.core.access import can_administer
from dangbo.core.models import AuditAction, AuditEntry, Role, RoleGrant
from tests.factories import UserFactory, grant

User = get_user_model()
STRONG = "Hoa-sen-2024-tháng-3"


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


def state() -> tuple:
    """Everything a refused action must leave as it was."""
    return (
        sorted(RoleGrant.objects.values_list("user_id", "organization_id", "role")),
        sorted(User.objects.values_list("username", "password", "is_active", "first_name")),
        AuditEntry.objects.count(),
    )


def message(error: Exception) -> str:
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


def last_entry() -> AuditEntry:
    return AuditEntry.objects.order_by("-id").first()


# --- can_administer -------------------------------------------------------------------------------


def test_administrator_administers_the_subtree_only(tree, administrator):
    # then
    assert [can_administer(administrator, o) for o in (tree.gc, tree.a1, tree.a2)] == [True] * 3
    assert [can_administer(administrator, o) for o in (tree.root, tree.gb)] == [False, False]
    assert can_administer(administrator) is True


def test_other_roles_superuser_anonymous_and_inactive(tree, users, administrator):
    # given
    administrator.is_active = False
    # then
    for name in ("root_manager", "gc_viewer", "statistician", "nobody"):
        assert can_administer(getattr(users, name), tree.a1) is False
        assert can_administer(getattr(users, name)) is False
    assert can_administer(users.admin, tree.gb) is True
    assert can_administer(AnonymousUser(), tree.a1) is False
    assert can_administer(administrator, tree.a1) is False


# --- grant_role -----------------------------------------------------------------------------------


def test_grant_role_in_the_subtree_is_saved_and_audited(tree, users, administrator):
    # when
    created = services.grant_role(
        actor=administrator, user=users.nobody, organization=tree.a1, role=Role.VIEWER
    )
    # then
    assert list(users.nobody.role_grants.values_list("organization_id", "role")) == [
        (tree.a1.pk, "viewer")
    ]
    entry = last_entry()
    assert (entry.actor, entry.action, entry.object_type, entry.object_id) == (
        administrator,
        AuditAction.CREATE,
        "core.rolegrant",
        str(created.pk),
    )
    assert entry.organization == tree.a1
    assert entry.changes == {
        "organization_id": [None, tree.a1.pk],
        "role": [None, "viewer"],
        "user_id": [None, users.nobody.pk],
    }


def test_superuser_grants_anywhere(tree, users):
    # when
    services.grant_role(
        actor=users.admin, user=users.nobody, organization=tree.root, role=Role.ADMINISTRATOR
    )
    # then
    assert can_administer(users.nobody, tree.gb) is True


@pytest.mark.parametrize("where", ["root", "gb"])
def test_grant_outside_the_administrator_scope_is_refused(tree, users, administrator, where):
    # given
    before = state()
    # when
    with pytest.raises(PermissionDenied) as refused:
        services.grant_role(
            actor=administrator,
            user=users.nobody,
            organization=getattr(tree, where),
            role=Role.VIEWER,
        )
    # then
    assert message(refused.value) == (
        f"Bạn không có quyền phân quyền tại tổ chức “{getattr(tree, where).name}”."
    )
    assert state() == before


@pytest.mark.parametrize("username", ["root_manager", "gc_viewer", "statistician", "nobody"])
def test_only_administrators_grant_roles(tree, users, username):
    # given
    before = state()
    # when / then
    with pytest.raises(PermissionDenied):
        services.grant_role(
            actor=getattr(users, username),
            user=users.nobody,
            organization=tree.a1,
            role=Role.VIEWER,
        )
    assert state() == before


def test_duplicate_grant_is_refused_with_a_message(tree, users, administrator):
    # given
    before = state()
    # when
    with pytest.raises(ValidationError) as refused:
        services.grant_role(
            actor=administrator, user=users.a1_manager, organization=tree.a1, role=Role.MANAGER
        )
    # then
    assert message(refused.value) == (
        "“a1_manager” đã có vai trò “Cán bộ quản lý” tại “Chi bộ Phòng 1”."
    )
    assert state() == before


def test_unknown_role_is_refused(tree, users, administrator):
    # given
    before = state()
    # when
    with pytest.raises(ValidationError) as refused:
        services.grant_role(
            actor=administrator, user=users.nobody, organization=tree.a1, role="superuser"
        )
    # then
    assert refused.value.message_dict == {"role": ["Hãy chọn một vai trò trong danh sách."]}
    assert state() == before


# --- revoke_role ----------------------------------------------------------------------------------


def test_revoke_deletes_the_grant_and_the_audit_keeps_it(tree, users, administrator):
    # given
    revoked = users.a1_manager.role_grants.get()
    # when
    services.revoke_role(actor=administrator, grant=revoked)
    # then
    assert not RoleGrant.objects.filter(pk=revoked.pk).exists()
    entry = last_entry()
    assert (entry.actor, entry.action, entry.object_type, entry.object_id) == (
        administrator,
        AuditAction.DELETE,
        "core.rolegrant",
        str(revoked.pk),
    )
    assert entry.organization == tree.a1
    assert entry.object_repr == "a1_manager – Cán bộ quản lý – Chi bộ Phòng 1"
    assert entry.changes == {
        "granted_at": [revoked.granted_at.isoformat(), None],
        "organization_id": [tree.a1.pk, None],
        "role": ["manager", None],
        "user_id": [users.a1_manager.pk, None],
    }


def test_revoke_outside_the_scope_is_refused(tree, users, administrator, gb_administrator):
    # given
    before = state()
    # when / then
    for actor, target in (
        (administrator, users.gb_manager),
        (administrator, users.root_manager),
        (gb_administrator, users.a1_manager),
    ):
        with pytest.raises(PermissionDenied):
            services.revoke_role(actor=actor, grant=target.role_grants.get())
    assert state() == before


def test_an_administrator_above_revokes_an_administrator_below(tree, administrator):
    # given
    above = UserFactory(username="root_admin")
    grant(above, tree.root, Role.ADMINISTRATOR)
    # when
    services.revoke_role(actor=above, grant=administrator.role_grants.get())
    # then
    assert can_administer(administrator) is False


def test_revoking_your_own_last_administrator_role_is_refused(tree, administrator):
    # given
    before = state()
    # when
    with pytest.raises(ValidationError) as refused:
        services.revoke_role(actor=administrator, grant=administrator.role_grants.get())
    # then
    assert message(refused.value).startswith(
        "Bạn không thể tự thu hồi vai trò quản trị cuối cùng của mình"
    )
    assert state() == before


def test_revoking_your_own_administrator_role_when_another_remains(tree, administrator):
    # given
    other = grant(administrator, tree.a1, Role.ADMINISTRATOR)
    # when
    services.revoke_role(actor=administrator, grant=other)
    # then
    assert list(administrator.role_grants.values_list("organization_id", flat=True)) == [tree.gc.pk]


def test_revoking_a_grant_already_revoked_is_refused(tree, users, administrator):
    # given
    revoked = users.a1_manager.role_grants.get()
    services.revoke_role(actor=administrator, grant=revoked)
    before = state()
    # when
    with pytest.raises(ValidationError) as refused:
        services.revoke_role(actor=administrator, grant=revoked)
    # then
    assert message(refused.value) == "Vai trò này đã được thu hồi trước đó."
    assert state() == before


# --- create_user ----------------------------------------------------------------------------------


def test_create_user_makes_the_account_and_its_role_audited_without_password(tree, administrator):
    # when
    account = services.create_user(
        actor=administrator,
        username="  nguyen.an ",
        full_name=" Nguyễn   Văn An ",
        password=STRONG,
        organization=tree.a1,
        role=Role.MANAGER,
    )
    # then
    account.refresh_from_db()
    assert (account.username, account.get_full_name(), account.is_active) == (
        "nguyen.an",
        "Nguyễn Văn An",
        True,
    )
    assert (account.is_staff, account.is_superuser) == (False, False)
    assert account.check_password(STRONG)
    assert list(account.role_grants.values_list("organization_id", "role")) == [
        (tree.a1.pk, "manager")
    ]
    user_entry, grant_entry = AuditEntry.objects.filter(actor=administrator).order_by("id")
    assert (user_entry.action, user_entry.object_type, user_entry.object_id) == (
        AuditAction.CREATE,
        "auth.user",
        str(account.pk),
    )
    assert user_entry.organization == tree.a1
    assert user_entry.changes == {
        "full_name": [None, "Nguyễn Văn An"],
        "is_active": [None, True],
        "is_staff": [None, False],
        "is_superuser": [None, False],
        "username": [None, "nguyen.an"],
    }
    assert grant_entry.object_type == "core.rolegrant"
    assert grant_entry.changes["role"] == [None, "manager"]
    logged = json.dumps([user_entry.changes, grant_entry.changes], ensure_ascii=False)
    assert "password" not in logged
    assert STRONG not in logged
    assert account.password not in logged


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        (
            "123",
            [
                "Mật khẩu quá ngắn: cần có ít nhất 8 ký tự.",
                "Mật khẩu này quá phổ biến, rất dễ bị đoán ra.",
                "Mật khẩu chỉ gồm chữ số: hãy thêm chữ cái hoặc ký tự khác.",
            ],
        ),
        ("84912345678", ["Mật khẩu chỉ gồm chữ số: hãy thêm chữ cái hoặc ký tự khác."]),
        ("password", ["Mật khẩu này quá phổ biến, rất dễ bị đoán ra."]),
        ("nguyen.an1", ["Mật khẩu quá giống với tên đăng nhập."]),
    ],
)
def test_weak_passwords_are_refused_in_vietnamese(tree, administrator, password, expected):
    # given
    before = state()
    # when
    with pytest.raises(ValidationError) as refused:
        services.create_user(
            actor=administrator,
            username="nguyen.an",
            full_name="Nguyễn Văn An",
            password=password,
            organization=tree.a1,
            role=Role.VIEWER,
        )
    # then
    assert refused.value.message_dict["password"] == expected
    assert state() == before


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("a1_manager", "Tên đăng nhập “a1_manager” đã có người sử dụng."),
        ("A1_Manager", "Tên đăng nhập “A1_Manager” đã có người sử dụng."),
        ("nguyen an", "Tên đăng nhập chỉ được gồm chữ cái, chữ số và các ký tự @ . + - _."),
        ("   ", "Hãy nhập tên đăng nhập."),
    ],
)
def test_bad_or_duplicate_username_is_refused(tree, users, administrator, username, expected):
    # given
    before = state()
    # when
    with pytest.raises(ValidationError) as refused:
        services.create_user(
            actor=administrator,
            username=username,
            full_name="Nguyễn Văn An",
            password=STRONG,
            organization=tree.a1,
            role=Role.VIEWER,
        )
    # then
    assert refused.value.message_dict["username"] == [expected]
    assert state() == before


def test_create_user_outside_the_scope_is_refused(tree, administrator):
    # given
    before = state()
    # when / then
    with pytest.raises(PermissionDenied):
        services.create_user(
            actor=administrator,
            username="nguyen.an",
            full_name="Nguyễn Văn An",
            password=STRONG,
            organization=tree.gb,
            role=Role.VIEWER,
        )
    assert state() == before


@pytest.mark.parametrize("flag", ["is_superuser", "is_staff"])
def test_only_a_superuser_creates_superuser_or_staff_accounts(tree, users, administrator, flag):
    # given
    before = state()
    arguments = {
        "username": "nguyen.an",
        "full_name": "Nguyễn Văn An",
        "password": STRONG,
        "organization": tree.a1,
        "role": Role.VIEWER,
        flag: True,
    }
    # when
    with pytest.raises(PermissionDenied) as refused:
        services.create_user(actor=administrator, **arguments)
    # then
    assert message(refused.value) == (
        "Chỉ quản trị hệ thống mới tạo được tài khoản quản trị hệ thống hoặc tài khoản vào "
        "trang quản trị."
    )
    assert state() == before
    account = services.create_user(actor=users.admin, **arguments)
    assert getattr(account, flag) is True


# --- set_user_active ------------------------------------------------------------------------------


def test_deactivate_and_reactivate_an_account_in_scope(tree, users, administrator):
    # when
    services.set_user_active(actor=administrator, user=users.a1_manager, active=False)
    # then
    users.a1_manager.refresh_from_db()
    assert users.a1_manager.is_active is False
    assert users.a1_manager.role_grants.count() == 1
    entry = last_entry()
    assert (entry.actor, entry.action, entry.object_type, entry.object_id) == (
        administrator,
        AuditAction.UPDATE,
        "auth.user",
        str(users.a1_manager.pk),
    )
    assert entry.organization == tree.a1
    assert entry.changes == {"is_active": [True, False]}

    # when
    services.set_user_active(actor=administrator, user=users.a1_manager, active=True)
    # then
    users.a1_manager.refresh_from_db()
    assert users.a1_manager.is_active is True
    assert last_entry().changes == {"is_active": [False, True]}


def test_setting_the_state_an_account_already_has_writes_nothing(tree, users, administrator):
    # given
    before = state()
    # when
    services.set_user_active(actor=administrator, user=users.a1_manager, active=True)
    # then
    assert state() == before


def test_deactivating_an_account_with_roles_outside_the_scope_is_refused(
    tree, users, administrator
):
    # given
    grant(users.a1_manager, tree.gb, Role.VIEWER)
    before = state()
    # when
    with pytest.raises(PermissionDenied) as refused:
        services.set_user_active(actor=administrator, user=users.a1_manager, active=False)
    # then
    assert message(refused.value).startswith(
        "Tài khoản “a1_manager” còn có vai trò tại tổ chức ngoài phạm vi bạn quản trị"
    )
    assert state() == before


@pytest.mark.parametrize("username", ["gb_manager", "root_manager", "nobody"])
def test_accounts_without_a_role_in_the_scope_are_not_yours(tree, users, administrator, username):
    # given
    before = state()
    # when / then
    with pytest.raises(PermissionDenied):
        services.set_user_active(actor=administrator, user=getattr(users, username), active=False)
    with pytest.raises(PermissionDenied):
        services.reset_password(actor=administrator, user=getattr(users, username), password=STRONG)
    assert state() == before


def test_superuser_accounts_are_for_superusers_only(tree, users, administrator):
    # given
    grant(users.admin, tree.a1, Role.VIEWER)
    before = state()
    # when
    with pytest.raises(PermissionDenied) as refused:
        services.set_user_active(actor=administrator, user=users.admin, active=False)
    # then
    assert message(refused.value) == "Chỉ quản trị hệ thống mới được thay đổi tài khoản “admin”."
    assert state() == before


def test_deactivating_your_own_account_is_refused(tree, administrator):
    # given
    before = state()
    # when
    with pytest.raises(ValidationError) as refused:
        services.set_user_active(actor=administrator, user=administrator, active=False)
    # then
    assert message(refused.value) == "Bạn không thể tự khóa tài khoản của chính mình."
    assert state() == before


def test_superuser_deactivates_any_account(tree, users):
    # when
    services.set_user_active(actor=users.admin, user=users.gb_manager, active=False)
    # then
    users.gb_manager.refresh_from_db()
    assert users.gb_manager.is_active is False


# --- reset_password -------------------------------------------------------------------------------


def test_reset_password_sets_it_and_audits_without_it(tree, users, administrator):
    # when
    services.reset_password(actor=administrator, user=users.a1_manager, password=STRONG)
    # then
    users.a1_manager.refresh_from_db()
    assert users.a1_manager.check_password(STRONG)
    entry = last_entry()
    assert (entry.actor, entry.action, entry.object_type, entry.object_id) == (
        administrator,
        AuditAction.UPDATE,
        "auth.user",
        str(users.a1_manager.pk),
    )
    assert entry.organization == tree.a1
    assert entry.changes == {"password_reset": True}
    assert users.a1_manager.password not in json.dumps(entry.changes)


def test_weak_reset_password_is_refused(tree, users, administrator):
    # given
    before = state()
    # when
    with pytest.raises(ValidationError) as refused:
        services.reset_password(actor=administrator, user=users.a1_manager, password="12345678")
    # then
    assert refused.value.message_dict["password"] == [
        "Mật khẩu này quá phổ biến, rất dễ bị đoán ra.",
        "Mật khẩu chỉ gồm chữ số: hãy thêm chữ cái hoặc ký tự khác.",
    ]
    assert state() == before
    users.a1_manager.refresh_from_db()
    assert users.a1_manager.check_password("pw-Test-12345")


def test_reset_password_of_an_account_with_roles_outside_the_scope_is_refused(
    tree, users, administrator
):
    # given
    grant(users.a2_manager, tree.root, Role.STATISTICIAN)
    before = state()
    # when / then
    with pytest.raises(PermissionDenied):
        services.reset_password(actor=administrator, user=users.a2_manager, password=STRONG)
    assert state() == before
