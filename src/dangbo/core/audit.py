"""Writing the audit log. Services call ``record`` inside their own transaction.

The request id, client address and path come from a context variable set by
``RequestIdMiddleware``, so services need only the acting user.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import decimal
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import F

from dangbo.core.models import AuditAction, AuditEntry, DataVersion

CHANGES = frozenset({AuditAction.CREATE, AuditAction.UPDATE, AuditAction.DELETE})


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    client_address: str | None = None
    path: str = ""


# The default is a frozen dataclass, so sharing it between contexts is safe.
_context: contextvars.ContextVar[RequestContext] = contextvars.ContextVar(
    "dangbo_request_context",
    default=RequestContext(),  # noqa: B039
)


def set_request_context(context: RequestContext) -> contextvars.Token:
    return _context.set(context)


def reset_request_context(token: contextvars.Token) -> None:
    _context.reset(token)


def current_request_context() -> RequestContext:
    return _context.get()


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The audited fields of a model instance, as JSON-ready values (foreign keys as ids)."""
    names = fields or [
        f.attname for f in instance._meta.concrete_fields if f.editable and not f.primary_key
    ]
    return {name: _plain(getattr(instance, name)) for name in names}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Only the fields that changed, as {field: [before, after]}."""
    empty = (None, "")
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
        and not (before.get(key) in empty and after.get(key) in empty)
    }


def record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    organization=None,
    changes: dict[str, Any] | None = None,
    object_type: str = "",
    object_repr: str = "",
) -> AuditEntry:
    """Append one line to the audit log."""
    ctx = current_request_context()
    if action in CHANGES:
        bump_data_version()
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEntry.objects.create(
        actor=actor if is_user else None,
        actor_name=(actor.get_username() if is_user else "")[:150],
        action=action,
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=(object_repr or (str(obj) if obj is not None else ""))[:255],
        organization=organization,
        changes=changes or {},
        client_address=ctx.client_address,
        request_id=ctx.request_id,
        path=ctx.path[:255],
    )


def record_created(
    *, actor, obj: models.Model, organization, fields: list[str], object_repr: str = ""
) -> AuditEntry:
    """Audit the creation of ``obj``: its ``fields`` as the "after" values."""
    return record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=obj,
        organization=organization,
        object_repr=object_repr,
        changes=diff({}, snapshot(obj, fields)),
    )


def bump_data_version() -> None:
    """Mark the data as changed; bulk loaders that bypass the services call this themselves."""
    # The row is created by the migration; one UPDATE also serializes concurrent writers.
    if not DataVersion.objects.filter(pk=1).update(value=F("value") + 1):
        DataVersion.objects.get_or_create(pk=1, defaults={"value": 1})


def data_version() -> int:
    """The current data version (0 before any change was recorded)."""
    return DataVersion.objects.filter(pk=1).values_list("value", flat=True).first() or 0


__all__ = ["AuditAction", "record", "snapshot", "diff", "set_request_context"]
