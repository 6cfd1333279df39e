"""The statistics engine: what a subtree held on a date, and what happened in it over a period.

Each figure is read by one grouped query (a "cube": a count per combination of the counted
columns), and the forms add the cube's rows up in Python. So a form costs one pass over the
registrations whatever its number of rows, and a new breakdown or a new kind of event is a new
row of a form, not a new query.

The tree is taken as it stood on the date counted: on ``as_of`` for what the subtree held, on
each event's own date for what happened (a member admitted in a branch before the branch moved
counts under its old parent). Counts keep to the user's count scope (``core.access``): they hold
no personal data, so statisticians read them too.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)

from dangbo.admissions.models import Candidate, CandidateSource
from dangbo.members.categories import (
    KINH_CODE,
    AgeBand,
    age_bands_on,
    theory_group,
)
from dangbo.members.models import (
    EXIT_KINDS,
    PROFILE_FIELDS,
    Employment,
    Ethnicity,
    MemberProfile,
    MembershipEvent,
    MembershipEventKind,
    MembershipPeriod,
    MemberStatus,
)
from dangbo.organizations.models import Organization, OrganizationClosure
from dangbo.organizations.selectors import subtree_ids


def _on(day: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": day})
    )


def _age_case(bands: tuple[AgeBand, ...], day: dt.date, field_name: str) -> Case:
    """The index of the person's age group on ``day`` (-1 outside every group)."""
    return Case(
        *[When(band.q(day, field_name), then=Value(index)) for index, band in enumerate(bands)],
        default=Value(-1),
        output_field=IntegerField(),
    )


@dataclass
class Cube:
    """Counts per combination of columns; ``total``/``count``/``breakdown`` add them up.

    A count reads the cube's margin over the columns it tests (built once per set of columns),
    so a form of a few hundred cells costs a few passes over the cube, not one per cell."""

    columns: tuple[str, ...]
    rows: list[tuple] = field(default_factory=list)  # (*values, n)
    _margins: dict[tuple[str, ...], Counter] = field(default_factory=dict, repr=False)

    def _index(self, column: str) -> int:
        return self.columns.index(column)

    def margin(self, columns: tuple[str, ...]) -> Counter:
        """Counts per combination of ``columns`` only."""
        found = self._margins.get(columns)
        if found is None:
            indexes = [self._index(column) for column in columns]
            key = itemgetter(*indexes) if indexes else (lambda row: ())
            single = len(indexes) == 1
            counts: dict[tuple, int] = {}
            get = counts.get
            for row in self.rows:
                values = (key(row),) if single else key(row)
                counts[values] = get(values, 0) + row[-1]
            found = self._margins[columns] = Counter(counts)
        return found

    def count(self, **where: Callable[[object], bool]) -> int:
        columns = tuple(sorted(where))
        tests = [where[column] for column in columns]
        return sum(
            n
            for values, n in self.margin(columns).items()
            if all(test(value) for test, value in zip(tests, values, strict=True))
        )

    def breakdown(self, column: str, **where: Callable[[object], bool]) -> Counter:
        columns = tuple(sorted(where))
        tests = [where[c] for c in columns]
        counts: Counter = Counter()
        for values, n in self.margin((*columns, column)).items():
            if all(test(value) for test, value in zip(tests, values[:-1], strict=True)):
                counts[values[-1]] += n
        return counts

    @property
    def total(self) -> int:
        return sum(row[-1] for row in self.rows)


def _grouped_theory(profile: tuple) -> tuple:
    """The profile columns with advanced and bachelor theory counted together (DOMAIN.md §10)."""
    return (*profile[:_THEORY], theory_group(profile[_THEORY]), *profile[_THEORY + 1 :])


_THEORY = PROFILE_FIELDS.index("political_theory_level")


def _scoped(queryset, scope, column: str = "organization_id"):
    return queryset if scope is None else queryset.filter(**{f"{column}__in": scope})


def minority_ids() -> frozenset[int]:
    return frozenset(Ethnicity.objects.exclude(code=KINH_CODE).values_list("id", flat=True))


# --- What the subtree held on a date ---------------------------------------------------------


def organization_cube(organization_id: int, as_of: dt.date, scope) -> Cube:
    """Organizations of the subtree existing on ``as_of``, by level, kind, statistics type and
    functional group (the subtree's top included)."""
    rows = (
        _scoped(
            Organization.objects.filter(id__in=subtree_ids(organization_id, as_of)), scope, "id"
        )
        .active_on(as_of)
        .order_by()
        .values("level", "kind", "statistics_type", "functional_group")
        .annotate(n=Count("id"))
        .values_list("level", "kind", "statistics_type", "functional_group", "n")
    )
    return Cube(("level", "kind", "statistics_type", "functional_group"), [tuple(r) for r in rows])


