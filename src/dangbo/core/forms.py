"""Forms of the audit log, role, rule and calendar pages: they parse input and report what they
cannot read; the services in ``core.services`` validate the rules."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dangbo.core import services
from dangbo.core.models import AuditAction, CalendarDayKind, Role
from dangbo.core.selectors import AuditFilters, list_administered_organizations

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


# --- Roles and accounts ---------------------------------------------------------------------------

# Beyond this many organizations a <select> gets too heavy for a phone: type the code instead.
ORGANIZATION_SELECT_LIMIT = 500
PASSWORD_WIDGET = forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=False)


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.code})"


def administered_organization_field(user) -> OrganizationChoiceField:
    """The organization to grant a role on, among those the user administers: a list, or a
    code box when there are too many for a list."""
    organizations = list_administered_organizations(user=user)
    field = OrganizationChoiceField(
        label=_("Organization (with its subtree)"),
        queryset=organizations,
        to_field_name="code",
        error_messages={
            "invalid_choice": _("This organization is not among those you administer."),
            "required": _("Choose the organization."),
        },
    )
    if organizations.count() > ORGANIZATION_SELECT_LIMIT:
        field.widget = forms.TextInput(attrs={"autocomplete": "off"})
        field.help_text = _("Enter the organization code.")
    return field


class RoleFilterForm(forms.Form):
    organization = forms.IntegerField(label=_("Organization"), required=False, min_value=1)
    organization_code = forms.CharField(label=_("Organization code"), required=False, max_length=40)
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("All")), *Role.choices]
    )
    q = forms.CharField(label=_("Login name or full name"), required=False, max_length=150)


class _PasswordPairForm(forms.Form):
    """A new password typed twice; whether it is strong enough is for the service to say."""

    password = forms.CharField(label=_("Password"), strip=False, widget=PASSWORD_WIDGET)
    password_confirmation = forms.CharField(
        label=_("Password (again)"), strip=False, widget=PASSWORD_WIDGET
    )

    def clean(self):
        data = super().clean()
        first, second = data.get("password"), data.get("password_confirmation")
        if first and second and first != second:
            self.add_error("password_confirmation", _("The two passwords do not match."))
        return data


class RoleGrantForm(forms.Form):
    """A role for an existing account on an organization the user administers."""

    username = forms.CharField(label=_("Login name"), max_length=150)
    organization = forms.Field()  # replaced in __init__: the choices depend on the user
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = administered_organization_field(user)

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        account = get_user_model().objects.filter(username=username).first()
        if account is None:
            raise ValidationError(
                _("No account has the login name “%(username)s”."),
                params={"username": username},
                code="unknown",
            )
        self.cleaned_data["user"] = account
        return username


class UserCreateForm(_PasswordPairForm):
    """A new account and its first role, in one step."""

    username = forms.CharField(label=_("Login name"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    organization = forms.Field()
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    field_order = [
        "username",
        "full_name",
        "password",
        "password_confirmation",
        "organization",
        "role",
    ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = administered_organization_field(user)
        if user.is_superuser:
            self.fields["is_superuser"] = forms.BooleanField(
                label=_("Superuser (every organization, and the admin site)"), required=False
            )
        self.order_fields(self.field_order)


class PasswordResetForm(_PasswordPairForm):
    """A new password for an account."""


# --- Rules and the working-day calendar -----------------------------------------------------------

# The deadline calculator counts at most this many working days (about four years).
DEADLINE_MAX_WORKING_DAYS = 1000


def _date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DATE_WIDGET,
        input_formats=DATE_FORMATS,
        error_messages={"invalid": BAD_DATE},
        **kwargs,
    )


class RuleVersionForm(forms.Form):
    """A new version of the rule ``key``. The value is read as text ("60", "2/3") or chosen from
    a list; ``services.add_rule_version`` checks it against the kind of the rule. A missing
    field is reported in the service's words, naming the rule."""

    value = forms.CharField(label=_("Value"), max_length=255)
    valid_from = _date_field(_("Valid from"))
    source_document = forms.CharField(label=_("Source document"), max_length=255)
    description = forms.CharField(label=_("Description"), max_length=255, required=False)

    def __init__(self, *args, key: str, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        value = self.fields["value"]
        if kind == services.EDUCATION:
            self.fields["value"] = value = forms.ChoiceField(
                label=value.label, choices=services.education_choices()
            )
        elif kind == services.INTEGER:
            value.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
            value.help_text = _("A whole number, in the unit the rule's name gives.")
        elif kind == services.FRACTION:
            value.widget.attrs.update({"placeholder": "2/3", "autocomplete": "off"})
            value.help_text = _("A fraction such as 2/3.")
        elif kind == services.AGE_BANDS:
            value.widget.attrs.update({"autocomplete": "off"})
            value.help_text = _("Age groups in ascending order, such as 18-30, 31-40, 71+.")
        try:
            services.clean_rule_value(key, "", kind=kind)
        except ValidationError as error:
            value.error_messages["required"] = " ".join(error.messages)
            value.error_messages["invalid_choice"] = " ".join(error.messages)
        self.fields["valid_from"].error_messages["required"] = services.missing_valid_from(key)
        self.fields["valid_from"].help_text = _(
            "The version in force until then ends that day. A date in the past applies the "
            "new version to the cases dated from then on."
        )
        source = self.fields["source_document"]
        source.error_messages["required"] = services.missing_rule_source(key)
        source.help_text = _(
            "The number, date and article of the regulation, e.g. QĐ 232-QĐ/TW (2025), point 4.3."
        )

    def clean_valid_from(self):
        return _check_year(self.cleaned_data.get("valid_from"))


class CalendarDayForm(forms.Form):
    """A day of the government's yearly notice: a day off or a make-up working day."""

    date = _date_field(_("Date"))
    kind = forms.ChoiceField(label=_("Kind of day"), choices=CalendarDayKind.choices)
    source_document = forms.CharField(label=_("Source document"), max_length=255)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].error_messages["required"] = services.MISSING_CALENDAR_DATE
        self.fields["kind"].error_messages.update(
            required=services.BAD_CALENDAR_KIND, invalid_choice=services.BAD_CALENDAR_KIND
        )
        self.fields["source_document"].error_messages["required"] = services.MISSING_CALENDAR_SOURCE
        self.fields["source_document"].help_text = _(
            "The government's notice, e.g. Thông báo 6150/TB-BLĐTBXH (2024)."
        )
        self.fields["note"].help_text = _("E.g. “Tết: day off instead of Saturday 08/02”.")

    def clean_date(self):
        return _check_year(self.cleaned_data.get("date"))


