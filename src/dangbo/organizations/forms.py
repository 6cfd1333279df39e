"""Forms of the organization pages: they parse input; the services validate the domain rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dangbo.core.access import scope_organization_ids
from dangbo.organizations.models import (
    LEVEL_DEPTH,
    FunctionalGroup,
    Organization,
    OrganizationKind,
    OrganizationLevel,
    StatisticsType,
)

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Beyond this many possible parents a <select> gets too heavy for a phone: type the code instead.
PARENT_SELECT_LIMIT = 500


def writable_parents(user):
    """Organizations the user may add sub-organizations to: the write scope, without party
    cells (which have none) and without dissolved organizations."""
    return (
        Organization.objects.filter(id__in=scope_organization_ids(user, write=True))
        .filter(dissolved_on__isnull=True)
        .exclude(level=OrganizationLevel.CELL)
        .order_by("sort_key", "id")
    )


def initial_for_child(parent: Organization | None) -> dict:
    """Sensible defaults for a new organization under ``parent``: the next level down."""
    if parent is None:
        return {"level": OrganizationLevel.PROVINCIAL, "kind": OrganizationKind.COMMITTEE}
    if parent.kind == OrganizationKind.BRANCH:
        level = OrganizationLevel.CELL
    else:
        depth = min(LEVEL_DEPTH[parent.level] + 1, len(OrganizationLevel.values) - 1)
        level = OrganizationLevel.values[depth]
        if level == OrganizationLevel.SUB_COMMITTEE:
            level = OrganizationLevel.BRANCH
    kind = {
        OrganizationLevel.CELL: OrganizationKind.CELL,
        OrganizationLevel.BRANCH: OrganizationKind.BRANCH,
    }.get(level, OrganizationKind.COMMITTEE)
    return {
        "parent": parent,
        "level": level,
        "kind": kind,
        "functional_group": parent.functional_group,
        "statistics_type": parent.statistics_type,
    }


class ParentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organization) -> str:
        return f"{obj.name} ({obj.code})"


class OrganizationForm(forms.Form):
    """The organization's own fields, as ``organizations.services`` takes them."""

    code = forms.CharField(label=_("Organization code"), max_length=40)
    name = forms.CharField(label=_("Organization name"), max_length=255)
    short_name = forms.CharField(label=_("Short name"), max_length=80, required=False)
    place_name = forms.CharField(
        label=_("Place of issue"),
        max_length=80,
        required=False,
        help_text=Organization._meta.get_field("place_name").help_text,
        error_messages={
            "max_length": _(
                "The place of issue can be at most %(limit_value)d characters "
                "(it has %(show_value)d)."
            )
        },
    )
    level = forms.ChoiceField(label=_("Level"), choices=OrganizationLevel.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganizationKind.choices)
    functional_group = forms.ChoiceField(
        label=_("Functional group"),
        required=False,
        choices=[("", _("(none)")), *FunctionalGroup.choices],
    )
    statistics_type = forms.ChoiceField(
        label=_("Statistics type"),
        required=False,
        choices=[("", _("(none)")), *StatisticsType.choices],
    )
    founded_on = forms.DateField(
        label=_("Founded on"),
        required=False,
        widget=DATE_WIDGET,
        input_formats=DATE_FORMATS,
        error_messages={"invalid": _("Invalid date: enter it as dd/mm/yyyy.")},
    )

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("parent", None)
        return data


class OrganizationCreateForm(OrganizationForm):
    """A new organization under a parent chosen within the user's write scope."""

    field_order = ["parent", "code", "name", "short_name", "place_name", "level", "kind"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        parents = writable_parents(user)
        parent_field = ParentChoiceField(
            label=_("Parent organization"),
            queryset=parents,
            to_field_name="code",
            required=not user.is_superuser,
            empty_label=_("(none – a top-level organization)") if user.is_superuser else None,
            error_messages={
                "invalid_choice": _("This parent organization is not among those you may change."),
                "required": _("Choose the parent organization."),
            },
        )
        if parents.count() > PARENT_SELECT_LIMIT:
            parent_field.widget = forms.TextInput(attrs={"autocomplete": "off"})
            parent_field.help_text = _("Enter the code of the parent organization.")
        self.fields["parent"] = parent_field
        self.order_fields(self.field_order)
        self.fields["founded_on"].required = True
        self.fields["founded_on"].error_messages["required"] = _("Enter the founding date.")


class OrganizationUpdateForm(OrganizationForm):
    """The organization's own fields; its place in the tree changes by reorganization only."""

    dissolved_on = forms.DateField(
        label=_("Dissolved on"),
        required=False,
        widget=DATE_WIDGET,
        input_formats=DATE_FORMATS,
        error_messages={"invalid": _("Invalid date: enter it as dd/mm/yyyy.")},
    )

    @classmethod
    def initial_from(cls, organization: Organization) -> dict:
        return {name: getattr(organization, name) for name in cls.base_fields}
