"""Progress of admissions against a term's target, as of a date.

Progress counts admission decisions (``MembershipEvent`` of kind ``admission_decision``) dated
from the start of the term to the date asked, at the organizations of the subtree as the tree
stood on that date, within the user's count scope (statisticians see counts too).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from dangbo.core.access import scope_for
from dangbo.members.models import (
    MembershipEvent,
    MembershipEventKind,
    MembershipPeriod,
    MemberStatus,
)
from dangbo.organizations.models import Organization
from dangbo.organizations.selectors import subtree_ids
from dangbo.targets.models import ProgressVerdict, Target, Term
from dangbo.targets.selectors.terms import get_target, get_term_and_target


def judge(*, admitted: int, target: int | Decimal, elapsed_days: int, days: int) -> str:
    """The ``ProgressVerdict`` of ``admitted`` against ``target`` with ``elapsed_days`` of the
    period's ``days`` gone: exceeded when the count reaches the target; on track when its share
    of the target is at least the share of the time elapsed; behind otherwise."""
    if elapsed_days <= 0:
        return ProgressVerdict.NOT_STARTED
    if admitted >= target:
        return ProgressVerdict.EXCEEDED
    # admitted / target >= elapsed / days, without rounding.
    if elapsed_days < days and admitted * days >= target * elapsed_days:
        return ProgressVerdict.ON_TRACK
    return ProgressVerdict.BEHIND


def elapsed_days(starts_on: dt.date, ends_on: dt.date, as_of: dt.date) -> int:
    """Days of [starts_on, ends_on] up to ``as_of``, both ends included (0 before the start)."""
    if as_of < starts_on:
        return 0
    return (min(as_of, ends_on) - starts_on).days + 1


@dataclass(frozen=True)
class YearProgress:
    """Admissions in one calendar year of a term (the part of the year inside the term), and
    with a yearly rate its expected count: rate × members on 1 January × the share of the year
    inside the term."""

    year: int
    starts_on: dt.date
    ends_on: dt.date
    admitted: int
    members_at_start: int | None = None
    expected: Decimal | None = None
    verdict: str | None = None

    @property
    def share_percent(self) -> float | None:
        if self.expected is None or not self.expected:
            return None
        return float(100 * self.admitted / self.expected)

    @property
    def verdict_label(self) -> str:
        return verdict_label(self.verdict)


@dataclass(frozen=True)
class TermProgress:
    """Admissions of an organization's subtree in a term as of a date, against the
    organization's own target (if any)."""

    term: Term
    organization: Organization
    as_of: dt.date
    target: Target | None
    admitted: int
    years: tuple[YearProgress, ...]

    @property
    def counted_to(self) -> dt.date:
        """The last day counted: the date asked, or the end of the term if earlier."""
        return min(self.as_of, self.term.ends_on)

    @property
    def term_days(self) -> int:
        return self.term.days

    @property
    def elapsed_days(self) -> int:
        return elapsed_days(self.term.starts_on, self.term.ends_on, self.as_of)

    @property
    def expected_share_percent(self) -> float:
        """The share of the term elapsed, in percent: days elapsed / days of the term."""
        return 100 * self.elapsed_days / self.term_days

    @property
    def new_members(self) -> int | None:
        return self.target.new_members if self.target else None

    @property
    def yearly_rate_percent(self) -> Decimal | None:
        return self.target.yearly_rate_percent if self.target else None

    @property
    def share_percent(self) -> float | None:
        """Admissions as a share of the new-members target, in percent."""
        return 100 * self.admitted / self.new_members if self.new_members else None

    @property
    def verdict(self) -> str | None:
        """The verdict against the new-members target (None without one)."""
        if not self.new_members:
            return None
        return judge(
            admitted=self.admitted,
            target=self.new_members,
            elapsed_days=self.elapsed_days,
            days=self.term_days,
        )

    @property
    def current_year(self) -> YearProgress | None:
        """The last year counted: the year of the date asked, or the term's last year."""
        return self.years[-1] if self.years else None

    @property
    def rate_verdict(self) -> str | None:
        """The verdict against the yearly rate, for the current year (None without a rate)."""
        if self.yearly_rate_percent is None:
            return None
        if self.current_year is None:
            return ProgressVerdict.NOT_STARTED
        return self.current_year.verdict

    @property
    def headline_verdict(self) -> str | None:
        """The verdict to show in one line: against new members, else against the rate."""
        return self.verdict if self.verdict is not None else self.rate_verdict

    @property
    def verdict_label(self) -> str:
        return verdict_label(self.verdict)

    @property
    def rate_verdict_label(self) -> str:
        return verdict_label(self.rate_verdict)

    @property
    def headline_verdict_label(self) -> str:
        return verdict_label(self.headline_verdict)


