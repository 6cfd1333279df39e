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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from django.db import connection
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
    Employment,
    Ethnicity,
    MembershipEvent,
    MembershipEventKind,
    MembershipPeriod,
    MemberStatus,
)
from dangbo.organizations.models import Organization, OrganizationClosure
from dangbo.organizations.selectors import subtree_ids

_PERSON_COLUMNS = (
    "sex",
    "ethnicity_id",
    "religion",
    "general_education",
    "professional_level",
    "political_theory_level",
    "occupation",
)


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

    ``rows`` is the whole cube, one count per combination of every column. PostgreSQL instead
    sends ``bases``, the counts over a few sets of the columns (GROUPING SETS), which is all the
    forms ask for and far fewer rows to group. A count reads the cube's margin over the columns
    it tests, built once per set of columns from the smallest base that holds them, so a form
    of a few hundred cells costs a few passes over the cube, not one per cell."""

    columns: tuple[str, ...]
    rows: list[tuple] = field(default_factory=list)  # (*values, n)
    bases: dict[tuple[str, ...], Counter] = field(default_factory=dict)
    _margins: dict[tuple[str, ...], Counter] = field(default_factory=dict, repr=False)

    def _index(self, column: str) -> int:
        return self.columns.index(column)

    def _source(self, columns: tuple[str, ...]) -> tuple[tuple[str, ...], Iterable[tuple]]:
        """The columns and (*values, n) rows of the smallest base holding ``columns``."""
        if not self.bases:
            return self.columns, self.rows
        holding = [base for base in self.bases if set(columns) <= set(base)]
        if not holding:
            raise KeyError(f"no base of the cube holds {columns}")
        base = min(holding, key=lambda b: len(self.bases[b]))
        return base, ((*values, n) for values, n in self.bases[base].items())

    def margin(self, columns: tuple[str, ...]) -> Counter:
        """Counts per combination of ``columns`` only."""
        found = self._margins.get(columns)
        if found is None:
            source_columns, rows = self._source(columns)
            indexes = [source_columns.index(column) for column in columns]
            key = itemgetter(*indexes) if indexes else (lambda row: ())
            single = len(indexes) == 1
            counts: dict[tuple, int] = {}
            get = counts.get
            for row in rows:
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
        return sum(self.margin(()).values())

    def regroup(self, column: str, group: Callable[[Any], object]) -> None:
        """Count the values of ``column`` by ``group(value)`` from now on."""
        self._margins.clear()
        index = self._index(column)
        self.rows = [(*row[:index], group(row[index]), *row[index + 1 :]) for row in self.rows]
        for base, counts in self.bases.items():
            if column in base:
                at = base.index(column)
                regrouped: Counter = Counter()
                for values, n in counts.items():
                    regrouped[(*values[:at], group(values[at]), *values[at + 1 :])] += n
                self.bases[base] = regrouped


def _grouped(queryset, annotations: dict, sets: list[tuple[str, ...]] | None) -> Cube:
    """Group ``queryset`` by ``annotations``: the whole cube, or on PostgreSQL the counts over
    each of ``sets`` in one pass (GROUPING SETS, which SQLite does not have)."""
    columns = tuple(annotations)
    values = queryset.order_by().annotate(
        **{f"c_{name}": expression for name, expression in annotations.items()}
    )
    if sets is None or connection.vendor != "postgresql":
        rows = (
            values.values(*[f"c_{name}" for name in columns])
            .annotate(n=Count("pk"))
            .values_list(*[f"c_{name}" for name in columns], "n")
        )
        return Cube(columns=columns, rows=[tuple(row) for row in rows])
    inner, params = values.values(*[f"c_{name}" for name in columns]).query.sql_with_params()
    names = ", ".join(f"c_{name}" for name in columns)
    grouping_sets = ", ".join("(" + ", ".join(f"c_{name}" for name in base) + ")" for base in sets)
    sql = (
        f"SELECT GROUPING({names}), {names}, COUNT(*) FROM ({inner}) counted "
        f"GROUP BY GROUPING SETS ({grouping_sets})"
    )
    # GROUPING() sets the bit of each column left out of the row's set, first column highest.
    width = len(columns)
    set_of = {
        sum(1 << (width - 1 - i) for i, name in enumerate(columns) if name not in base): base
        for base in sets
    }
    bases: dict[tuple[str, ...], Counter] = {base: Counter() for base in sets}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for mask, *row, n in cursor.fetchall():
            base = set_of[mask]
            bases[base][tuple(row[columns.index(name)] for name in base)] += n
    return Cube(columns=columns, bases=bases)


def _person_cube(
    queryset,
    *,
    person: str,
    day: dt.date,
    extra: dict | None = None,
    across: tuple[str, ...] | None = None,
) -> Cube:
    """Group ``queryset`` by the person's counted columns (reached through ``person``), the age
    group on ``day`` and the ``extra`` expressions.

    The forms cross each of these columns with the sex, the ethnic group and the columns
    ``across`` only; given ``across``, PostgreSQL counts just those crossings (worth it for the
    hundreds of thousands of members, not for a year's admissions)."""
    bands = age_bands_on(day)
    annotations = {
        "age_band": _age_case(bands, day, f"{person}date_of_birth"),
        **{column: F(f"{person}{column}") for column in _PERSON_COLUMNS},
        **(extra or {}),
    }
    sets = None
    if across is not None:
        crossed = ("sex", "ethnicity_id", *across)
        sets = [(column, *crossed) for column in annotations if column not in crossed]
    cube = _grouped(queryset, annotations, sets)
    # Advanced and bachelor theory levels are counted together (DOMAIN.md §10).
    cube.regroup("political_theory_level", theory_group)
    return cube


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
    """Members registered in the subtree on ``as_of``, by status and the person's columns."""
    registrations = _scoped(
        MembershipPeriod.objects.filter(_on(as_of)).filter(
            organization_id__in=subtree_ids(organization_id, as_of),
            status__in=[MemberStatus.PROBATIONARY, MemberStatus.FULL],
        ),
        scope,
    )
    # The person's columns are read from the period's copies (COUNTED_PERSON_FIELDS).
    return _person_cube(
        registrations, person="", day=as_of, extra={"status": F("status")}, across=("status",)
    )


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
    return _scoped(
        MembershipEvent.objects.filter(kind__in=list(kinds), date__gte=start, date__lte=end).filter(
            _in_subtree_over(organization_id, start, end)
        ),
        scope,
    )


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


def transfers(organization_id: int, start: dt.date, end: dt.date, scope, *, inward: bool):
    """Permanent transfers into (``inward``) or out of the subtree in the period: the member's
    registration before the transfer lay outside (inside) the subtree, the one after inside
    (outside), each judged on the transfer's date. Moves within the subtree are neither."""
    before = MembershipPeriod.objects.filter(
        member_id=OuterRef("member_id"), valid_to=OuterRef("date")
    )
    closure = OrganizationClosure.objects.filter(ancestor_id=organization_id)
    if _subtree_changed(organization_id, start, end):
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
    whether they came from the Youth Union."""
    youth_union = Exists(
        Candidate.objects.filter(
            person_id=OuterRef("member__person_id"), source=CandidateSource.YOUTH_UNION
        )
    )
    admissions = events_in(
        organization_id, start, end, scope, [MembershipEventKind.ADMISSION_DECISION]
    )
    return _person_cube(
        admissions,
        person="member__person__",
        day=end,
        extra={"youth_union": youth_union},
    )
