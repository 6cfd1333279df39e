"""Headline figures of a subtree as of a date (no personal data: statisticians see these too)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Q

from dangbo.core.access import granted_organization_ids, scope_for
from dangbo.core.audit import data_version
from dangbo.members.models import (
    Employment,
    MembershipPeriod,
    MemberStatus,
)
from dangbo.organizations.models import Organization, OrganizationLevel
from dangbo.organizations.selectors import subtree_ids
from dangbo.targets.models import Term
from dangbo.targets.selectors import TermProgress, compute_progress, get_term_and_target


@dataclass(frozen=True)
class HeadlineFigures:
    organization: Organization
    as_of: dt.date
    grassroots_organizations: int
    staff: int
    members: int
    probationary: int
    full: int
    term: Term | None
    admitted_in_term: int
    # The term's admissions against the organization's own target (None without a term).
    progress: TermProgress | None = None

    @property
    def member_share_percent(self) -> float | None:
        """Members as a share of staff, in percent."""
        return 100 * self.members / self.staff if self.staff else None


CACHE_SECONDS = 24 * 3600


def headline_figures(*, user, organization: Organization, as_of: dt.date) -> HeadlineFigures:
    """Counts for ``organization``'s subtree as the tree stood on ``as_of``, within scope.

    Cached under the data version (``core.audit.data_version``), which every recorded change
    bumps: a cached figure is never older than the data it was computed from.
    """
    scope = scope_for(user, personal=False, within=(organization.pk, as_of))
    scope_key = "all" if scope is None else "-".join(map(str, granted_organization_ids(user)))
    key = f"headline:{data_version()}:{organization.pk}:{as_of.isoformat()}:{scope_key}"
    figures = cache.get(key)
    if figures is None:
        figures = _compute_headline_figures(organization, as_of, scope)
        cache.set(key, figures, CACHE_SECONDS)
    return figures


def _compute_headline_figures(organization: Organization, as_of: dt.date, scope) -> HeadlineFigures:
    tree = subtree_ids(organization.pk, as_of)

    def scoped(queryset, field="organization_id"):
        return queryset if scope is None else queryset.filter(**{f"{field}__in": scope})

    grassroots = (
        scoped(Organization.objects.filter(id__in=tree), "id")
        .filter(level=OrganizationLevel.GRASSROOTS)
        .active_on(as_of)
        .count()
    )
    staff = (
        scoped(Employment.objects.filter(organization_id__in=tree))
        .filter(start_date__lte=as_of)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=as_of))
        .count()  # employments of a person never overlap (see Employment)
    )
    by_status = dict(
        scoped(MembershipPeriod.objects.filter(organization_id__in=tree))
        .filter(valid_from__lte=as_of)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=as_of))
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    term, target = get_term_and_target(organization, as_of)
    progress = None
    if term is not None:
        progress = compute_progress(
            term=term, organization=organization, target=target, as_of=as_of, scope=scope
        )
    probationary = by_status.get(MemberStatus.PROBATIONARY, 0)
    full = by_status.get(MemberStatus.FULL, 0)
    return HeadlineFigures(
        organization=organization,
        as_of=as_of,
        grassroots_organizations=grassroots,
        staff=staff,
        members=probationary + full,
        probationary=probationary,
        full=full,
        term=term,
        admitted_in_term=progress.admitted if progress else 0,
        progress=progress,
    )
