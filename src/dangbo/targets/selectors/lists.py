"""Terms and targets with their counts as of a date, for the pages: one statement a page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from dangbo.core.access import scope_organization_ids
from dangbo.members.models import MembershipEvent, MembershipEventKind
from dangbo.organizations.models import LEVEL_DEPTH, Organization, OrganizationClosure
from dangbo.organizations.selectors import list_scope_tops, subtree_ids
from dangbo.targets.models import Target, Term
from dangbo.targets.selectors.progress import elapsed_days, judge, verdict_label
from dangbo.targets.selectors.terms import target_of


def _count_subquery(queryset: QuerySet) -> Subquery:
    counted = queryset.order_by().annotate(
        _n=Func(F("id"), template="COUNT(%(expressions)s)", output_field=IntegerField())
    )
    return Subquery(counted.values("_n"), output_field=IntegerField())


def _admitted_annotation(
    *, user, as_of: dt.date, organization: int | str, starts_on, ends_on
) -> Subquery:
    """Admissions in [starts_on, min(as_of, ends_on)] in the subtree of ``organization`` as of
    ``as_of``, within the user's count scope. ``organization`` is an id, or the name of the
    outer row's column holding it; ``starts_on`` and ``ends_on`` are dates or outer references."""
    # The subtree is a subquery of the events subquery: the outer row is two levels up.
    ancestor = OuterRef(OuterRef(organization)) if isinstance(organization, str) else organization
    tree = (
        OrganizationClosure.objects.filter(ancestor_id=ancestor)
        .filter(valid_from__lte=as_of)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=as_of))
        .values("descendant_id")
    )
    events = MembershipEvent.objects.filter(
        kind=MembershipEventKind.ADMISSION_DECISION,
        organization_id__in=tree,
        date__gte=starts_on,
        date__lte=as_of,
    ).filter(date__lte=ends_on)
    if not user.is_superuser:
        events = events.filter(organization_id__in=scope_organization_ids(user, personal=False))
    return _count_subquery(events)


def _target_annotations(organization) -> dict[str, Subquery]:
    """For an outer Term row: the figures of the target it sets for ``organization``."""
    own = target_of(organization)
    return {
        "target_new_members": Subquery(own.values("new_members")[:1]),
        "target_rate": Subquery(own.values("yearly_rate_percent")[:1]),
    }


_LEVEL_ORDER = Case(
    *[When(organization__level=level, then=Value(depth)) for level, depth in LEVEL_DEPTH.items()],
    default=Value(99),
    output_field=IntegerField(),
)


@dataclass(frozen=True)
class TermRow:
    """One line of the terms page: a term, the organization whose progress is shown (the
    term's own, or one under it), its own target and the count as of the date."""

    term: Term
    organization: Organization
    as_of: dt.date
    admitted: int
    new_members: int | None
    yearly_rate_percent: Decimal | None

    @property
    def inherited(self) -> bool:
        return self.organization.pk != self.term.organization_id

    @property
    def share_percent(self) -> float | None:
        return 100 * self.admitted / self.new_members if self.new_members else None

    @property
    def verdict(self) -> str | None:
        if not self.new_members:
            return None
        return judge(
            admitted=self.admitted,
            target=self.new_members,
            elapsed_days=elapsed_days(self.term.starts_on, self.term.ends_on, self.as_of),
            days=self.term.days,
        )

    @property
    def verdict_label(self) -> str:
        return verdict_label(self.verdict)


def _row(term: Term, organization: Organization, as_of: dt.date) -> TermRow:
    return TermRow(
        term=term,
        organization=organization,
        as_of=as_of,
        admitted=term.admitted or 0,
        new_members=term.target_new_members,
        yearly_rate_percent=term.target_rate,
    )


