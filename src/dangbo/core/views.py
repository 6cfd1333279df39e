"""Error pages and the audit log browser (the role pages are in ``role_views``)."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from django.apps import apps
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from dangbo.core import exports
from dangbo.core.forms import (
    AuditFilterForm,
    object_type_choices,
)
from dangbo.core.models import AuditEntry
from dangbo.core.selectors import (
    list_audit_entries,
)
from dangbo.organizations.models import Organization

AUDIT_PAGE_SIZE = 50
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_VALUE_LENGTH = 80
# Keys a service writes that are not model fields.
EXTRA_LABELS = {
    "parent_id": gettext_lazy("parent organization"),
    "full_name": gettext_lazy("full name"),
    "password_reset": gettext_lazy("password reset"),
    # An export (core.export_services.record_export).
    "format": gettext_lazy("file format"),
    "filters": gettext_lazy("filters"),
    "rows": gettext_lazy("rows"),
}
ORGANIZATION_KEYS = {"parent_id"}


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def permission_denied(request, exception=None):
    message = str(exception) if exception else ""
    return render(request, "403.html", {"exception": message}, status=403)


def server_error(request):
    return render(request, "500.html", status=500)


def _model_field(object_type: str, name: str):
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _points_to_organization(name: str, field) -> bool:
    if field is None:
        return name in ORGANIZATION_KEYS
    return bool(field.is_relation and field.related_model is Organization)


def _show(value: Any, field=None, names: dict[int, str] | None = None) -> str:
    """A logged value as a person reads it: dates dd/mm/yyyy, choices by label, organizations
    by name (when the reader may see them), other records as #id, "—" for none."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if names is not None and isinstance(value, int):
        return names.get(value, f"#{value}")
    if field is not None and field.is_relation and isinstance(value, int):
        return f"#{value}"
    if field is not None and not field.is_relation and field.choices:
        labels = {str(key): label for key, label in field.flatchoices}
        if str(value) in labels:
            return str(labels[str(value)])
    if isinstance(value, str):
        match = _ISO_DATE.match(value)
        if match:
            year, month, day = match.groups()
            return f"{day}/{month}/{year}"
        if _ISO_DATETIME.match(value):
            try:
                moment = dt.datetime.fromisoformat(value)
            except ValueError:
                pass
            else:
                if timezone.is_aware(moment):
                    moment = timezone.localtime(moment)
                return f"{moment:%d/%m/%Y %H:%M}"
        text = value
    else:
        text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= _VALUE_LENGTH else text[: _VALUE_LENGTH - 1] + "…"


def organization_ids(entries) -> set[int]:
    """Ids of the organizations the entries' changes refer to (to name them in one query)."""
    ids: set[int] = set()
    for entry in entries:
        if not isinstance(entry.changes, dict):
            continue
        for name, change in entry.changes.items():
            if _points_to_organization(name, _model_field(entry.object_type, name)):
                values = change if isinstance(change, list) else [change]
                ids.update(v for v in values if isinstance(v, int))
    return ids


def change_rows(entry: AuditEntry, names: dict[int, str] | None = None) -> list[dict[str, Any]]:
    """The entry's changes as rows of (field label, before, after); other shapes as one value.
    ``names`` gives the names of the organizations the reader may see."""
    if not isinstance(entry.changes, dict):
        return [{"label": "", "value": _show(entry.changes)}]
    rows = []
    for name, change in entry.changes.items():
        field = _model_field(entry.object_type, name)
        label = str(field.verbose_name) if field is not None else str(EXTRA_LABELS.get(name, name))
        org_names = (names or {}) if _points_to_organization(name, field) else None
        if isinstance(change, list) and len(change) == 2:
            before, after = _show(change[0], field, org_names), _show(change[1], field, org_names)
            if before == after:  # None → "" on creation: nothing a person would call a change
                continue
            rows.append({"label": label, "before": before, "after": after, "pair": True})
        else:
            rows.append({"label": label, "value": _show(change, field, org_names)})
    return rows


