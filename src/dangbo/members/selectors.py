"""Reads of people and members, always through the access rule, as of a date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet, prefetch_related_objects
from django.http import Http404

from dangbo.core.access import restrict_to_scope, scope_organization_ids
from dangbo.core.text import search_terms
from dangbo.members.categories import PersonCategories, person_conditions
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
# Orderings on the person's columns; the person id breaks ties the same way in both query shapes.
ORDERINGS = {
    "name": ("sort_key", "id"),
    "-name": ("-sort_key", "-id"),
    "birth": ("date_of_birth", "id"),
    "-birth": ("-date_of_birth", "-id"),
}
# Above this many rows a page is read in name order from the people table (an index scan that
# stops after one page) instead of sorting every matching registration.
LARGE_LIST = 5000
# A search is counted up to this many results: common names match tens of thousands of people,
# and counting them all would cost more than the page. The page says "more than 1.000".
SEARCH_COUNT_CAP = 1000


def active_on(day: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": day})
    )


@dataclass(frozen=True)
class MemberFilters(PersonCategories):
    organization_id: int | None = None
    status: str = ""
    q: str = ""
    ordering: str = "name"


def name_term(term: str, field: str) -> Q:
    """A search word matches the beginning of a word of the folded name: "an" finds An and Anh,
    not Văn or Lan (so that a common name does not match half the register)."""
    return Q(**{f"{field}__startswith": term}) | Q(**{f"{field}__contains": f" {term}"})


def _person_filters(filters: MemberFilters, as_of: dt.date, prefix: str) -> Q:
    """Conditions on the person (and member numbers), with ``prefix`` leading to the person."""
    member = "member__" if prefix == "" else prefix.removesuffix("person__")
    q = person_conditions(filters, day=as_of, prefix=prefix)
    for term in search_terms(filters.q):
        if term.isdigit():
            q &= (
                Q(**{f"{prefix}citizen_id__startswith": term})
                | Q(**{f"{member}record_number__startswith": term})
                | Q(**{f"{member}card_number__startswith": term})
                | Q(**{f"{member}card_number_old__startswith": term})
            )
        else:
            q &= name_term(term, f"{prefix}search_name")
    return q


def _registrations(*, user, as_of: dt.date, filters: MemberFilters) -> QuerySet:
    """Registrations (periods) on ``as_of`` in scope, subtree and status; no person filter."""
    qs = MembershipPeriod.objects.filter(active_on(as_of))
    within = None
    if filters.organization_id:
        qs = qs.filter(organization_id__in=subtree_ids(filters.organization_id, as_of))
        within = (filters.organization_id, as_of)
    qs = restrict_to_scope(qs, user, personal=True, within=within)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return qs


class MemberList:
    """The member list as a sequence that paginators count and slice.

    One row per member: their registration (period) on the date, with member, person and
    organization joined. Counted on the registrations; a page of a long list is read in order
    from the people table, so that it costs one index scan however many members there are.
    """

    def __init__(self, *, user, as_of: dt.date, filters: MemberFilters):
        self.as_of = as_of
        self.filters = filters
        self.ordering = ORDERINGS.get(filters.ordering, ORDERINGS["name"])
        self.registrations = _registrations(user=user, as_of=as_of, filters=filters)
        self.matching = self.registrations.filter(
            _person_filters(filters, as_of, "member__person__")
        )
        self._count: int | None = None
        self._prefetch: tuple[str, ...] = ()
        self.capped = False

    def prefetch_related(self, *lookups: str) -> MemberList:
        self._prefetch += lookups
        return self

    def count(self) -> int:
        """The number of rows; for a search at most ``SEARCH_COUNT_CAP`` (``capped`` says so)."""
        if self._count is None:
            if search_terms(self.filters.q):
                # Counted on the people (one registration each on a day): the scan stops after
                # the cap, and the name conditions are checked once per person.
                found = self._people().order_by()[: SEARCH_COUNT_CAP + 1].count()
                self.capped = found > SEARCH_COUNT_CAP
                self._count = min(found, SEARCH_COUNT_CAP)
            else:
                self._count = self.matching.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __iter__(self):
        return iter(self[: self.count()])

    def __getitem__(self, key):
        if isinstance(key, int):
            return self[key : key + 1][0]
        start, stop = key.start or 0, key.stop
        if self.count() > LARGE_LIST or self.capped:
            rows = self._page_by_person(start, stop)
        else:
            ordering = [
                f"-member__person__{o[1:]}" if o.startswith("-") else f"member__person__{o}"
                for o in self.ordering
            ]
            rows = list(
                self.matching.select_related("member__person", "organization").order_by(*ordering)[
                    start:stop
                ]
            )
        if self._prefetch:
            prefetch_related_objects(rows, *self._prefetch)
        return rows

    def iterator(self, chunk_size: int = 2000) -> Iterator[MembershipPeriod]:
        """Every row in list order, read by one query fetched ``chunk_size`` rows at a time (a
        server-side cursor on PostgreSQL), never by offsets: slicing the list page after page
        would read all the earlier rows again for each page. The whole list, past a search's
        count cap too."""
        ordering = [
            f"-member__person__{o[1:]}" if o.startswith("-") else f"member__person__{o}"
            for o in self.ordering
        ]
        rows = (
            self.matching.select_related("member__person", "organization")
            .order_by(*ordering)
            .iterator(chunk_size=chunk_size)
        )
        if not self._prefetch:
            yield from rows
            return
        batch: list[MembershipPeriod] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= chunk_size:
                prefetch_related_objects(batch, *self._prefetch)
                yield from batch
                batch = []
        prefetch_related_objects(batch, *self._prefetch)
        yield from batch

    def _people(self) -> QuerySet:
        """The matching people, each with a registration on the date, in list order."""
        registered = self.registrations.filter(member__person_id=OuterRef("pk"))
        return (
            Person.objects.filter(Exists(registered))
            .filter(_person_filters(self.filters, self.as_of, ""))
            .order_by(*self.ordering)
        )

    def _page_by_person(self, start: int, stop: int | None) -> list[MembershipPeriod]:
        ids = list(self._people().values_list("id", flat=True)[start:stop])
        position = {person_id: index for index, person_id in enumerate(ids)}
        rows = self.registrations.filter(member__person_id__in=ids).select_related(
            "member__person", "organization"
        )
        return sorted(rows, key=lambda row: position[row.member.person_id])


def list_member_periods(*, user, as_of: dt.date, filters: MemberFilters) -> MemberList:
    """Members registered on ``as_of`` within the user's scope (and the chosen subtree),
    one row per member: their period that day, with person and organization joined."""
    return MemberList(user=user, as_of=as_of, filters=filters)


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
        qs = qs.filter(name_term(term, "search_name") | Q(citizen_id__startswith=term))
    return qs.order_by("sort_key", "id")
