"""Reads of the audit log, through the one access rule."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from dangbo.core.access import scope_organization_ids
from dangbo.core.models import AuditAction, AuditEntry

# Entries about a user's own account: the only ones without an organization a user may see.
OWN_ACCOUNT_ACTIONS = (AuditAction.LOGIN, AuditAction.LOGOUT, AuditAction.LOGIN_FAILED)


@dataclass(frozen=True)
class AuditFilters:
    actor: str = ""
    action: str = ""
    object_type: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    request_id: str = ""


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def list_audit_entries(*, user, filters: AuditFilters) -> QuerySet[AuditEntry]:
    """Audit entries the user may see, newest first: those of organizations in the user's
    personal scope, and the logins of the user's own account (superusers see everything)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return AuditEntry.objects.none()
    qs = AuditEntry.objects.all()
    if not user.is_superuser:
        own_account = Q(organization__isnull=True, action__in=OWN_ACCOUNT_ACTIONS) & (
            Q(actor=user) | Q(actor__isnull=True, object_repr=user.get_username())
        )
        qs = qs.filter(
            Q(organization_id__in=scope_organization_ids(user, personal=True)) | own_account
        )
    if filters.actor:
        qs = qs.filter(actor_name__icontains=filters.actor)
    if filters.action:
        qs = qs.filter(action=filters.action)
    if filters.object_type:
        qs = qs.filter(object_type=filters.object_type)
    if filters.date_from:
        qs = qs.filter(at__gte=_start_of(filters.date_from))
    if filters.date_to:
        qs = qs.filter(at__lt=_start_of(filters.date_to + dt.timedelta(days=1)))
    if filters.request_id:
        qs = qs.filter(request_id=filters.request_id)
    return qs.select_related("organization").order_by("-at", "-id")
