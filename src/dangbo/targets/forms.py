"""Forms of the term pages: they parse input; ``targets.services`` validates the rules."""

from __future__ import annotations

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from dangbo.core.access import scope_organization_ids
from dangbo.organizations.models import Organization, OrganizationClosure
from dangbo.targets.models import Term

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
BAD_DATE = _("Invalid date: enter it as dd/mm/yyyy.")
# Beyond this many organizations a <select> gets too heavy for a phone: type the code instead.
ORGANIZATION_SELECT_LIMIT = 500
MAX_NEW_MEMBERS = 10_000_000


def writable_organizations(user):
    """Organizations the user may set terms and targets for: the write scope, not dissolved."""
    organizations = Organization.objects.filter(dissolved_on__isnull=True)
    if not user.is_superuser:
        organizations = organizations.filter(id__in=scope_organization_ids(user, write=True))
    return organizations.order_by("sort_key", "id")


def writable_organizations_under(user, term: Term):
    """The writable organizations a target of ``term`` may be set for: its own organization
    and those under it at some time during the term."""
    under = (
        OrganizationClosure.objects.filter(
            ancestor_id=term.organization_id, valid_from__lte=term.ends_on
        )
        .exclude(valid_to__lte=term.starts_on)
        .values("descendant_id")
    )
    return writable_organizations(user).filter(id__in=under)


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organization) -> str:
        return f"{obj.name} ({obj.code})"


def organization_field(queryset, *, label) -> OrganizationChoiceField:
    field = OrganizationChoiceField(
        label=label,
        queryset=queryset,
        to_field_name="code",
        error_messages={
            "invalid_choice": _("This organization is not among those you may change."),
            "required": _("Choose the organization."),
        },
    )
    if queryset.count() > ORGANIZATION_SELECT_LIMIT:
        field.widget = forms.TextInput(attrs={"autocomplete": "off"})
        field.help_text = _("Enter the organization code.")
    return field


def _date_field(label) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DATE_WIDGET,
        input_formats=DATE_FORMATS,
        error_messages={"invalid": BAD_DATE, "required": _("Enter the date.")},
    )


class TermForm(forms.Form):
    """A new Congress term of one of the user's organizations."""

    organization = forms.Field()  # replaced in __init__: the choices depend on the user
    name = forms.CharField(
        label=_("Term name"),
        max_length=120,
        error_messages={"required": _("Enter the name of the term.")},
    )
    starts_on = _date_field(_("Start of the term"))
    ends_on = _date_field(_("End of the term"))
    resolution = forms.CharField(
        label=capfirst(_("Congress resolution")), max_length=255, required=False
    )
    field_order = ["organization", "name", "starts_on", "ends_on", "resolution"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = organization_field(
            writable_organizations(user), label=_("Party organization")
        )
        self.order_fields(self.field_order)


class TargetForm(forms.Form):
    """An organization's admission target for a term: new members, a yearly rate, or both."""

    organization = forms.Field()
    new_members = forms.IntegerField(
        label=_("New members over the term"),
        required=False,
        min_value=1,
        max_value=MAX_NEW_MEMBERS,
        error_messages={
            "invalid": _("The number of new members must be a positive whole number."),
            "min_value": _("The number of new members must be a positive whole number."),
            "max_value": _("The number of new members is too large."),
        },
    )
    yearly_rate_percent = forms.DecimalField(
        label=_("Yearly admissions (percent of members)"),
        required=False,
        localize=True,
        max_digits=5,
        decimal_places=2,
        help_text=_(
            "For example 3,5: each year, admit 3.5 percent of the members counted on 1 January."
        ),
        error_messages={
            "invalid": _("Enter the rate as a number, for example 3,5."),
            "max_digits": _(
                "The yearly rate must be more than 0 and at most 100 (percent of members)."
            ),
            "max_whole_digits": _(
                "The yearly rate must be more than 0 and at most 100 (percent of members)."
            ),
            "max_decimal_places": _("Enter the rate with at most two decimals."),
        },
    )
    resolution = forms.CharField(
        label=_("Resolution setting the target"), max_length=255, required=False
    )
    field_order = ["organization", "new_members", "yearly_rate_percent", "resolution"]

    def __init__(self, *args, user, term: Term, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = organization_field(
            writable_organizations_under(user, term), label=_("Party organization")
        )
        self.order_fields(self.field_order)
