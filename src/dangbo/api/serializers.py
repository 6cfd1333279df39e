"""What the API answers with. Read-only: the serializers only render what the selectors return."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rest_framework import serializers

from dangbo.members.models import Member, MembershipEvent, MembershipPeriod, MemberStatus, Sex
from dangbo.members.services import party_age_months
from dangbo.organizations.models import Organization
from dangbo.targets.models import ProgressVerdict, Target, Term


class OrganizationSerializer(serializers.ModelSerializer):
    parent = serializers.IntegerField(
        source="parent_id",
        allow_null=True,
        read_only=True,
        help_text="Id of the parent organization on as_of (null for a top organization).",
    )

    class Meta:
        model = Organization
        fields = [
            "id",
            "code",
            "name",
            "level",
            "kind",
            "functional_group",
            "statistics_type",
            "founded_on",
            "dissolved_on",
            "parent",
        ]
        read_only_fields = fields


class OrganizationRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "code", "name"]
        read_only_fields = fields


@dataclass(frozen=True)
class MemberOnDay:
    """A member as of a date, with the registration period that covers it (None if not a member
    that day). ``member.periods`` must be prefetched: party age reads them all."""

    member: Member
    period: MembershipPeriod | None
    as_of: dt.date

    @property
    def status(self) -> str:
        return self.period.status if self.period else MemberStatus.NOT_MEMBER

    @property
    def organization(self) -> Organization | None:
        return self.period.organization if self.period else None

    @property
    def party_age_months(self) -> int:
        return party_age_months(self.member, self.as_of)


class MemberSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="member.pk")
    full_name = serializers.CharField(source="member.person.full_name")
    surname = serializers.CharField(source="member.person.surname")
    middle_name = serializers.CharField(source="member.person.middle_name")
    given_name = serializers.CharField(source="member.person.given_name")
    sex = serializers.ChoiceField(Sex.choices, source="member.person.sex")
    date_of_birth = serializers.DateField(source="member.person.date_of_birth")
    citizen_id = serializers.CharField(source="member.person.citizen_id", allow_null=True)
    status = serializers.ChoiceField(MemberStatus.choices, help_text="Status on as_of.")
    organization = OrganizationRefSerializer(
        allow_null=True, help_text="Where the member is registered on as_of."
    )
    party_age_months = serializers.IntegerField(help_text="Party age on as_of, in whole months.")
    record_number = serializers.CharField(source="member.record_number")
    card_number = serializers.CharField(source="member.card_number")
    card_number_old = serializers.CharField(source="member.card_number_old")


class MembershipEventSerializer(serializers.ModelSerializer):
    organization = OrganizationRefSerializer()

    class Meta:
        model = MembershipEvent
        fields = ["kind", "date", "organization", "document_number"]
        read_only_fields = fields


class MemberDetailSerializer(MemberSerializer):
    events = MembershipEventSerializer(source="member.events", many=True)


class TermSerializer(serializers.ModelSerializer):
    class Meta:
        model = Term
        fields = ["name", "starts_on", "ends_on"]
        read_only_fields = fields


class OrganizationNameSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name"]
        read_only_fields = fields


class HeadlineFiguresSerializer(serializers.Serializer):
    """``reports.selectors.HeadlineFigures``: counts only, no personal data."""

    organization = OrganizationNameSerializer()
    as_of = serializers.DateField()
    grassroots_organizations = serializers.IntegerField()
    staff = serializers.IntegerField()
    members = serializers.IntegerField()
    probationary = serializers.IntegerField()
    full = serializers.IntegerField()
    admitted_in_term = serializers.IntegerField()
    term = TermSerializer(allow_null=True, help_text="The Congress term running on as_of.")


# --- Terms and targets --------------------------------------------------------------------------


class TargetSerializer(serializers.ModelSerializer):
    organization = OrganizationRefSerializer(help_text="The organization the target is set for.")
    yearly_rate_percent = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        coerce_to_string=False,
        allow_null=True,
        help_text="Yearly admissions as a percentage of the members on 1 January.",
    )

    class Meta:
        model = Target
        fields = ["organization", "new_members", "yearly_rate_percent", "resolution"]
        read_only_fields = fields


class TermDetailSerializer(serializers.ModelSerializer):
    """A Congress term with the targets set in it that lie in your scope."""

    organization = OrganizationRefSerializer()
    targets = TargetSerializer(source="visible_targets", many=True)

    class Meta:
        model = Term
        fields = ["id", "organization", "name", "starts_on", "ends_on", "resolution", "targets"]
        read_only_fields = fields


class TermRefSerializer(serializers.ModelSerializer):
    organization = OrganizationRefSerializer()

    class Meta:
        model = Term
        fields = ["id", "organization", "name", "starts_on", "ends_on", "resolution"]
        read_only_fields = fields


VERDICT_HELP = (
    "exceeded: the count has reached the target; on_track: its share of the target is at least "
    "the share of the time elapsed; behind: less; not_started: the period had not begun."
)


class YearProgressSerializer(serializers.Serializer):
    """``targets.selectors.YearProgress``: admissions in one calendar year of the term."""

    year = serializers.IntegerField()
    starts_on = serializers.DateField(help_text="First day of the year inside the term.")
    ends_on = serializers.DateField(help_text="Last day of the year inside the term.")
    admitted = serializers.IntegerField()
    members_at_start = serializers.IntegerField(
        allow_null=True, help_text="Members on 1 January (with a yearly rate only)."
    )
    expected = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        coerce_to_string=False,
        allow_null=True,
        help_text="Rate × members on 1 January × the share of the year inside the term.",
    )
    verdict = serializers.ChoiceField(
        ProgressVerdict.choices, allow_null=True, help_text=VERDICT_HELP
    )


class TermProgressSerializer(serializers.Serializer):
    """``targets.selectors.TermProgress``: counts only, no personal data."""

    term = TermRefSerializer()
    organization = OrganizationRefSerializer(help_text="The organization whose subtree counts.")
    as_of = serializers.DateField()
    counted_to = serializers.DateField(
        help_text="The last day counted: as_of, or the end of the term if earlier."
    )
    admitted = serializers.IntegerField(
        help_text="Admission decisions from the start of the term to counted_to."
    )
    target = TargetSerializer(
        allow_null=True, help_text="The organization's own target (null if it has none)."
    )
    share_percent = serializers.FloatField(
        allow_null=True, help_text="Admitted as a percentage of the new-members target."
    )
    term_days = serializers.IntegerField()
    elapsed_days = serializers.IntegerField()
    expected_share_percent = serializers.FloatField(
        help_text="Days elapsed as a percentage of the days of the term."
    )
    verdict = serializers.ChoiceField(
        ProgressVerdict.choices,
        allow_null=True,
        help_text="Against the new-members target. " + VERDICT_HELP,
    )
    rate_verdict = serializers.ChoiceField(
        ProgressVerdict.choices,
        allow_null=True,
        help_text="Against the yearly rate, for the last year counted.",
    )
    years = YearProgressSerializer(many=True)
