"""Reads of people and members, always through the access rule, as of a date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from dangbo.core.access import scope_organization_ids
from dangbo.core.dates import add_months
from dangbo.core.text import search_terms
from dangbo.members.models import Member, MembershipPeriod, Person
from dangbo.organizations.selectors import subtree_ids

AGE_BANDS = {
    "18-30": (18, 30),
    "31-40": (31, 40),
    "41-50": (41, 50),
    "51-60": (51, 60),
    "61-70": (61, 70),
    "71+": (71, None),
}
ORDERINGS = {
    "name": ("member__person__sort_key", "member_id"),
    "-name": ("-member__person__sort_key", "-member_id"),
    "birth": ("member__person__date_of_birth", "member_id"),
    "-birth": ("-member__person__date_of_birth", "-member_id"),
}


def active_on(day: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": day})
    )


@dataclass(frozen=True)
class MemberFilters:
    organization_id: int | None = None
    status: str = ""
    sex: str = ""
    age_band: str = ""
    political_theory_level: str = ""
    q: str = ""
    ordering: str = "name"


def list_member_periods(*, user, as_of: dt.date, filters: MemberFilters) -> QuerySet:
    """Members registered on ``as_of`` within the user's scope (and the chosen subtree),
    one row per member: their period that day, with person and organization joined."""
    qs = MembershipPeriod.objects.filter(active_on(as_of)).filter(
        organization_id__in=scope_organization_ids(user, personal=True)
    )
    if filters.organization_id:
        qs = qs.filter(organization_id__in=subtree_ids(filters.organization_id, as_of))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.sex:
        qs = qs.filter(member__person__sex=filters.sex)
    if filters.political_theory_level:
        qs = qs.filter(member__person__political_theory_level=filters.political_theory_level)
    if filters.age_band in AGE_BANDS:
        low, high = AGE_BANDS[filters.age_band]
        # Age in full years on as_of between low and high: born in (as_of - high - 1, as_of - low].
        qs = qs.filter(member__person__date_of_birth__lte=add_months(as_of, -12 * low))
        if high is not None:
            qs = qs.filter(member__person__date_of_birth__gt=add_months(as_of, -12 * (high + 1)))
    for term in search_terms(filters.q):
        if term.isdigit():
            qs = qs.filter(
                Q(member__person__citizen_id__startswith=term)
                | Q(member__record_number__startswith=term)
                | Q(member__card_number__startswith=term)
                | Q(member__card_number_old__startswith=term)
            )
        else:
            qs = qs.filter(member__person__search_name__contains=term)
    ordering = ORDERINGS.get(filters.ordering, ORDERINGS["name"])
    return qs.select_related("member__person", "organization").order_by(*ordering)


def get_member(*, user, pk) -> Member:
    """A member the user may see; 404 when missing or out of scope."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    member = (
        Member.objects.visible_to(user)
        .select_related("person", "person__ethnicity")
        .prefetch_related("periods__organization", "events__organization", "events__recorded_by")
        .filter(pk=pk)
        .first()
    )
    if member is None:
        raise Http404
    return member


def get_person(*, user, pk) -> Person:
    """A person the user may see; 404 when missing or out of scope."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    person = (
        Person.objects.visible_to(user)
        .select_related("ethnicity")
        .prefetch_related("employments__organization")
        .filter(pk=pk)
        .first()
    )
    if person is None:
        raise Http404
    return person


def list_people(
    *,
    user,
    as_of: dt.date,
    organization_id: int | None = None,
    q: str = "",
    members: bool | None = None,
) -> QuerySet:
    """Staff employed on ``as_of`` within the user's scope, members or not."""
    from dangbo.members.models import Employment

    employed = Employment.objects.filter(
        organization_id__in=scope_organization_ids(user, personal=True), start_date__lte=as_of
    ).filter(Q(end_date__isnull=True) | Q(end_date__gt=as_of))
    if organization_id:
        employed = employed.filter(organization_id__in=subtree_ids(organization_id, as_of))
    qs = Person.objects.filter(id__in=employed.values("person_id"))
    if members is False:
        qs = qs.exclude(member__periods__in=MembershipPeriod.objects.filter(active_on(as_of)))
    for term in search_terms(q):
        qs = qs.filter(Q(search_name__contains=term) | Q(citizen_id__startswith=term))
    return qs.order_by("sort_key", "id")
