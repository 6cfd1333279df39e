"""Parameters of the statistics pages: read from the query string, refused with a message."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from dangbo.members.categories import PersonCategories
from dangbo.members.forms import MemberFilterForm
from dangbo.organizations.models import (
    FunctionalGroup,
    OrganizationKind,
    OrganizationLevel,
    StatisticsType,
)
from dangbo.reports.selectors import EVENT_LIST_KINDS, OrganizationCategories, event_kind_label

DATE_INPUT = ["%Y-%m-%d", "%d/%m/%Y"]


def _blank(choices):
    return [("", _("All")), *choices]


class StatisticsForm(forms.Form):
    """The organization (default: the top of the user's scope) and the period's first day
    (default: 1 January of the year of the "as of" date)."""

    organization = forms.IntegerField(label=_("Organization"), required=False, min_value=1)
    start = forms.DateField(label=_("Period from"), required=False, input_formats=DATE_INPUT)

    def __init__(self, *args, as_of: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.as_of = as_of

    def clean_start(self):
        start = self.cleaned_data.get("start")
        if start is not None and start > self.as_of:
            raise forms.ValidationError(
                _("The first day of the period cannot be after the “as of” date (%(day)s)."),
                params={"day": f"{self.as_of:%d/%m/%Y}"},
            )
        if start is not None and start.year < 1930:
            raise forms.ValidationError(_("The first day of the period cannot be before 1930."))
        return start


class EventListForm(MemberFilterForm):
    """What a figure of forms 3 and 4 counts: events of one kind over a period, of people in
    the chosen categories (the member list's filters, ages on the last day)."""

    start = forms.DateField(label=_("Period from"), input_formats=DATE_INPUT)
    end = forms.DateField(label=_("Period to"), input_formats=DATE_INPUT)
    kind = forms.ChoiceField(label=_("Event"))
    youth_union = forms.BooleanField(label=_("Youth Union members only"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind, event_kind_label(kind)) for kind in EVENT_LIST_KINDS]
        self.fields["organization"].required = True

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("start", _("The first day of the period cannot be after its last day."))
        return data

    def categories(self) -> PersonCategories:
        data = self.cleaned_data
        return PersonCategories(
            **{name: data.get(name) or "" for name in PersonCategories.__dataclass_fields__}
        )


class OrganizationListForm(forms.Form):
    organization = forms.IntegerField(label=_("Organization"), min_value=1)
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=_blank(OrganizationLevel.choices)
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=_blank(OrganizationKind.choices)
    )
    statistics_type = forms.ChoiceField(
        label=_("Statistics type"),
        required=False,
        choices=_blank([*StatisticsType.choices, ("-", _("Statistics type not set"))]),
    )
    functional_group = forms.ChoiceField(
        label=_("Functional group"), required=False, choices=_blank(FunctionalGroup.choices)
    )

    def categories(self) -> OrganizationCategories:
        data = self.cleaned_data
        return OrganizationCategories(
            **{name: data.get(name) or "" for name in OrganizationCategories.__dataclass_fields__}
        )
