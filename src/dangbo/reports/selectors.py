"""Headline figures of a subtree as of a date (no personal data: statisticians see these too),
and the lists behind the statistics' figures (events and organizations, for drill-down)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from dangbo.admissions.models import Candidate, CandidateSource
from dangbo.core.access import granted_organization_ids, scope_for
from dangbo.core.audit import data_version
from dangbo.members.categories import PersonCategories, person_conditions
from dangbo.members.models import (
    Employment,
    MembershipEvent,
    MembershipEventKind,
    MembershipPeriod,
    MemberStatus,
)
from dangbo.organizations.models import Organization, OrganizationLevel
from dangbo.organizations.selectors import subtree_ids
from dangbo.reports.statistics import engine
from dangbo.reports.statistics.forms import EXIT_ORDER, TRANSFER_IN, TRANSFER_OUT
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


# --- The lists behind the statistics' figures (drill-down) ------------------------------------

EVENT_LIST_KINDS = (
    MembershipEventKind.ADMISSION_DECISION,
    MembershipEventKind.RECOGNITION,
    *EXIT_ORDER,
    TRANSFER_IN,
    TRANSFER_OUT,
)


def event_kind_label(kind: str) -> str:
    if kind == TRANSFER_IN:
        return str(_("Transferred in"))
    if kind == TRANSFER_OUT:
        return str(_("Transferred out"))
    return str(MembershipEventKind(kind).label)


def list_statistics_events(
    *,
    user,
    organization: Organization,
    start: dt.date,
    end: dt.date,
    kind: str,
    categories: PersonCategories,
    youth_union: bool = False,
) -> QuerySet[MembershipEvent]:
    """The membership events a figure of the statistics counts: of ``kind`` in [start, end], in
    the subtree as it stood on each event's date, of people in ``categories`` (ages on ``end``),
    within the user's personal scope (they carry names)."""
    scope = scope_for(user, personal=True, within=(organization.pk, end))
    if kind in (TRANSFER_IN, TRANSFER_OUT):
        events = engine.transfers(organization.pk, start, end, scope, inward=kind == TRANSFER_IN)
    else:
        events = engine.events_in(organization.pk, start, end, scope, [kind])
    events = events.filter(person_conditions(categories, day=end, prefix="member__person__"))
    if youth_union:
        events = events.filter(
            Exists(
                Candidate.objects.filter(
                    person_id=OuterRef("member__person_id"), source=CandidateSource.YOUTH_UNION
                )
            )
        )
    return events.select_related("member__person", "organization").order_by(
        "date", "member__person__sort_key", "id"
    )


@dataclass(frozen=True)
class OrganizationCategories:
    level: str = ""
    kind: str = ""
    statistics_type: str = ""  # "-": not set
    functional_group: str = ""


def list_statistics_organizations(
    *, user, organization: Organization, as_of: dt.date, categories: OrganizationCategories
) -> QuerySet[Organization]:
    """The organizations a figure of form 1-TCTW counts: of the subtree on ``as_of``, existing
    that day, in ``categories``, within the user's count scope."""
    found = Organization.objects.filter(id__in=subtree_ids(organization.pk, as_of)).active_on(as_of)
    scope = scope_for(user, personal=False, within=(organization.pk, as_of))
    if scope is not None:
        found = found.filter(id__in=scope)
    c = categories
    for name in ("level", "kind", "functional_group"):
        if getattr(c, name):
            found = found.filter(**{name: getattr(c, name)})
    if c.statistics_type:
        found = found.filter(statistics_type="" if c.statistics_type == "-" else c.statistics_type)
    return found.order_by("sort_key", "id")