def verdict_label(verdict: str | None) -> str:
    """The verdict as shown to people (empty for none)."""
    return str(ProgressVerdict(verdict).label) if verdict else ""


def _year_parts(term: Term, as_of: dt.date) -> list[tuple[int, dt.date, dt.date]]:
    """(year, first day, last day) of each calendar year of the term up to ``as_of``."""
    if as_of < term.starts_on:
        return []
    last = min(as_of, term.ends_on)
    return [
        (year, max(term.starts_on, dt.date(year, 1, 1)), min(term.ends_on, dt.date(year, 12, 31)))
        for year in range(term.starts_on.year, last.year + 1)
    ]


def compute_progress(
    *,
    term: Term,
    organization: Organization,
    target: Target | None,
    as_of: dt.date,
    scope: QuerySet | None,
) -> TermProgress:
    """Progress with the scope already decided (``core.access.scope_for``): one statement for
    the admissions per year, and one more for the members on each 1 January with a rate."""
    tree = subtree_ids(organization.pk, as_of)

    def scoped(queryset: QuerySet) -> QuerySet:
        return queryset if scope is None else queryset.filter(organization_id__in=scope)

    parts = _year_parts(term, as_of)
    counted_to = min(as_of, term.ends_on)
    per_year: dict[str, int] = {}
    if parts:
        events = scoped(
            MembershipEvent.objects.filter(
                kind=MembershipEventKind.ADMISSION_DECISION,
                organization_id__in=tree,
                date__gte=term.starts_on,
                date__lte=counted_to,
            )
        )
        per_year = events.aggregate(
            **{
                f"y{year}": Count("id", filter=Q(date__gte=first, date__lte=last))
                for year, first, last in parts
            }
        )
    rate = target.yearly_rate_percent if target else None
    members: dict[str, int] = {}
    if rate is not None and parts:
        periods = scoped(
            MembershipPeriod.objects.filter(
                organization_id__in=tree,
                status__in=[MemberStatus.PROBATIONARY, MemberStatus.FULL],
                valid_from__lte=dt.date(parts[-1][0], 1, 1),
            )
        )
        members = periods.aggregate(
            **{
                f"y{year}": Count(
                    "id",
                    filter=Q(valid_from__lte=dt.date(year, 1, 1))
                    & (Q(valid_to__isnull=True) | Q(valid_to__gt=dt.date(year, 1, 1))),
                )
                for year, _first, _last in parts
            }
        )
    years = []
    for year, first, last in parts:
        admitted = per_year.get(f"y{year}") or 0
        if rate is None:
            years.append(YearProgress(year=year, starts_on=first, ends_on=last, admitted=admitted))
            continue
        at_start = members.get(f"y{year}") or 0
        days = (last - first).days + 1
        year_days = (dt.date(year, 12, 31) - dt.date(year, 1, 1)).days + 1
        expected = rate * at_start * days / year_days / 100
        years.append(
            YearProgress(
                year=year,
                starts_on=first,
                ends_on=last,
                admitted=admitted,
                members_at_start=at_start,
                expected=expected,
                verdict=judge(
                    admitted=admitted,
                    target=expected,
                    elapsed_days=elapsed_days(first, last, as_of),
                    days=days,
                ),
            )
        )
    return TermProgress(
        term=term,
        organization=organization,
        as_of=as_of,
        target=target,
        admitted=sum(y.admitted for y in years),
        years=tuple(years),
    )


def term_progress(
    *, user, organization: Organization, as_of: dt.date, term: Term | None = None
) -> TermProgress | None:
    """Admissions of ``organization``'s subtree (as of ``as_of``, within the user's count scope)
    in ``term`` — by default the term running on ``as_of`` — against the organization's own
    target: count, share of the target, the share of the term elapsed, a verdict, and the
    admissions per calendar year. None when no term runs on that date."""
    if term is None:
        term, target = get_term_and_target(organization, as_of)
        if term is None:
            return None
    else:
        target = get_target(term, organization)
    scope = scope_for(user, personal=False, within=(organization.pk, as_of))
    return compute_progress(
        term=term, organization=organization, target=target, as_of=as_of, scope=scope
    )