class DeadlineForm(forms.Form):
    """The deadline calculator: a start date and a number of working days."""

    start = _date_field(_("Start date"))
    days = forms.IntegerField(
        label=_("Working days"),
        min_value=0,
        max_value=DEADLINE_MAX_WORKING_DAYS,
        error_messages={
            "invalid": _("Working days: enter a whole number."),
            "min_value": _("Working days: enter 0 or more."),
            "max_value": _("Working days: at most %(limit_value)s."),
        },
    )

    def clean_start(self):
        start = self.cleaned_data.get("start")
        if (
            start is not None
            and not services.CALENDAR_FIRST_YEAR <= start.year <= services.CALENDAR_LAST_YEAR
        ):
            raise ValidationError(
                _("Start date: the calculator counts from %(first)s to %(last)s."),
                params={
                    "first": services.CALENDAR_FIRST_YEAR,
                    "last": services.CALENDAR_LAST_YEAR,
                },
                code="out_of_range",
            )
        return start


def form_error_messages(form: forms.Form) -> list[str]:
    """What a form of query parameters could not read, one line per field, naming it."""
    return [
        f"{form.fields[name].label}: {' '.join(str(e) for e in errors)}"
        if name in form.fields
        else " ".join(str(e) for e in errors)
        for name, errors in form.errors.items()
    ]


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the matching form fields (others on the form);
    ``ethnicity_id`` finds the form's ``ethnicity`` field."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            field = name.removesuffix("_id") if name not in form.fields else name
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)