def member_cube(organization_id: int, as_of: dt.date, scope) -> Cube:
    """Members registered in the subtree on ``as_of``, by status and the person's columns.

    The periods are grouped by the age group, the status and the profile (the person's other
    counted columns, as one small number); the profiles are then spelled out into columns."""
    registrations = _scoped(
        MembershipPeriod.objects.filter(_on(as_of)).filter(
            organization_id__in=subtree_ids(organization_id, as_of),
            status__in=[MemberStatus.PROBATIONARY, MemberStatus.FULL],
        ),
        scope,
    )
    bands = age_bands_on(as_of)
    grouped = list(
        registrations.order_by()
        .annotate(c_age_band=_age_case(bands, as_of, "date_of_birth"))
        .values("c_age_band", "status", "profile_id")
        .annotate(n=Count("pk"))
        .values_list("c_age_band", "status", "profile_id", "n")
    )
    profiles = {
        row[0]: row[1:]
        for row in MemberProfile.objects.filter(
            pk__in={profile_id for _band, _status, profile_id, _n in grouped}
        ).values_list("pk", *PROFILE_FIELDS)
    }
    rows = [
        (band, *_grouped_theory(profiles[profile_id]), status, n)
        for band, status, profile_id, n in grouped
    ]
    return Cube(columns=("age_band", *PROFILE_FIELDS, "status"), rows=rows)


def status_cube(organization_id: int, as_of: dt.date, scope) -> Cube:
    """Members registered in the subtree on ``as_of`` by status only."""
    rows = (
        _scoped(
            MembershipPeriod.objects.filter(_on(as_of)).filter(
                organization_id__in=subtree_ids(organization_id, as_of),
                status__in=[MemberStatus.PROBATIONARY, MemberStatus.FULL],
            ),
            scope,
        )
        .order_by()
        .values("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return Cube(("status",), [tuple(row) for row in rows])


def count_members(organization_id: int, as_of: dt.date, scope) -> int:
    return _scoped(
        MembershipPeriod.objects.filter(_on(as_of)).filter(
            organization_id__in=subtree_ids(organization_id, as_of),
            status__in=[MemberStatus.PROBATIONARY, MemberStatus.FULL],
        ),
        scope,
    ).count()


def count_staff(organization_id: int, as_of: dt.date, scope) -> int:
    """Employments on ``as_of`` in the subtree (a person's employments never overlap)."""
    return (
        _scoped(
            Employment.objects.filter(organization_id__in=subtree_ids(organization_id, as_of)),
            scope,
        )
        .filter(start_date__lte=as_of)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=as_of))
        .count()
    )


# --- What happened in the subtree over a period -----------------------------------------------


# Above this many organizations entering or leaving the subtree within a period, their dated
# conditions are checked by a correlated subquery instead of being spelled out.
DATED_LIMIT = 200


def _throughout(organization_id: int, start: dt.date, end: dt.date):
    """Closure rows of organizations in the subtree from ``start`` to ``end`` without a break."""
    return OrganizationClosure.objects.filter(
        ancestor_id=organization_id, valid_from__lte=start
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=end))


def _changed_within(organization_id: int, start: dt.date, end: dt.date):
    """Closure rows of organizations that entered or left the subtree between the two dates."""
    return (
        OrganizationClosure.objects.filter(ancestor_id=organization_id, valid_from__lte=end)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=start))
        .filter(Q(valid_from__gt=start) | Q(valid_to__isnull=False, valid_to__lte=end))
    )


def _subtree_changed(organization_id: int, start: dt.date, end: dt.date) -> bool:
    return _changed_within(organization_id, start, end).exists()


def _in_subtree_over(
    organization_id: int, start: dt.date, end: dt.date, column: str = "organization_id"
) -> Q:
    """The row's organization (``column``) lay in the subtree on the row's own ``date``, for
    rows dated in [start, end]. Organizations in the subtree over the whole period are one
    semi-join; the few that entered or left it during the period add their dated conditions."""
    throughout = _throughout(organization_id, start, end)
    partial = list(
        _changed_within(organization_id, start, end).values_list(
            "descendant_id", "valid_from", "valid_to"
        )[: DATED_LIMIT + 1]
    )
    condition = Q(**{f"{column}__in": throughout.values("descendant_id")})
    if len(partial) > DATED_LIMIT:
        return condition | Q(_in_subtree_on_event_date(organization_id, column))
    for descendant_id, valid_from, valid_to in partial:
        dated = Q(**{column: descendant_id, "date__gte": valid_from})
        if valid_to is not None:
            dated &= Q(date__lt=valid_to)
        condition |= dated
    return condition


def _in_subtree_on_event_date(organization_id: int, column: str = "organization_id") -> Exists:
    """The row's organization lay in the subtree on the row's own ``date`` (any period)."""
    return Exists(
        OrganizationClosure.objects.filter(
            ancestor_id=organization_id,
            descendant_id=OuterRef(column),
            valid_from__lte=OuterRef("date"),
        ).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=OuterRef("date")))
    )


