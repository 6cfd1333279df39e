"""Who may do what: role grants and the accounts that hold them, managed by administrators.

An administrator manages roles and accounts within the subtrees of their administrator grants
(``access.can_administer``); a superuser everywhere. Every function checks that, validates,
writes and audits in one transaction, and never puts a password or its hash in the audit log.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dangbo.core import access, audit
from dangbo.core.access import can_administer
from dangbo.core.models import Role, RoleGrant
from dangbo.core.selectors import administered_organization_ids, list_grants_outside_scope

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from dangbo.organizations.models import Organization

GRANT_FIELDS = ["user_id", "organization_id", "role"]
USERNAME_MAX_LENGTH = 150
FULL_NAME_MAX_LENGTH = 150


def _require_administer(actor, organization: Organization) -> None:
    if not can_administer(actor, organization):
        raise PermissionDenied(
            _("You may not manage roles on the organization “%(name)s”.")
            % {"name": organization.name}
        )


def _check_role(role: str) -> None:
    if role not in Role.values:
        raise ValidationError({"role": _("Choose one of the roles in the list.")})


def _password_message(error: ValidationError) -> str:
    """One complaint of Django's password validators, in our own words for the standard ones
    (Django's Vietnamese catalog lags behind its msgids), as is for any other validator."""
    params = error.params or {}
    if error.code == "password_too_short":
        n = params.get("min_length", 8)
        return ngettext(
            "This password is too short: it needs at least %(n)d character.",
            "This password is too short: it needs at least %(n)d characters.",
            n,
        ) % {"n": n}
    if error.code == "password_too_similar":
        return _("This password is too similar to the %(field)s.") % {
            "field": str(params.get("verbose_name", _("login name"))).lower()
        }
    if error.code == "password_too_common":
        return _("This password is too common: it is easy to guess.")
    if error.code == "password_entirely_numeric":
        return _("This password has only digits: add letters or other characters.")
    return " ".join(error.messages)


def _check_password(password: str, account: User) -> None:
    """Django's password validators (``AUTH_PASSWORD_VALIDATORS``), as a field error."""
    try:
        password_validation.validate_password(password, user=account)
    except ValidationError as error:
        raise ValidationError(
            {"password": [_password_message(e) for e in error.error_list]}
        ) from None


def _grant_changes(grant: RoleGrant) -> dict:
    return audit.snapshot(grant, GRANT_FIELDS)


def _user_changes(account: User) -> dict:
    """The audited fields of an account: never the password, nor its hash."""
    return {
        "username": account.username,
        "full_name": account.get_full_name(),
        "is_active": account.is_active,
        "is_staff": account.is_staff,
        "is_superuser": account.is_superuser,
    }


def _audit_organization(account: User) -> Organization | None:
    """The organization an audit line about an account is filed under (so that the audit log
    stays scoped): the highest of the organizations its roles are on."""
    from dangbo.organizations.models import LEVEL_DEPTH

    organizations = [g.organization for g in account.role_grants.select_related("organization")]
    if not organizations:
        return None
    return min(organizations, key=lambda o: (LEVEL_DEPTH.get(o.level, 99), o.sort_key, o.pk))


def require_manage_account(actor, account: User) -> None:
    """Refuse unless the account is the actor's to manage: every role it holds is within the
    actor's administrator scope, and it holds at least one there. Superuser and staff accounts
    are for superusers only (a superuser manages every account)."""
    if actor.is_superuser:
        return
    if account.is_superuser or account.is_staff:
        raise PermissionDenied(
            _("Only a superuser can change the account “%(username)s”.")
            % {"username": account.get_username()}
        )
    in_scope = RoleGrant.objects.filter(
        user=account, organization_id__in=administered_organization_ids(actor)
    )
    if not in_scope.exists():
        raise PermissionDenied(
            _("The account “%(username)s” holds no role in the organizations you administer.")
            % {"username": account.get_username()}
        )
    if list_grants_outside_scope(user=actor, account=account).exists():
        raise PermissionDenied(
            _(
                "The account “%(username)s” also holds roles outside the organizations you "
                "administer: ask an administrator above those organizations."
            )
            % {"username": account.get_username()}
        )


@transaction.atomic
def grant_role(*, actor, user: User, organization: Organization, role: str) -> RoleGrant:
    """Give ``user`` the ``role`` on ``organization`` (and so on its whole subtree)."""
    _require_administer(actor, organization)
    _check_role(role)
    duplicate = _("“%(username)s” already holds the role “%(role)s” on “%(organization)s”.") % {
        "username": user.get_username(),
        "role": Role(role).label,
        "organization": organization.name,
    }
    if RoleGrant.objects.filter(user=user, organization=organization, role=role).exists():
        raise ValidationError(duplicate)
    try:
        with transaction.atomic():
            grant = RoleGrant.objects.create(user=user, organization=organization, role=role)
            access.forget_grants(user)
    except IntegrityError:  # granted at the same moment by someone else
        raise ValidationError(duplicate) from None
    audit.record(
        actor=actor,
        action=audit.AuditAction.CREATE,
        obj=grant,
        organization=organization,
        changes=audit.diff({}, _grant_changes(grant)),
    )
    return grant


@transaction.atomic
def revoke_role(*, actor, grant: RoleGrant) -> None:
    """Take a role away: the grant is deleted, and the audit line keeps what it was."""
    locked = (
        RoleGrant.objects.select_for_update()
        .select_related("user", "organization")
        .filter(pk=grant.pk)
        .first()
    )
    if locked is None:
        raise ValidationError(_("This role has already been revoked."))
    _require_administer(actor, locked.organization)
    if (
        locked.user_id == actor.pk
        and locked.role == Role.ADMINISTRATOR
        and not actor.is_superuser
        and not list(
            RoleGrant.objects.select_for_update()
            .filter(user=actor, role=Role.ADMINISTRATOR)
            .exclude(pk=locked.pk)
        )
    ):
        raise ValidationError(
            _(
                "You cannot revoke your own last administrator role: you would lock yourself "
                "out. Ask an administrator above you to do it."
            )
        )
    audit.record(
        actor=actor,
        action=audit.AuditAction.DELETE,
        obj=locked,
        organization=locked.organization,
        changes=audit.diff(audit.snapshot(locked, [*GRANT_FIELDS, "granted_at"]), {}),
    )
    locked.delete()
    access.forget_grants(grant.user)


@transaction.atomic
def create_user(
    *,
    actor,
    username: str,
    full_name: str,
    password: str,
    organization: Organization,
    role: str,
    is_superuser: bool = False,
    is_staff: bool = False,
) -> User:
    """A new account with a role on ``organization``, in one step. Superuser and staff
    accounts can only be created by a superuser."""
    _require_administer(actor, organization)
    if (is_superuser or is_staff) and not actor.is_superuser:
        raise PermissionDenied(_("Only a superuser can create superuser or staff accounts."))
    _check_role(role)
    model = get_user_model()
    username = username.strip()
    full_name = " ".join(full_name.split())
    errors: dict[str, list[str]] = {}
    if not username:
        errors.setdefault("username", []).append(_("Enter a login name."))
    elif len(username) > USERNAME_MAX_LENGTH:
        errors.setdefault("username", []).append(
            _("A login name has at most %(n)s characters.") % {"n": USERNAME_MAX_LENGTH}
        )
    else:
        try:
            UnicodeUsernameValidator()(username)
        except ValidationError:
            errors.setdefault("username", []).append(
                _("A login name may contain only letters, digits and the characters @ . + - _.")
            )
        if model.objects.filter(username__iexact=username).exists():
            errors.setdefault("username", []).append(
                _("The login name “%(username)s” is already taken.") % {"username": username}
            )
    if not full_name:
        errors.setdefault("full_name", []).append(_("Enter the full name."))
    elif len(full_name) > FULL_NAME_MAX_LENGTH:
        errors.setdefault("full_name", []).append(
            _("A full name has at most %(n)s characters.") % {"n": FULL_NAME_MAX_LENGTH}
        )
    # Vietnamese names do not split into Django's first/last order: the whole name goes into
    # first_name, so that get_full_name() reads as it should.
    account = model(
        username=username, first_name=full_name, is_superuser=is_superuser, is_staff=is_staff
    )
    try:
        _check_password(password, account)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    account.set_password(password)
    try:
        with transaction.atomic():
            account.save()
    except IntegrityError:  # the same login name, created at the same moment
        raise ValidationError(
            {
                "username": _("The login name “%(username)s” is already taken.")
                % {"username": username}
            }
        ) from None
    grant = RoleGrant.objects.create(user=account, organization=organization, role=role)
    access.forget_grants(account)
    audit.record(
        actor=actor,
        action=audit.AuditAction.CREATE,
        obj=account,
        organization=organization,
        changes=audit.diff({}, _user_changes(account)),
    )
    audit.record(
        actor=actor,
        action=audit.AuditAction.CREATE,
        obj=grant,
        organization=organization,
        changes=audit.diff({}, _grant_changes(grant)),
    )
    return account


@transaction.atomic
def set_user_active(*, actor, user: User, active: bool) -> None:
    """Deactivate an account (it can no longer log in; its roles stay) or reactivate it.
    Only for an account whose every role is within the actor's administrator scope."""
    if user.pk == actor.pk and not active:
        raise ValidationError(_("You cannot deactivate your own account."))
    require_manage_account(actor, user)
    account = get_user_model().objects.select_for_update().get(pk=user.pk)
    if account.is_active == active:
        return
    before = _user_changes(account)
    account.is_active = active
    account.save(update_fields=["is_active"])
    user.is_active = active
    audit.record(
        actor=actor,
        action=audit.AuditAction.UPDATE,
        obj=account,
        organization=_audit_organization(account),
        changes=audit.diff(before, _user_changes(account)),
    )


@transaction.atomic
def reset_password(*, actor, user: User, password: str) -> None:
    """Set a new password on an account the actor manages (its other sessions end)."""
    require_manage_account(actor, user)
    account = get_user_model().objects.select_for_update().get(pk=user.pk)
    _check_password(password, account)
    account.set_password(password)
    account.save(update_fields=["password"])
    user.password = account.password
    audit.record(
        actor=actor,
        action=audit.AuditAction.UPDATE,
        obj=account,
        organization=_audit_organization(account),
        changes={"password_reset": True},
    )
