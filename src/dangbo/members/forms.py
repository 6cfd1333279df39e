"""Forms of the member pages: they parse input; the services validate the domain rules."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from dangbo.core.access import scope_organization_ids
from dangbo.core.dates import today
from dangbo.members.categories import (
    ADVANCED_OR_BACHELOR,
    ANY_RELIGION,
    MINORITIES,
    THEORY_LABELS,
    AgeBand,
    age_bands_on,
    parse_age_band,
)
from dangbo.members.models import (
    Ethnicity,
    GeneralEducation,
    MemberStatus,
    Person,
    PoliticalTheoryLevel,
    ProfessionalLevel,
    Religion,
    Sex,
)
from dangbo.organizations.models import Organization, OrganizationLevel

PAGE_SIZES = (25, 50, 100, 200)
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


MORE_FILTERS = (
    "status",
    "sex",
    "age_band",
    "political_theory_level",
    "ethnicity",
    "religion",
    "general_education",
    "professional_level",
    "occupation",
)


def _age_band_label(band: AgeBand) -> str:
    if band.high is None:
        return band.label
    return _("Aged %(low)s–%(high)s") % {"low": band.low, "high": band.high}


def _blank(choices):
    return [("", _("All")), *choices]


class MemberFilterForm(forms.Form):
    """Filters of the member list; an invalid value is reported and ignored."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("Name (accents optional), citizen ID, card number"),
            }
        ),
    )
    organization = forms.IntegerField(label=_("Organization"), required=False, min_value=1)
    organization_code = forms.CharField(label=_("Organization code"), required=False, max_length=40)
    status = forms.ChoiceField(
        label=_("Member status"),
        required=False,
        choices=_blank(
            [
                (MemberStatus.PROBATIONARY, MemberStatus.PROBATIONARY.label),
                (MemberStatus.FULL, MemberStatus.FULL.label),
            ]
        ),
    )
    sex = forms.ChoiceField(label=_("Sex"), required=False, choices=_blank(Sex.choices))
    age_band = forms.ChoiceField(label=_("Age group"), required=False)
    political_theory_level = forms.ChoiceField(
        label=_("Political theory"),
        required=False,
        choices=_blank(
            [
                *PoliticalTheoryLevel.choices,
                (ADVANCED_OR_BACHELOR, THEORY_LABELS[ADVANCED_OR_BACHELOR]),
            ]
        ),
    )
    ethnicity = forms.ChoiceField(label=_("Ethnic group"), required=False)
    religion = forms.ChoiceField(
        label=_("Religion"),
        required=False,
        choices=_blank([(ANY_RELIGION, _("Followers of a religion")), *Religion.choices]),
    )
    general_education = forms.ChoiceField(
        label=_("General education"), required=False, choices=_blank(GeneralEducation.choices)
    )
    professional_level = forms.ChoiceField(
        label=_("Professional qualification"),
        required=False,
        choices=_blank(ProfessionalLevel.choices),
    )
    occupation = forms.CharField(label=_("Occupation"), required=False, max_length=120)
    ordering = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("name", _("Name (A–Z)")),
            ("-name", _("Name (Z–A)")),
            ("birth", _("Date of birth (earliest first)")),
            ("-birth", _("Date of birth (latest first)")),
        ],
    )
    page_size = forms.TypedChoiceField(
        label=_("Rows per page"),
        required=False,
        coerce=int,
        empty_value=50,
        choices=[(n, n) for n in PAGE_SIZES],
    )

    def __init__(self, *args, as_of: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        bands = [(band.key, _age_band_label(band)) for band in age_bands_on(as_of or today())]
        asked = self.data.get("age_band") or ""
        if asked and asked not in dict(bands) and (band := parse_age_band(asked)) is not None:
            bands.append((band.key, _age_band_label(band)))
        self.fields["age_band"].choices = _blank(bands)
        self.fields["ethnicity"].choices = _blank(
            [
                (MINORITIES, _("Ethnic minorities")),
                *((str(pk), name) for pk, name in Ethnicity.objects.values_list("id", "name")),
            ]
        )

    @property
    def more_filters(self) -> bool:
        """Is a filter of the "more filters" part chosen (so that the part opens)?"""
        return any(self.data.get(name) for name in MORE_FILTERS)


class PersonFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Name (accents optional) or citizen ID")}
        ),
    )
    organization = forms.IntegerField(label=_("Organization"), required=False, min_value=1)
    organization_code = forms.CharField(label=_("Organization code"), required=False, max_length=40)
    organization_code = forms.CharField(label=_("Organization code"), required=False, max_length=40)
    non_members = forms.BooleanField(
        label=_("Non-members only (not party members)"), required=False
    )


