"""Reads of the organization tree, as it stood on a given date."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.http import Http404

from dangbo.core.text import search_terms
from dangbo.organizations.models import Organization, OrganizationClosure, OrganizationLink


def _on(day: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": day})
    )


def subtree_ids(organization_id: int, day: dt.date) -> QuerySet:
    """Ids of the organization and everything under it on ``day`` (a lazy subquery)."""
    return (
        OrganizationClosure.objects.filter(ancestor_id=organization_id)
        .filter(_on(day))
        .values("descendant_id")
    )


def list_roots() -> list[Organization]:
    """Organizations that have no parent today (the tops of the whole tree)."""
    has_parent = OrganizationLink.objects.filter(valid_to__isnull=True).values("child_id")
    return list(Organization.objects.exclude(id__in=has_parent))


def get_organization(*, user, pk, personal: bool = False) -> Organization:
    """One organization the user may see; 404 when it is missing or out of scope."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    organization = Organization.objects.visible_to(user, personal=personal).filter(pk=pk).first()
    if organization is None:
        raise Http404
    return organization


def get_parent(organization: Organization, day: dt.date) -> Organization | None:
    link = (
        OrganizationLink.objects.filter(child=organization)
        .filter(_on(day))
        .select_related("parent")
        .first()
    )
    return link.parent if link else None


def list_ancestors(organization: Organization, day: dt.date) -> list[Organization]:
    """From the top down to the organization's parent, as the tree stood on ``day``."""
    rows = (
        OrganizationClosure.objects.filter(descendant=organization, depth__gt=0)
        .filter(_on(day))
        .select_related("ancestor")
        .order_by("-depth")
    )
    return [row.ancestor for row in rows]


def list_children(organization: Organization, day: dt.date) -> QuerySet[Organization]:
    """Direct sub-organizations on ``day`` that exist on that day."""
    child_ids = OrganizationLink.objects.filter(parent=organization).filter(_on(day)).values(
        "child_id"
    )
    return Organization.objects.filter(id__in=child_ids).active_on(day)


def list_organizations(*, user, day: dt.date, within: Organization | None = None, q: str = ""):
    """Organizations the user may see (counts scope), active on ``day``, optionally in a subtree."""
    qs = Organization.objects.visible_to(user).active_on(day)
    if within is not None:
        qs = qs.filter(id__in=subtree_ids(within.pk, day))
    for term in search_terms(q):
        qs = qs.filter(Q(search_name__contains=term) | Q(code__icontains=term))
    return qs
