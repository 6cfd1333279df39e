"""Writes of Congress terms and their admission targets, each with its audit row."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dangbo.core import access, audit
from dangbo.core.dates import EARLIEST_DATE
from dangbo.organizations.models import Organization
from dangbo.targets.models import Target, Term
from dangbo.targets.selectors import term_applies_to

TERM_FIELDS = ["organization_id", "name", "starts_on", "ends_on", "resolution"]
TARGET_FIELDS = ["term_id", "organization_id", "new_members", "yearly_rate_percent", "resolution"]
LATEST_DATE = dt.date(9998, 12, 31)


def validate_term(term: Term) -> None:
    """Refuse a term that does not make sense, in Vietnamese, naming the field."""
    errors: dict[str, list[str]] = {}
    if not term.name:
        errors.setdefault("name", []).append(_("Enter the name of the term."))
    for field, day in (("starts_on", term.starts_on), ("ends_on", term.ends_on)):
        if day is not None and not EARLIEST_DATE <= day <= LATEST_DATE:
            errors.setdefault(field, []).append(
                _("The date must lie between 03/02/1930 and 31/12/9998.")
            )
    if term.starts_on is None:
        errors.setdefault("starts_on", []).append(_("Enter the start date of the term."))
    if term.ends_on is None:
        errors.setdefault("ends_on", []).append(_("Enter the end date of the term."))
    if errors:
        raise ValidationError(errors)
    if term.ends_on <= term.starts_on:
        errors.setdefault("ends_on", []).append(_("The term must end after the day it starts."))
    organization = term.organization
    if organization.dissolved_on and organization.dissolved_on <= term.starts_on:
        errors.setdefault("starts_on", []).append(
            _("The organization “%(name)s” was dissolved on %(day)s, before the term starts.")
            % {"name": organization.name, "day": f"{organization.dissolved_on:%d/%m/%Y}"}
        )
    overlapping = (
        Term.objects.filter(organization=organization)
        .filter(starts_on__lte=term.ends_on, ends_on__gte=term.starts_on)
        .exclude(pk=term.pk)
        .first()
    )
    if overlapping is not None and not errors:
        errors.setdefault("starts_on", []).append(
            _(
                "The term overlaps the term “%(name)s” of the same organization "
                "(%(start)s – %(end)s)."
            )
            % {
                "name": overlapping.name,
                "start": f"{overlapping.starts_on:%d/%m/%Y}",
                "end": f"{overlapping.ends_on:%d/%m/%Y}",
            }
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_term(
    *,
    actor,
    organization: Organization,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    resolution: str = "",
) -> Term:
    """Record a Congress term of ``organization`` (within the actor's write scope)."""
    access.require_write(actor, organization)
    term = Term(
        organization=organization,
        name=" ".join(name.split()),
        starts_on=starts_on,
        ends_on=ends_on,
        resolution=resolution.strip(),
    )
    validate_term(term)
    term.save()
    audit.record(
        actor=actor,
        action=audit.AuditAction.CREATE,
        obj=term,
        organization=organization,
        changes=audit.diff({}, audit.snapshot(term, TERM_FIELDS)),
    )
    return term


@transaction.atomic
def update_term(
    *, actor, term: Term, name: str, starts_on: dt.date, ends_on: dt.date, resolution: str = ""
) -> Term:
    """Correct a term's name, dates or resolution (its organization does not change)."""
    access.require_write(actor, term.organization)
    term = Term.objects.select_for_update().select_related("organization").get(pk=term.pk)
    before = audit.snapshot(term, TERM_FIELDS)
    term.name = " ".join(name.split())
    term.starts_on, term.ends_on = starts_on, ends_on
    term.resolution = resolution.strip()
    validate_term(term)
    after = audit.snapshot(term, TERM_FIELDS)
    if before == after:
        return term
    term.save()
    audit.record(
        actor=actor,
        action=audit.AuditAction.UPDATE,
        obj=term,
        organization=term.organization,
        changes=audit.diff(before, after),
    )
    return term


def validate_target(
    *,
    actor,
    term: Term,
    organization: Organization,
    new_members: int | None,
    yearly_rate_percent: Decimal | None,
) -> None:
    """Refuse a target the actor may not set, or one that does not make sense; in Vietnamese,
    naming the field."""
    access.require_write(actor, organization)
    errors: dict[str, list[str]] = {}
    if new_members is None and yearly_rate_percent is None:
        errors.setdefault("new_members", []).append(
            _("Enter the number of new members over the term, the yearly rate, or both.")
        )
    if new_members is not None and new_members <= 0:
        errors.setdefault("new_members", []).append(
            _("The number of new members must be a positive whole number.")
        )
    if yearly_rate_percent is not None and not 0 < yearly_rate_percent <= 100:
        errors.setdefault("yearly_rate_percent", []).append(
            _("The yearly rate must be more than 0 and at most 100 (percent of members).")
        )
    if not term_applies_to(term, organization):
        errors.setdefault("organization", []).append(
            _(
                "The term “%(term)s” is one of “%(owner)s”; a target can be set only for that "
                "organization or one under it."
            )
            % {"term": term.name, "owner": term.organization.name}
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def set_target(
    *,
    actor,
    term: Term,
    organization: Organization,
    new_members: int | None = None,
    yearly_rate_percent: Decimal | None = None,
    resolution: str = "",
) -> Target:
    """Set ``organization``'s target for the term: new members over the term, a yearly rate
    as a percentage of members, or both; replaces the organization's earlier target."""
    validate_target(
        actor=actor,
        term=term,
        organization=organization,
        new_members=new_members,
        yearly_rate_percent=yearly_rate_percent,
    )
    if yearly_rate_percent is not None:
        yearly_rate_percent = Decimal(yearly_rate_percent).quantize(Decimal("0.01"))
    target = Target.objects.select_for_update().filter(term=term, organization=organization).first()
    before = audit.snapshot(target, TARGET_FIELDS) if target else {}
    if target is None:
        target = Target(term=term, organization=organization)
    target.new_members = new_members
    target.yearly_rate_percent = yearly_rate_percent
    target.resolution = resolution.strip()
    after = audit.snapshot(target, TARGET_FIELDS)
    if before == after:
        return target
    target.save()
    audit.record(
        actor=actor,
        action=audit.AuditAction.UPDATE if before else audit.AuditAction.CREATE,
        obj=target,
        organization=organization,
        changes=audit.diff(before, after),
    )
    return target


@transaction.atomic
def delete_target(*, actor, target: Target) -> None:
    """Remove an organization's target for a term."""
    access.require_write(actor, target.organization)
    before = audit.snapshot(target, TARGET_FIELDS)
    audit.record(
        actor=actor,
        action=audit.AuditAction.DELETE,
        obj=target,
        organization=target.organization,
        changes=audit.diff(before, {}),
    )
    target.delete()
