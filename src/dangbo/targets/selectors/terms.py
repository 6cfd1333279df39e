"""Reads of Congress terms: the term running on a date, and which terms a user may see."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from dangbo.core.access import scope_organization_ids, top_organizations
from dangbo.organizations.models import Organization, OrganizationClosure
from dangbo.organizations.selectors import get_organization
from dangbo.targets.models import Target, Term

TARGET_FIELDS = ("id", "new_members", "yearly_rate_percent", "resolution")


def target_of(organization: Organization | int | OuterRef) -> QuerySet:
    """For an outer Term row: the target its term sets for ``organization``."""
    return Target.objects.filter(term=OuterRef("pk"), organization=organization)


def get_term_and_target(
    organization: Organization, day: dt.date
) -> tuple[Term | None, Target | None]:
    """The term running on ``day`` of the organization or of its nearest ancestor, with the
    organization's own target for it (None if it has none): two statements in all."""
    ancestry = (
        OrganizationClosure.objects.filter(descendant=organization, valid_from__lte=day)
        .exclude(valid_to__lte=day)
        .values_list("ancestor_id", "depth")
    )
    depth_of = dict(ancestry)
    own = target_of(organization)
    terms = Term.objects.filter(
        organization_id__in=list(depth_of), starts_on__lte=day, ends_on__gte=day
    ).annotate(**{f"target_{name}": Subquery(own.values(name)[:1]) for name in TARGET_FIELDS})
    term = min(terms, key=lambda t: depth_of[t.organization_id], default=None)
    if term is None:
        return None, None
    target = None
    if term.target_id is not None:
        target = Target(
            term=term,
            organization=organization,
            **{
                ("pk" if name == "id" else name): getattr(term, f"target_{name}")
                for name in TARGET_FIELDS
            },
        )
    return term, target


def get_term(organization: Organization, day: dt.date) -> Term | None:
    """The term running on ``day`` of the organization, or else of its nearest ancestor."""
    return get_term_and_target(organization, day)[0]


def get_target(term: Term, organization: Organization) -> Target | None:
    """The organization's own target for the term; a target above it does not apply to it."""
    return Target.objects.filter(term=term, organization=organization).first()


# --- Which terms a user may see -------------------------------------------------------------------


def _applies_during_term(descendants) -> Exists:
    """For a Term row: does it apply, at some time during the term, to one of ``descendants``
    (its organization, or one under it then)?"""
    return Exists(
        OrganizationClosure.objects.filter(
            ancestor_id=OuterRef("organization_id"),
            descendant_id__in=descendants,
            valid_from__lte=OuterRef("ends_on"),
        ).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=OuterRef("starts_on")))
    )


def visible_terms(user) -> QuerySet[Term]:
    """Terms the user may see: those that apply, during their period, to an organization in the
    user's count scope (the terms of those organizations and of the committees above them).
    A term is not personal data; the progress shown with it is limited to the scope."""
    if user is not None and user.is_authenticated and user.is_active and user.is_superuser:
        return Term.objects.all()
    return Term.objects.filter(_applies_during_term(scope_organization_ids(user, personal=False)))


def term_applies_to(term: Term, organization: Organization) -> bool:
    """Was ``organization`` the term's own, or under it, at some time during the term?"""
    return (
        OrganizationClosure.objects.filter(
            ancestor_id=term.organization_id,
            descendant_id=organization.pk,
            valid_from__lte=term.ends_on,
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=term.starts_on))
        .exists()
    )


def get_term_for(*, user, pk, organization_pk=None) -> tuple[Term, Organization]:
    """A term the user may see, with the organization to show its progress for: the one asked
    for (in the user's scope, and under the term), else the term's own organization when it is
    in scope, else the highest organization of the scope under it. 404 for anything else."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    term = visible_terms(user).select_related("organization").filter(pk=pk).first()
    if term is None:
        raise Http404
    if organization_pk not in (None, ""):
        organization = get_organization(user=user, pk=organization_pk)
        if not term_applies_to(term, organization):
            raise Http404
        return term, organization
    own = Organization.objects.visible_to(user).filter(pk=term.organization_id).exists()
    if own:
        return term, term.organization
    for top in top_organizations(user, personal=False):
        if term_applies_to(term, top):
            return term, top
    raise Http404
