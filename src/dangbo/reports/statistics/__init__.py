"""Statistics of an organization's subtree: the forms (``forms``), computed by the engine
(``engine``) from the categories of ``dimensions``. ``get_statistics`` is the one entry point
for pages, files and reports; it keeps to the user's count scope and caches under the data
version, like the headline figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache

from dangbo.core.access import granted_organization_ids, scope_for
from dangbo.core.audit import data_version
from dangbo.members.categories import THEORY_LABELS, THEORY_LEVELS, AgeBand, age_bands_on
from dangbo.members.models import MemberStatus, Sex
from dangbo.organizations.models import Organization
from dangbo.reports.statistics import engine
from dangbo.reports.statistics.forms import (
    Table,
    admission_table,
    is_,
    member_table,
    movement_table,
    organization_table,
)
from dangbo.targets.models import Term
from dangbo.targets.selectors import TermProgress, compute_progress, get_term_and_target

CACHE_SECONDS = 24 * 3600
# Year ends shown in the chart of members over time.
HISTORY_YEARS = 6


@dataclass(frozen=True)
class Statistics:
    organization: Organization
    as_of: dt.date
    start: dt.date  # the period counted for admissions and movements: [start, as_of]
    organizations: Table
    members: Table
    admissions: Table
    movement: Table
    staff: int
    member_count: int
    probationary: int
    admitted: int
    youth_union_admitted: int
    age_pyramid: tuple[tuple[str, int, int], ...]  # (age group, men, women)
    theory_levels: tuple[tuple[str, int], ...]
    history: tuple[tuple[dt.date, int, int], ...]  # (year end, probationary, full)
    term: Term | None
    progress: TermProgress | None
    yearly_targets: tuple[tuple[int, int, int | None], ...]  # (year, admitted, target)

    @property
    def tables(self) -> tuple[Table, ...]:
        return (self.organizations, self.members, self.admissions, self.movement)

    def table(self, key: str) -> Table | None:
        return next((t for t in self.tables if t.key == key), None)

    @property
    def member_share_percent(self) -> float | None:
        return 100 * self.member_count / self.staff if self.staff else None


def get_statistics(
    *, user, organization: Organization, as_of: dt.date, start: dt.date | None = None
) -> Statistics:
    """The statistics of ``organization``'s subtree as of ``as_of`` (the tree of that day), with
    the period from ``start`` (default: 1 January of that year) to ``as_of``."""
    start = start or dt.date(as_of.year, 1, 1)
    scope = scope_for(user, personal=False, within=(organization.pk, as_of))
    scope_key = "all" if scope is None else "-".join(map(str, granted_organization_ids(user)))
    key = f"statistics:{data_version()}:{organization.pk}:{as_of}:{start}:{scope_key}"
    found = cache.get(key)
    if found is None:
        found = compute_statistics(organization, as_of, start, scope)
        cache.set(key, found, CACHE_SECONDS)
    return found


def compute_statistics(
    organization: Organization, as_of: dt.date, start: dt.date, scope
) -> Statistics:
    pk = organization.pk
    bands = age_bands_on(as_of)
    minorities = engine.minority_ids()
    members = engine.member_cube(pk, as_of, scope)
    staff = engine.count_staff(pk, as_of, scope)
    admissions = engine.admission_cube(pk, start, as_of, scope)
    events = engine.event_counts(pk, start, as_of, scope)
    transfers_in = engine.transfers(pk, start, as_of, scope, inward=True).count()
    transfers_out = engine.transfers(pk, start, as_of, scope, inward=False).count()
    before = start - dt.timedelta(days=1)
    members_before = engine.count_members(pk, before, scope)
    history = member_history(pk, as_of, scope, last=members)
    pyramid = []
    for index, band in enumerate(bands):
        men = members.count(age_band=is_(index), sex=is_(Sex.MALE))
        women = members.count(age_band=is_(index), sex=is_(Sex.FEMALE))
        pyramid.append((band.label, men, women))
    theory = members.breakdown("political_theory_level")
    term, target = get_term_and_target(organization, as_of)
    progress = None
    yearly: list[tuple[int, int, int | None]] = []
    if term is not None:
        progress = compute_progress(
            term=term, organization=organization, target=target, as_of=as_of, scope=scope
        )
        yearly = list(yearly_targets(progress))
    return Statistics(
        organization=organization,
        as_of=as_of,
        start=start,
        organizations=organization_table(
            engine.organization_cube(pk, as_of, scope),
            organization_id=pk,
            as_of=as_of,
            staff=staff,
            members=members.total,
        ),
        members=member_table(
            members, organization_id=pk, as_of=as_of, bands=bands, minorities=minorities
        ),
        admissions=admission_table(
            admissions,
            organization_id=pk,
            start=start,
            end=as_of,
            bands=bands,
            minorities=minorities,
        ),
        movement=movement_table(
            organization_id=pk,
            start=start,
            end=as_of,
            members_before=members_before,
            members_after=members.total,
            events=events,
            transfers_in=transfers_in,
            transfers_out=transfers_out,
        ),
        staff=staff,
        member_count=members.total,
        probationary=members.count(status=is_(MemberStatus.PROBATIONARY)),
        admitted=admissions.total,
        youth_union_admitted=admissions.count(youth_union=bool),
        age_pyramid=tuple(pyramid),
        theory_levels=tuple((str(THEORY_LABELS[key]), theory.get(key, 0)) for key in THEORY_LEVELS),
        history=history,
        term=term,
        progress=progress,
        yearly_targets=tuple(yearly),
    )


def member_history(
    organization_id: int, as_of: dt.date, scope, *, last: engine.Cube | None = None
) -> tuple[tuple[dt.date, int, int], ...]:
    """(day, probationary, full) on each 31 December of the last years, and on ``as_of``
    (``last``: the members on ``as_of`` when already counted)."""
    history = []
    for year in range(as_of.year - HISTORY_YEARS + 1, as_of.year + 1):
        day = min(dt.date(year, 12, 31), as_of)
        if day == as_of and last is not None:
            cube = last
        else:
            cube = engine.status_cube(organization_id, day, scope)
        history.append(
            (
                day,
                cube.count(status=is_(MemberStatus.PROBATIONARY)),
                cube.count(status=is_(MemberStatus.FULL)),
            )
        )
    return tuple(history)


def get_member_history(
    *, user, organization: Organization, as_of: dt.date
) -> tuple[tuple[dt.date, int, int], ...]:
    """``member_history`` for the dashboard, scoped and cached like ``get_statistics``."""
    scope = scope_for(user, personal=False, within=(organization.pk, as_of))
    scope_key = "all" if scope is None else "-".join(map(str, granted_organization_ids(user)))
    key = f"member-history:{data_version()}:{organization.pk}:{as_of}:{scope_key}"
    found = cache.get(key)
    if found is None:
        found = member_history(organization.pk, as_of, scope)
        cache.set(key, found, CACHE_SECONDS)
    return found


def yearly_targets(progress: TermProgress) -> tuple[tuple[int, int, int | None], ...]:
    """(year, admitted, expected) for each year of the term counted so far."""
    return tuple(
        (
            year.year,
            year.admitted,
            _year_target(progress, year.starts_on, year.ends_on, year.expected),
        )
        for year in progress.years
    )


def _year_target(
    progress: TermProgress, first: dt.date, last: dt.date, expected: Decimal | None
) -> int | None:
    """The admissions expected in one year of the term: by the yearly rate when there is one,
    else the term's new-members target spread over its days."""
    if expected is not None:
        return round(expected)
    if progress.new_members:
        days = (last - first).days + 1
        return round(progress.new_members * days / progress.term_days)
    return None


__all__ = [
    "AgeBand",
    "Statistics",
    "Table",
    "compute_statistics",
    "get_statistics",
]
