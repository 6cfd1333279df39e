"""The one access rule: a role granted on an organization covers its whole subtree.

Every query of personal data goes through ``scope_organization_ids`` (usually by way of the
``visible_to(user)`` queryset methods). The subtree is the tree as it stands now; an organization
dissolved or moved keeps the place it had last, so its history stays with the committee above it.
Out of scope and missing look the same to the user: 404.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from dangbo.core.models import Role, RoleGrant

PERSONAL_ROLES = (Role.ADMINISTRATOR, Role.MANAGER, Role.VIEWER)
COUNT_ROLES = (*PERSONAL_ROLES, Role.STATISTICIAN)
WRITE_ROLES = (Role.ADMINISTRATOR, Role.MANAGER)


def _roles(*, personal: bool, write: bool) -> tuple[str, ...]:
    if write:
        return WRITE_ROLES
    return PERSONAL_ROLES if personal else COUNT_ROLES


_GRANTS_CACHE = "_dangbo_granted_ids"


def _granted_ids(user, roles: tuple[str, ...]) -> list[int]:
    """Organizations the user holds one of ``roles`` on. All the user's grants are read once per
    user object (that is, once per request) and filtered here."""
    grants = user.__dict__.get(_GRANTS_CACHE)
    if grants is None:
        grants = list(RoleGrant.objects.filter(user=user).values_list("organization_id", "role"))
        user.__dict__[_GRANTS_CACHE] = grants
    return sorted({organization_id for organization_id, role in grants if role in roles})


def granted_organization_ids(user, *, personal: bool = False) -> list[int]:
    """The organizations the user's grants sit on (counts roles unless ``personal``)."""
    return _granted_ids(user, _roles(personal=personal, write=False))


def forget_grants(user) -> None:
    """Drop the grants remembered on a user object (after its roles changed)."""
    user.__dict__.pop(_GRANTS_CACHE, None)


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
    # The granted ids go in as literals: with a nested subquery PostgreSQL misjudges the size of
    # the scope (a handful of rows instead of thousands) and picks nested loops.
    granted = _granted_ids(user, _roles(personal=personal, write=write))
    return OrganizationClosure.objects.filter(
        ancestor_id__in=granted, valid_to__isnull=True
    ).values("descendant_id")


def scope_for(
    user, *, personal: bool = True, within: tuple[int, dt.date] | None = None
) -> QuerySet | None:
    """The scope subquery to filter by, or None when no filter is needed: for superusers, and
    when ``within=(organization_id, day)`` names a subtree (as of ``day``) lying wholly inside
    the user's scope, which the caller's query is already limited to."""
    if user is not None and user.is_authenticated and user.is_active and user.is_superuser:
        return None
    scope = scope_organization_ids(user, personal=personal)
    if within is not None and _subtree_in_scope(
        scope, *within, granted=_granted_ids(user, _roles(personal=personal, write=False))
    ):
        return None
    return scope


def restrict_to_scope(
    queryset: QuerySet,
    user,
    field: str = "organization_id",
    *,
    personal: bool = True,
    within: tuple[int, dt.date] | None = None,
) -> QuerySet:
    """``queryset`` limited to rows whose ``field`` lies in the user's scope: the access rule
    applied to a query (see ``scope_for`` for ``within``)."""
    scope = scope_for(user, personal=personal, within=within)
    return queryset if scope is None else queryset.filter(**{f"{field}__in": scope})


def _subtree_in_scope(
    scope: QuerySet, organization_id: int, day: dt.date, *, granted: list[int]
) -> bool:
    """Does every organization of the subtree (as of ``day``) lie in ``scope``, the current
    subtrees of the ``granted`` organizations? Cheap: it reads the closure table only, not the
    rows that the caller is about to count."""
    from dangbo.organizations.models import OrganizationClosure
    from dangbo.organizations.selectors import subtree_ids

    # ``scope`` is closure rows ("descendant_id"), or all or no organizations ("id").
    if scope.model is not OrganizationClosure:
        return scope.exists()
    closure = OrganizationClosure.objects.filter(ancestor_id__in=granted)
    # When no organization ever left (or moved within) the granted subtrees, what lay in them on
    # ``day`` lies in them now: two index probes instead of a pass over the whole subtree.
    quick = Exists(
        closure.filter(descendant_id=organization_id, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
        .exclude(Exists(closure.filter(valid_to__isnull=False)))
    )
    # Otherwise each organization of the subtree is looked for in the scope. NOT EXISTS, not
    # NOT IN: PostgreSQL plans the latter as a scan of the whole scope per row when the scope's
    # hash does not fit in work_mem (a national scope).
    outside = subtree_ids(organization_id, day).exclude(
        Exists(scope.filter(descendant_id=OuterRef("descendant_id")))
    )
    # One query, the quick test first.
    return OrganizationClosure.objects.filter(
        Q(quick) | ~Exists(outside), descendant_id=organization_id
    ).exists()


def has_any_role(user, *, personal: bool = True) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return bool(_granted_ids(user, _roles(personal=personal, write=False)))


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
