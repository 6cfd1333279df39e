"""Auditing the exports of lists: one audit row per file, before the file is sent."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from dangbo.core import audit
from dangbo.core.access import top_organizations
from dangbo.core.models import AuditAction, AuditEntry


def _audit_organization(actor, organization):
    """The organization the export row is filed under (so that the audit log's own scoping
    shows it): the one the list was filtered on, else the top of the actor's scope."""
    if organization is not None:
        return organization
    if getattr(actor, "is_superuser", False):
        return None
    tops = top_organizations(actor, personal=True) or top_organizations(actor, personal=False)
    return tops[0] if tops else None


def record_export(
    *,
    actor,
    name: str,
    object_type: str,
    file_format: str,
    filters: dict[str, Any],
    row_count: int | None,
    organization=None,
) -> AuditEntry:
    """Audit the export of a list (``name``, e.g. the member list) by ``actor``: the format,
    the filters as asked and the number of rows when known."""
    changes: dict[str, Any] = {"format": file_format, "filters": filters}
    if row_count is not None:
        changes["rows"] = row_count
    with transaction.atomic():
        return audit.record(
            actor=actor,
            action=AuditAction.EXPORT,
            organization=_audit_organization(actor, organization),
            object_type=object_type,
            object_repr=str(name),
            changes=changes,
        )