def writable_organizations(user):
    """Organizations where the user may record people: grassroots organizations and below."""
    return (
        Organization.objects.filter(id__in=scope_organization_ids(user, write=True))
        .filter(dissolved_on__isnull=True)
        .exclude(
            level__in=[
                OrganizationLevel.CENTRAL,
                OrganizationLevel.PROVINCIAL,
                OrganizationLevel.UPPER,
            ]
        )
        .order_by("sort_key")
    )


class PersonForm(forms.ModelForm):
    """Identity and record fields of a person; the service checks citizen ID and dates."""

    class Meta:
        model = Person
        fields = [
            "surname",
            "middle_name",
            "given_name",
            "sex",
            "date_of_birth",
            "citizen_id",
            "ethnicity",
            "religion",
            "birthplace",
            "hometown",
            "residence",
            "occupation",
            "general_education",
            "professional_level",
            "political_theory_level",
        ]
        widgets = {"date_of_birth": DATE_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date_of_birth"].input_formats = DATE_FORMATS
        self.fields["ethnicity"].queryset = Ethnicity.objects.order_by("code")
        self.fields["ethnicity"].empty_label = None
        self.fields["citizen_id"].help_text = _(
            "12 digits; an old 9-digit identity card number is accepted too."
        )

    def _post_clean(self):
        # Uniqueness and the domain rules are checked by the service, in one place.
        pass

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["ethnicity_id"] = data.pop("ethnicity").pk
        data["citizen_id"] = (data.get("citizen_id") or "").strip() or None
        return data


class PersonCreateForm(PersonForm):
    organization = forms.ModelChoiceField(
        label=_("Party organization of the workplace"), queryset=Organization.objects.none()
    )
    unit_name = forms.CharField(label=_("Work unit"), required=False, max_length=255)
    position = forms.CharField(label=_("Position"), required=False, max_length=120)
    start_date = forms.DateField(
        label=_("Employment start date"), widget=DATE_WIDGET, input_formats=DATE_FORMATS
    )

    class Meta(PersonForm.Meta):
        pass

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = writable_organizations(user)

    def service_data(self) -> dict:
        data = super().service_data()
        for key in ("organization", "unit_name", "position", "start_date"):
            data.pop(key, None)
        return data


class AdmissionForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Admitting branch"), queryset=Organization.objects.none()
    )
    decision_date = forms.DateField(
        label=_("Admission decision date"), widget=DATE_WIDGET, input_formats=DATE_FORMATS
    )
    document_number = forms.CharField(label=_("Decision number"), required=False, max_length=60)
    document_date = forms.DateField(
        label=_("Decision signed on"),
        required=False,
        widget=DATE_WIDGET,
        input_formats=DATE_FORMATS,
    )
    ceremony_date = forms.DateField(
        label=_("Admission ceremony date (if held)"),
        required=False,
        widget=DATE_WIDGET,
        input_formats=DATE_FORMATS,
    )
    record_number = forms.CharField(label=_("Member record number"), required=False, max_length=12)
    note = forms.CharField(label=_("Note"), required=False, max_length=255)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = writable_organizations(user)


class CeremonyForm(forms.Form):
    ceremony_date = forms.DateField(
        label=_("Admission ceremony date"), widget=DATE_WIDGET, input_formats=DATE_FORMATS
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=255)


class RecognitionForm(forms.Form):
    effective_date = forms.DateField(
        label=_("Full membership date"),
        widget=DATE_WIDGET,
        input_formats=DATE_FORMATS,
        help_text=_(
            "The day 12 months of probation are complete, even if the decision is signed later."
        ),
    )
    document_number = forms.CharField(label=_("Decision number"), required=False, max_length=60)
    document_date = forms.DateField(
        label=_("Decision signed on"),
        required=False,
        widget=DATE_WIDGET,
        input_formats=DATE_FORMATS,
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=255)


class MemberNumbersForm(forms.Form):
    record_number = forms.CharField(label=_("Member record number"), required=False, max_length=12)
    card_number_old = forms.CharField(
        label=_("Party card number (8 digits, old format)"), required=False, max_length=8
    )
    card_number = forms.CharField(
        label=_("Party card number (12 digits, new format)"), required=False, max_length=12
    )