def list_inherited_term_rows(
    *, user, as_of: dt.date, organization: Organization | None = None
) -> list[TermRow]:
    """Terms of the committees above ``organization`` (or above each top of the user's scope)
    that applied to it during the term, with its own target and count: one statement for
    each organization."""
    tops = [organization] if organization is not None else list_scope_tops(user)
    rows: list[TermRow] = []
    for top in tops:
        above = OrganizationClosure.objects.filter(descendant_id=top.pk, depth__gt=0)
        terms = (
            Term.objects.filter(
                Exists(
                    above.filter(
                        ancestor_id=OuterRef("organization_id"),
                        valid_from__lte=OuterRef("ends_on"),
                    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=OuterRef("starts_on")))
                )
            )
            .select_related("organization")
            .annotate(
                admitted=_admitted_annotation(
                    user=user,
                    as_of=as_of,
                    organization=top.pk,
                    starts_on=OuterRef("starts_on"),
                    ends_on=OuterRef("ends_on"),
                ),
                **_target_annotations(top),
            )
            .order_by("-starts_on", "id")
        )
        rows.extend(_row(term, top, as_of) for term in terms)
    return rows


def list_own_terms(
    *, user, as_of: dt.date, organization: Organization | None = None
) -> QuerySet[Term]:
    """Terms of the organizations in the user's count scope (within ``organization``'s subtree
    as of ``as_of`` if given), highest level first, each annotated with its organization's
    own target and its count as of ``as_of`` (``admitted``); ``as_rows`` turns a page into
    ``TermRow``s."""
    terms = Term.objects.all()
    if not user.is_superuser:
        terms = terms.filter(organization_id__in=scope_organization_ids(user, personal=False))
    if organization is not None:
        terms = terms.filter(organization_id__in=subtree_ids(organization.pk, as_of))
    return (
        terms.select_related("organization")
        .annotate(
            level_order=_LEVEL_ORDER,
            admitted=_admitted_annotation(
                user=user,
                as_of=as_of,
                organization="organization_id",
                starts_on=OuterRef("starts_on"),
                ends_on=OuterRef("ends_on"),
            ),
            **_target_annotations(OuterRef("organization_id")),
        )
        .order_by("level_order", "organization__sort_key", "organization_id", "-starts_on", "id")
    )


def as_rows(terms, as_of: dt.date) -> list[TermRow]:
    """``TermRow``s of terms annotated by ``list_own_terms``."""
    return [_row(term, term.organization, as_of) for term in terms]


@dataclass(frozen=True)
class TargetRow:
    """A target of a term with its organization's count as of a date."""

    target: Target
    as_of: dt.date
    admitted: int

    @property
    def share_percent(self) -> float | None:
        new_members = self.target.new_members
        return 100 * self.admitted / new_members if new_members else None

    @property
    def verdict(self) -> str | None:
        term = self.target.term
        if not self.target.new_members:
            return None
        return judge(
            admitted=self.admitted,
            target=self.target.new_members,
            elapsed_days=elapsed_days(term.starts_on, term.ends_on, self.as_of),
            days=term.days,
        )

    @property
    def verdict_label(self) -> str:
        return verdict_label(self.verdict)


def list_targets(*, user, term: Term, as_of: dt.date) -> QuerySet[Target]:
    """The term's targets set on organizations in the user's count scope, each annotated with
    its organization's count as of ``as_of`` (``admitted``); one statement a page."""
    targets = Target.objects.filter(term=term)
    if not user.is_superuser:
        targets = targets.filter(organization_id__in=scope_organization_ids(user, personal=False))
    return (
        targets.select_related("organization", "term")
        .annotate(
            admitted=_admitted_annotation(
                user=user,
                as_of=as_of,
                organization="organization_id",
                starts_on=term.starts_on,
                ends_on=term.ends_on,
            )
        )
        .order_by("organization__sort_key", "organization_id")
    )


def as_target_rows(targets, as_of: dt.date) -> list[TargetRow]:
    """``TargetRow``s of targets annotated by ``list_targets``."""
    return [TargetRow(target=t, as_of=as_of, admitted=t.admitted or 0) for t in targets]
