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


class AuditListView(LoginRequiredMixin, View):
    """The audit log within the user's scope, filtered, newest first, 50 a page."""

    def get(self, request):
        form = AuditFilterForm(request.GET)
        form.is_valid()
        entries = list_audit_entries(user=request.user, filters=form.filters())
        page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
        type_labels = dict(object_type_choices())
        referred = organization_ids(page.object_list)
        names = (
            dict(
                Organization.objects.visible_to(request.user)
                .filter(id__in=referred)
                .values_list("id", "name")
            )
            if referred
            else {}
        )
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


# --- Roles and accounts ---------------------------------------------------------------------------