def events_in(
    organization_id: int, start: dt.date, end: dt.date, scope, kinds
) -> QuerySet[MembershipEvent]:
    """Membership events of ``kinds`` dated in [start, end] at organizations of the subtree as
    it stood on each event's date."""
    events = MembershipEvent.objects.filter(kind__in=list(kinds), date__gte=start, date__lte=end)
    column = "organization_id"
    if _is_large(organization_id):
        # ``organization_id + 0``: read the period's events by (kind, date) and look each one's
        # organization up in the subtree, rather than probe the events of every organization
        # of the subtree through the (kind, organization, date) index, SQLite's choice for a
        # plain IN (23.854 probes for a city). A small subtree is best probed.
        events = events.alias(unindexed_organization=F("organization_id") + 0)
        column = "unindexed_organization"
    return _scoped(events.filter(_in_subtree_over(organization_id, start, end, column)), scope)


# A subtree of more organizations than this counts as large (``events_in``).
LARGE_SUBTREE = 2000


def _is_large(organization_id: int) -> bool:
    return OrganizationClosure.objects.filter(ancestor_id=organization_id)[
        LARGE_SUBTREE : LARGE_SUBTREE + 1
    ].exists()


def event_counts(organization_id: int, start: dt.date, end: dt.date, scope) -> Counter:
    """Events per kind in the period (admissions, recognitions, each kind of exit); transfers
    are counted by ``transfers``."""
    kinds = [
        MembershipEventKind.ADMISSION_DECISION,
        MembershipEventKind.RECOGNITION,
        *sorted(EXIT_KINDS),
    ]
    rows = (
        events_in(organization_id, start, end, scope, kinds)
        .order_by()
        .values("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    return Counter(dict(rows))


def _holds_every_organization(organization_id: int, start: dt.date, end: dt.date) -> bool:
    """Every organization in the database lay in the subtree from ``start`` to ``end``."""
    return _throughout(organization_id, start, end).count() == Organization.objects.count()


def transfers(organization_id: int, start: dt.date, end: dt.date, scope, *, inward: bool):
    """Permanent transfers into (``inward``) or out of the subtree in the period: the member's
    registration before the transfer lay outside (inside) the subtree, the one after inside
    (outside), each judged on the transfer's date. Moves within the subtree are neither."""
    changed = _subtree_changed(organization_id, start, end)
    if not changed and _holds_every_organization(organization_id, start, end):
        # The whole of the Party's tree (the national root, or a city's alone in its
        # database): every transfer stays inside. Checking the 200.000 transfers of a year
        # one by one takes 4 s nationally, for nothing.
        return MembershipEvent.objects.none()
    before = MembershipPeriod.objects.filter(
        member_id=OuterRef("member_id"), valid_to=OuterRef("date")
    )
    closure = OrganizationClosure.objects.filter(ancestor_id=organization_id)
    if changed:
        before_inside = before.filter(
            Exists(
                closure.filter(
                    descendant_id=OuterRef("organization_id"),
                    valid_from__lte=OuterRef(OuterRef("date")),
                ).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=OuterRef(OuterRef("date"))))
            )
        )
    else:
        before_inside = before.filter(
            organization_id__in=_throughout(organization_id, start, end).values("descendant_id")
        )
    events = MembershipEvent.objects.filter(
        kind=MembershipEventKind.TRANSFER, date__gte=start, date__lte=end
    )
    if inward:
        events = events.filter(_in_subtree_over(organization_id, start, end)).exclude(
            Exists(before_inside)
        )
        return _scoped(events, scope)
    # NOT EXISTS rather than NOT IN (subtree): at national scale PostgreSQL would compare each
    # transfer with the whole subtree when its hash does not fit in work_mem.
    events = events.filter(Exists(before_inside)).exclude(
        _in_subtree_on_event_date(organization_id)
    )
    if scope is not None:
        events = events.filter(Exists(before.filter(organization_id__in=scope)))
    return events


def admission_cube(organization_id: int, start: dt.date, end: dt.date, scope) -> Cube:
    """Admission decisions of the period by the new member's columns (age on ``end``) and
    whether they came from the Youth Union.

    The Youth Union is counted within each group rather than grouped by: grouped by, the
    subquery would run twice per admission on SQLite (in the SELECT and in the GROUP BY)."""
    youth_union = Exists(
        Candidate.objects.filter(
            person_id=OuterRef("member__person_id"), source=CandidateSource.YOUTH_UNION
        )
    )
    person = "member__person__"
    columns = [f"c_{column}" for column in ("age_band", *PROFILE_FIELDS)]
    grouped = (
        events_in(organization_id, start, end, scope, [MembershipEventKind.ADMISSION_DECISION])
        .order_by()
        .annotate(
            c_age_band=_age_case(age_bands_on(end), end, f"{person}date_of_birth"),
            **{f"c_{column}": F(f"{person}{column}") for column in PROFILE_FIELDS},
        )
        .values(*columns)
        .annotate(n=Count("pk"), youth_union=Count("pk", filter=youth_union))
        .values_list(*columns, "n", "youth_union")
    )
    rows = []
    for band, *profile, n, youth_union_members in grouped:
        values = (band, *_grouped_theory(tuple(profile)))
        if youth_union_members:
            rows.append((*values, True, youth_union_members))
        if n > youth_union_members:
            rows.append((*values, False, n - youth_union_members))
    return Cube(columns=("age_band", *PROFILE_FIELDS, "youth_union"), rows=rows)
