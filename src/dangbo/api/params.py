"""Query parameters of the API, declared once: they validate the request (400 naming the field,
in Vietnamese) and drf-spectacular expands them into the documented parameters."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dangbo.core.dates import parse_as_of, today
from dangbo.members.models import MemberStatus, PoliticalTheoryLevel, Sex
from dangbo.members.selectors import AGE_BANDS, ORDERINGS
from dangbo.organizations.models import OrganizationLevel

# The largest id a BigAutoField holds; a larger number would overflow in the query itself.
MAX_ID = 2**63 - 1
INVALID_ID = _("Invalid id: enter a positive whole number.")


@extend_schema_field(OpenApiTypes.STR)
class AsOfField(serializers.Field):
    """The date the data is read as of (``core.dates.parse_as_of``); empty or absent is today."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("default", today)
        kwargs.setdefault(
            "help_text",
            "The date the data is read as of: YYYY-MM-DD or DD/MM/YYYY; today when omitted.",
        )
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        try:
            return parse_as_of(str(data))
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None

    def to_representation(self, value):
        return value.isoformat()


class IdField(serializers.IntegerField):
    default_error_messages = {
        "invalid": INVALID_ID,
        "max_value": INVALID_ID,
        "min_value": INVALID_ID,
        "max_string_length": INVALID_ID,
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)


class SearchField(serializers.CharField):
    default_error_messages = {
        "invalid": _("Invalid search text."),
        "max_length": _("The search text is longer than {max_length} characters."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("max_length", 100)
        super().__init__(**kwargs)
        # Django's own message for this validator has no Vietnamese translation.
        self.validators = [
            v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]
        self.validators.append(
            ProhibitNullCharactersValidator(
                message=_("The search text contains an invalid character.")
            )
        )


class ChoiceParam(serializers.ChoiceField):
    """A choice given by its code; the error lists the codes allowed."""

    def __init__(self, choices, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        super().__init__(choices, **kwargs)

    def to_internal_value(self, data):
        value = str(data).strip()
        if value == "" and self.allow_blank:
            return ""
        if value in self.choice_strings_to_values:
            return self.choice_strings_to_values[value]
        # An unencoded "+" in a query string arrives as a space: "71+" reads "71 ".
        if f"{value}+" in self.choice_strings_to_values:
            return self.choice_strings_to_values[f"{value}+"]
        raise serializers.ValidationError(
            gettext("“%(value)s” is not a valid value; choose one of: %(choices)s.")
            % {"value": value[:40], "choices": ", ".join(self.choice_strings_to_values)},
            code="invalid_choice",
        )


class AsOfParams(serializers.Serializer):
    as_of = AsOfField()


class OrganizationListParams(AsOfParams):
    parent = IdField(help_text="Only the direct sub-organizations of this organization on as_of.")
    level = ChoiceParam(OrganizationLevel.choices, help_text="Only organizations of this level.")
    q = SearchField(help_text="Words of the name (accents optional) or part of the code.")


class MemberListParams(AsOfParams):
    q = SearchField(
        help_text="Words of the name (accents optional); digits match the start of the citizen "
        "ID, record number or card numbers."
    )
    organization = IdField(help_text="Only members registered in this organization's subtree.")
    status = ChoiceParam(
        [
            (MemberStatus.PROBATIONARY, MemberStatus.PROBATIONARY.label),
            (MemberStatus.FULL, MemberStatus.FULL.label),
        ],
        help_text="Status on as_of.",
    )
    sex = ChoiceParam(Sex.choices)
    age_band = ChoiceParam(list(AGE_BANDS), help_text="Age in whole years on as_of.")
    political_theory_level = ChoiceParam(PoliticalTheoryLevel.choices)
    ordering = ChoiceParam(list(ORDERINGS), default="name")


class StatsParams(AsOfParams):
    organization = IdField(
        help_text="The organization whose subtree is counted; the top of your scope when omitted."
    )
