"""Forms of the audit log and role pages: they parse input and report what they cannot read;
the services in ``core.services`` validate the rules."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dangbo.core.models import AuditAction, Role
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
