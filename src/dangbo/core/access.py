"""The one access rule: a role granted on an organization covers its whole subtree.

Every query of personal data goes through ``scope_organization_ids`` (usually by way of the
``visible_to(user)`` queryset methods). The subtree is the tree as it stands now; an organization
dissolved or moved keeps the place it had last, so its history stays with the committee above it.
Out of scope and missing look the same to the user: 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from dangbo.core.models import Role, RoleGrant

PERSONAL_ROLES = (Role.ADMINISTRATOR, Role.MANAGER, Role.VIEWER)
COUNT_ROLES = (*PERSONAL_ROLES, Role.STATISTICIAN)
WRITE_ROLES = (Role.ADMINISTRATOR, Role.MANAGER)


def _roles(*, personal: bool, write: bool) -> tuple[str, ...]:
    if write:
        return WRITE_ROLES
    return PERSONAL_ROLES if personal else COUNT_ROLES


def scope_organization_ids(user, *, personal: bool = True, write: bool = False) -> QuerySet:
    """Ids of the organizations whose data the user may see (or change, with ``write``).

    ``personal=False`` asks for counts only, which statisticians may see too.
    Returned as a lazy subquery, to be used as ``organization_id__in=...``.
    """
    from dangbo.organizations.models import Organization, OrganizationClosure

    if user is None or not user.is_authenticated or not user.is_active:
        return Organization.objects.none().values("id")
    if user.is_superuser:
        return Organization.objects.values("id")
    granted = RoleGrant.objects.filter(user=user, role__in=_roles(personal=personal, write=write))
    return OrganizationClosure.objects.filter(
        ancestor_id__in=granted.values("organization_id"), valid_to__isnull=True
    ).values("descendant_id")


def has_any_role(user, *, personal: bool = True) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return RoleGrant.objects.filter(
        user=user, role__in=_roles(personal=personal, write=False)
    ).exists()


def can_see_personal_data(user) -> bool:
    return has_any_role(user, personal=True)


def can_write(user, organization) -> bool:
    """May the user change records of this organization (administrator or manager above it)?"""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return scope_organization_ids(user, write=True).filter(descendant_id=organization.pk).exists()


def require_write(user, organization) -> None:
    """Refuse a change outside the user's write scope, with a message a person can act on."""
    if not can_write(user, organization):
        raise PermissionDenied(
            _("You may not change the records of the organization “%(name)s”.")
            % {"name": organization.name}
        )


def top_organizations(user, *, personal: bool = False):
    """The organizations the user's grants sit on, highest first (the tops of the user's scope)."""
    from dangbo.organizations.models import LEVEL_DEPTH, Organization

    if user.is_superuser:
        from dangbo.organizations.selectors import list_roots

        return list_roots()
    orgs = Organization.objects.filter(
        role_grants__user=user,
        role_grants__role__in=_roles(personal=personal, write=False),
    ).distinct()
    return sorted(orgs, key=lambda o: (LEVEL_DEPTH.get(o.level, 99), o.sort_key))


def can_administer(user, organization=None) -> bool:
    """May the user manage roles and accounts on this organization (an administrator on it or
    above it, or a superuser)? Without an organization: on any organization at all."""
    from dangbo.organizations.models import OrganizationClosure

    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    granted = RoleGrant.objects.filter(user=user, role=Role.ADMINISTRATOR)
    if organization is None:
        return granted.exists()
    return OrganizationClosure.objects.filter(
        ancestor_id__in=granted.values("organization_id"),
        descendant_id=organization.pk,
        valid_to__isnull=True,
    ).exists()