def _organization_names(user, entries) -> dict[int, str]:
    """Names of the organizations the entries' changes refer to, that the user may see."""
    referred = organization_ids(entries)
    if not referred:
        return {}
    return dict(
        Organization.objects.visible_to(user).filter(id__in=referred).values_list("id", "name")
    )


class AuditListView(LoginRequiredMixin, View):
    """The audit log within the user's scope, filtered, newest first, 50 a page."""

    def get(self, request):
        form = AuditFilterForm(request.GET)
        form.is_valid()
        entries = list_audit_entries(user=request.user, filters=form.filters())
        page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
        type_labels = dict(object_type_choices())
        names = _organization_names(request.user, page.object_list)
        for entry in page.object_list:
            entry.change_rows = change_rows(entry, names)
            entry.type_label = type_labels.get(entry.object_type, entry.object_type)
        params = request.GET.copy()
        params.pop("page", None)
        return render(
            request,
            "core/audit_list.html",
            {
                "nav": "audit",
                "form": form,
                "page": page,
                "query": params.urlencode(),
                "show_as_of": False,
                "filter_errors": [
                    f"{form.fields[name].label}: {' '.join(errors)}"
                    for name, errors in form.errors.items()
                    if name in form.fields
                ],
            },
        )


def _changes_text(entry: AuditEntry) -> str:
    """The entry's changes on one line, as the audit page shows them."""
    parts = []
    for row in getattr(entry, "change_rows", []):
        value = f"{row['before']} → {row['after']}" if row.get("pair") else row["value"]
        parts.append(f"{row['label']}: {value}" if row["label"] else value)
    return "; ".join(parts)


def _audit_rows(user, entries):
    """The entries, read in chunks, with their changes put in words (one query of
    organization names per chunk)."""
    for batch in exports.batched(exports.chunked(entries)):
        names = _organization_names(user, batch)
        for entry in batch:
            entry.change_rows = change_rows(entry, names)
            yield entry


class AuditExportView(LoginRequiredMixin, View):
    """The audit log as the page shows it (every page, same filters), as .xlsx or .csv."""

    def get(self, request):
        form = AuditFilterForm(request.GET)
        form.is_valid()
        file_format = exports.requested_format(request)
        if file_format is None:
            return exports.bad_format_response()
        errors = [
            f"{form.fields[name].label}: {' '.join(errors)}"
            for name, errors in form.errors.items()
            if name in form.fields
        ]
        if errors:
            return exports.bad_request_response(errors)
        entries = list_audit_entries(user=request.user, filters=form.filters())
        # The log as it stood when asked: not the export's own line, nor later ones.
        last = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
        entries = entries.filter(id__lte=last or 0)
        type_labels = dict(object_type_choices())
        details = []
        for name in ("actor", "action", "object_type", "date_from", "date_to", "request_id"):
            value = form.cleaned_data.get(name)
            if not value:
                continue
            if isinstance(value, dt.date):
                value = f"{value:%d/%m/%Y}"
            choices = dict(getattr(form.fields[name], "choices", ()) or ())
            details.append((str(form.fields[name].label), str(choices.get(value, value))))
        export = exports.ListExport(
            name=_("Audit log of access and changes"),
            object_type="core.auditentry",
            columns=[
                exports.Column(_("Time"), lambda e: e.at, 17),
                exports.Column(_("Actor"), lambda e: e.actor_name, 16),
                exports.Column(_("Action"), lambda e: e.get_action_display(), 14),
                exports.Column(
                    _("Object type"), lambda e: type_labels.get(e.object_type, e.object_type), 18
                ),
                exports.Column(_("Object"), lambda e: e.object_repr, 30),
                exports.Column(
                    _("Organization"), lambda e: e.organization.name if e.organization else "", 30
                ),
                exports.Column(_("Changes"), _changes_text, 60),
                exports.Column(_("Request id"), lambda e: e.request_id, 20),
                exports.Column(_("Client address"), lambda e: e.client_address, 16),
            ],
            rows=_audit_rows(request.user, entries),
            filename="nhat-ky-truy-cap",
            details=details,
            filters=exports.query_filters(request),
            count=entries.count,
        )
        return exports.export_response(request, export, file_format)


# --- Roles and accounts ---------------------------------------------------------------------------
