"""The filter form of the audit log page: it parses input and reports what it cannot read."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dangbo.core.models import AuditAction
from dangbo.core.selectors import AuditFilters

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
BAD_DATE = _("Invalid date: enter it as dd/mm/yyyy or yyyy-mm-dd.")


def object_type_choices() -> list[tuple[str, str]]:
    """The models that can appear in the log (ours, and user accounts for logins), labelled
    with their translated names."""
    choices = [
        (model._meta.label_lower, str(model._meta.verbose_name).capitalize())
        for model in apps.get_models()
        if model.__module__.startswith("dangbo.") or model._meta.label_lower == "auth.user"
    ]
    return sorted(choices, key=lambda choice: choice[1])


def _check_year(day: dt.date | None) -> dt.date | None:
    if day is not None and not 1930 <= day.year <= 9998:
        raise ValidationError(BAD_DATE, code="invalid")
    return day


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Actor"), required=False, max_length=150)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All")), *AuditAction.choices]
    )
    object_type = forms.ChoiceField(label=_("Object type"), required=False)
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=DATE_WIDGET,
        input_formats=DATE_FORMATS,
        error_messages={"invalid": BAD_DATE},
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=DATE_WIDGET,
        input_formats=DATE_FORMATS,
        error_messages={"invalid": BAD_DATE},
    )
    request_id = forms.CharField(label=_("Request id"), required=False, max_length=36)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", _("All")), *object_type_choices()]

    def clean_date_from(self):
        return _check_year(self.cleaned_data.get("date_from"))

    def clean_date_to(self):
        return _check_year(self.cleaned_data.get("date_to"))

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("“To” must be the same day as “From” or later."))
        return data

    def filters(self) -> AuditFilters:
        """The filters that could be read; a field with an error is left out."""
        data = getattr(self, "cleaned_data", {})
        return AuditFilters(
            actor=(data.get("actor") or "").strip(),
            action=data.get("action") or "",
            object_type=data.get("object_type") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            request_id=(data.get("request_id") or "").strip().lower(),
        )
