"""Writes to the organization tree. Every change keeps the dated closure in step with the links."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dangbo.core import access, audit
from dangbo.core.dates import EARLIEST_DATE, today
from dangbo.core.text import fold, text_sort_key
from dangbo.organizations.models import (
    LEVEL_DEPTH,
    Organization,
    OrganizationClosure,
    OrganizationKind,
    OrganizationLevel,
    OrganizationLink,
)

_FAR = dt.date(9999, 12, 31)
EDITABLE_FIELDS = [
    "code",
    "name",
    "short_name",
    "place_name",
    "level",
    "kind",
    "functional_group",
    "statistics_type",
    "founded_on",
    "dissolved_on",
]


def derive_text_fields(organization: Organization) -> None:
    """Fill the derived search and sort columns from the name (also used by bulk loaders)."""
    organization.sort_key = text_sort_key(organization.name)[:600]
    organization.search_name = fold(organization.name)[:255]


def _closure_rows(org_ids: Iterable[int], links_by_child: dict[int, list[tuple]]) -> list:
    rows = []
    for org_id in org_ids:
        rows.append(
            OrganizationClosure(
                ancestor_id=org_id,
                descendant_id=org_id,
                depth=0,
                valid_from=EARLIEST_DATE,
                valid_to=None,
            )
        )
        frontier = [(org_id, 0, EARLIEST_DATE, _FAR)]
        while frontier:
            node, depth, start, end = frontier.pop()
            for parent_id, link_from, link_to in links_by_child.get(node, ()):
                lo, hi = max(start, link_from), min(end, link_to or _FAR)
                if lo >= hi:
                    continue
                rows.append(
                    OrganizationClosure(
                        ancestor_id=parent_id,
                        descendant_id=org_id,
                        depth=depth + 1,
                        valid_from=lo,
                        valid_to=None if hi == _FAR else hi,
                    )
                )
                if depth < 20:  # A cycle would be refused on write; this guards the loop anyway.
                    frontier.append((parent_id, depth + 1, lo, hi))
    return rows


def rebuild_closure(org_ids: Iterable[int] | None = None, *, batch_size: int = 5000) -> int:
    """Recompute the closure rows of the given organizations (all when None); returns the count."""
    links_by_child: dict[int, list[tuple]] = defaultdict(list)
    for child_id, parent_id, valid_from, valid_to in OrganizationLink.objects.values_list(
        "child_id", "parent_id", "valid_from", "valid_to"
    ):
        links_by_child[child_id].append((parent_id, valid_from, valid_to))
    if org_ids is None:
        ids = list(Organization.objects.values_list("id", flat=True))
        OrganizationClosure.objects.all().delete()
    else:
        ids = list(org_ids)
        OrganizationClosure.objects.filter(descendant_id__in=ids).delete()
    rows = _closure_rows(ids, links_by_child)
    OrganizationClosure.objects.bulk_create(rows, batch_size=batch_size)
    return len(rows)


def _validate(organization: Organization, parent: Organization | None, valid_from) -> None:
    errors: dict[str, list[str]] = {}
    if organization.founded_on and organization.founded_on > today():
        errors.setdefault("founded_on", []).append(_("The founding date cannot be after today."))
    if organization.founded_on and organization.founded_on < EARLIEST_DATE:
        errors.setdefault("founded_on", []).append(
            _("The founding date cannot be before 03/02/1930.")
        )
    if (
        organization.dissolved_on
        and organization.founded_on
        and (organization.dissolved_on <= organization.founded_on)
    ):
        errors.setdefault("dissolved_on", []).append(
            _("The dissolution date must be after the founding date.")
        )
    if organization.level == OrganizationLevel.GRASSROOTS and organization.kind not in (
        OrganizationKind.COMMITTEE,
        OrganizationKind.BRANCH,
    ):
        errors.setdefault("kind", []).append(
            _("A grassroots organization must be a grassroots committee or a grassroots branch.")
        )
    if parent is not None:
        if LEVEL_DEPTH[parent.level] >= LEVEL_DEPTH[organization.level]:
            errors.setdefault("parent", []).append(
                _("The parent organization must be at a higher level (“%(parent)s”: %(level)s).")
                % {"parent": parent.name, "level": parent.get_level_display()}
            )
        branch_parent = parent.kind == OrganizationKind.BRANCH
        if (branch_parent and organization.level != OrganizationLevel.CELL) or (
            parent.level == OrganizationLevel.CELL
        ):
            errors.setdefault("parent", []).append(
                _("A branch can only have party cells under it, and a party cell nothing at all.")
            )
        if valid_from and parent.founded_on and valid_from < parent.founded_on:
            errors.setdefault("founded_on", []).append(
                _("An organization cannot be under “%(parent)s” before that one was founded.")
                % {"parent": parent.name}
            )
    duplicate = Organization.objects.filter(code=organization.code)
    if organization.pk:
        duplicate = duplicate.exclude(pk=organization.pk)
    if organization.code and duplicate.exists():
        errors.setdefault("code", []).append(
            _("This organization code is already used by another organization.")
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_organization(
    *,
    actor,
    parent: Organization | None,
    code: str,
    name: str,
    level: str,
    kind: str,
    founded_on: dt.date | None = None,
    short_name: str = "",
    place_name: str = "",
    functional_group: str = "",
    statistics_type: str = "",
) -> Organization:
    """Create an organization under ``parent`` from its founding date (a root when no parent)."""
    if parent is None:
        if not actor.is_superuser:
            raise access.PermissionDenied(
                _("Only a system administrator can create a top-level organization.")
            )
    else:
        access.require_write(actor, parent)
    organization = Organization(
        code=code.strip(),
        name=" ".join(name.split()),
        short_name=short_name.strip(),
        place_name=place_name.strip(),
        level=level,
        kind=kind,
        founded_on=founded_on,
        functional_group=functional_group,
        statistics_type=statistics_type,
    )
    valid_from = founded_on or EARLIEST_DATE
    _validate(organization, parent, valid_from)
    derive_text_fields(organization)
    organization.full_clean(exclude=["sort_key", "search_name"])
    organization.save()
    if parent is not None:
        OrganizationLink.objects.create(child=organization, parent=parent, valid_from=valid_from)
    rebuild_closure([organization.pk])
    audit.record(
        actor=actor,
        action=audit.AuditAction.CREATE,
        obj=organization,
        organization=organization,
        changes=audit.diff(
            {},
            {
                **audit.snapshot(organization, EDITABLE_FIELDS),
                "parent_id": parent.pk if parent else None,
            },
        ),
    )
    return organization


@transaction.atomic
def update_organization(*, actor, organization: Organization, **changes) -> Organization:
    """Change an organization's own fields (not its place in the tree: that is a reorganization)."""
    access.require_write(actor, organization)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    before = audit.snapshot(organization, EDITABLE_FIELDS)
    for field, value in changes.items():
        setattr(organization, field, value.strip() if isinstance(value, str) else value)
    from dangbo.organizations.selectors import get_parent

    _validate(organization, get_parent(organization, today()), None)
    derive_text_fields(organization)
    organization.full_clean(exclude=["sort_key", "search_name"])
    organization.save()
    after = audit.snapshot(organization, EDITABLE_FIELDS)
    if before != after:
        audit.record(
            actor=actor,
            action=audit.AuditAction.UPDATE,
            obj=organization,
            organization=organization,
            changes=audit.diff(before, after),
        )
    return organization
