"""The admission pipeline in the API, read-only: candidates with their stage, the dossier of one
case (steps, votes, stored rule verdicts, the running deadline), due steps, counts per stage and
a dry run of the eligibility checks for a proposed branch meeting date.

Scoped like the web pages through ``admissions.selectors``: candidates are personal data
(statisticians and users without a role get 403, a case out of scope 404); the counts per stage
are figures, open to statisticians too. Reading one case is audited like a member's record.
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from dangbo.admissions import rules
from dangbo.admissions.models import Stage
from dangbo.admissions.selectors import (
    DEADLINE_RULES,
    RuleBook,
    count_by_stage,
    count_overdue,
    get_candidate,
    list_candidates,
    list_deadlines,
    list_next_steps,
    next_deadline,
    stage_of,
)
from dangbo.api.params import AsOfField, AsOfParams, ChoiceParam, IdField, SearchField
from dangbo.api.views import (
    ID_PATH_PARAMETER,
    ApiMixin,
    ApiPagination,
    CanSeePersonalData,
    HasAnyRole,
    parse_id,
)
from dangbo.core.access import top_organizations
from dangbo.core.models import Rule
from dangbo.core.text import search_terms
from dangbo.members.selectors import name_term
from dangbo.members.services import record_view
from dangbo.organizations.models import Organization
from dangbo.organizations.selectors import get_organization

# --- parameters -------------------------------------------------------------------------------


class CandidateListParams(AsOfParams):
    organization = IdField(help_text="Only candidates developed in this organization's subtree.")
    stage = ChoiceParam(Stage.choices, help_text="Only candidates in this stage on as_of.")
    q = SearchField(help_text="Words of the candidate's name (accents optional).")


class DueParams(AsOfParams):
    organization = IdField(help_text="Only cases developed in this organization's subtree.")
    within_days = serializers.IntegerField(
        required=False,
        default=30,
        min_value=0,
        max_value=366,
        help_text="Steps due from the start of time to as_of plus this many calendar days "
        "(overdue steps included); 30 when omitted.",
    )


class StageParams(AsOfParams):
    organization = IdField(
        help_text="The organization whose subtree is counted; the top of your scope when omitted."
    )


class EligibilityParams(serializers.Serializer):
    meeting_date = AsOfField(
        help_text="The proposed date of the branch meeting: YYYY-MM-DD or DD/MM/YYYY; today "
        "when omitted."
    )


# --- serializers ------------------------------------------------------------------------------


class NamedRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField(source="__str__")


class PersonRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField(source="full_name")


class CandidateSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    person = PersonRefSerializer()
    organization = NamedRefSerializer()
    source = serializers.CharField()
    helper = PersonRefSerializer(source="helper.person")
    started_on = serializers.DateField()
    stage = serializers.CharField()


class RuleVersionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    value = serializers.JSONField()
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(allow_null=True)
    source_document = serializers.CharField()


class VerdictSerializer(serializers.Serializer):
    rule_key = serializers.CharField()
    rule = RuleVersionSerializer(allow_null=True)
    subject = serializers.CharField()
    value = serializers.JSONField(allow_null=True)
    outcome = serializers.CharField()
    message = serializers.CharField()


class ResolutionSerializer(serializers.Serializer):
    eligible_members = serializers.IntegerField()
    present = serializers.IntegerField()
    votes_for = serializers.IntegerField()
    votes_against = serializers.IntegerField()
    passed = serializers.BooleanField()


class StepSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    kind = serializers.CharField()
    date = serializers.DateField()
    document_number = serializers.CharField()
    note = serializers.CharField()
    resolution = serializers.SerializerMethodField()
    introducer = serializers.SerializerMethodField()
    verdicts = serializers.SerializerMethodField()

    @extend_schema_field(ResolutionSerializer(allow_null=True))
    def get_resolution(self, step):
        resolution = getattr(step, "resolution", None)
        return ResolutionSerializer(resolution).data if resolution is not None else None

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_introducer(self, step):
        introduction = getattr(step, "introduction", None)
        if introduction is None:
            return None
        if introduction.introducer_id:
            return {
                "member_id": introduction.introducer_id,
                "name": introduction.introducer.person.full_name,
            }
        return {
            "union_committee": introduction.union_committee,
            "resolution_number": introduction.resolution_number,
        }

    @extend_schema_field(VerdictSerializer(many=True))
    def get_verdicts(self, step):
        versions = self.context["rules"]
        return [
            VerdictSerializer(
                {
                    "rule_key": v.rule_key,
                    "rule": versions.get(v.rule_id),
                    "subject": v.subject,
                    "value": v.value,
                    "outcome": v.outcome,
                    "message": v.message,
                }
            ).data
            for v in step.verdicts.all()
        ]


class DeadlineSerializer(serializers.Serializer):
    step_kind = serializers.CharField()
    starts_on = serializers.DateField()
    working_days = serializers.IntegerField()
    extension_days = serializers.IntegerField()
    due_on = serializers.DateField()
    overdue = serializers.BooleanField()
    rule = RuleVersionSerializer()


class CandidateDetailSerializer(CandidateSerializer):
    notes = serializers.CharField()
    steps = serializers.SerializerMethodField()
    deadline = serializers.SerializerMethodField()
    next_steps = serializers.SerializerMethodField(
        help_text="Step kinds the procedure allows next on as_of (the transitions)."
    )

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_next_steps(self, candidate):
        return list_next_steps(candidate, self.context["as_of"])

    @extend_schema_field(StepSerializer(many=True))
    def get_steps(self, candidate):
        return StepSerializer(candidate.steps.all(), many=True, context=self.context).data

    @extend_schema_field(DeadlineSerializer(allow_null=True))
    def get_deadline(self, candidate):
        deadline = self.context["deadline"]
        if deadline is None:
            return None
        return DeadlineSerializer(
            {**deadline.__dict__, "overdue": deadline.is_overdue(self.context["as_of"])}
        ).data


class DueSerializer(DeadlineSerializer):
    candidate = serializers.SerializerMethodField()
    organization = NamedRefSerializer(source="candidate.organization")

    @extend_schema_field(PersonRefSerializer)
    def get_candidate(self, deadline):
        candidate = deadline["candidate"]
        return {"id": candidate.pk, "name": candidate.person.full_name}


class StageCountsSerializer(serializers.Serializer):
    organization = NamedRefSerializer()
    as_of = serializers.DateField()
    stages = serializers.DictField(child=serializers.IntegerField())
    overdue = serializers.IntegerField()


class EligibilitySerializer(serializers.Serializer):
    candidate = serializers.IntegerField()
    meeting_date = serializers.DateField()
    eligible = serializers.BooleanField()
    verdicts = VerdictSerializer(many=True)


# --- views ------------------------------------------------------------------------------------


def _organization(user, pk, *, personal: bool) -> Organization:
    """The organization named by a parameter (404 out of scope), else the top of the scope."""
    if pk:
        return get_organization(user=user, pk=pk, personal=personal)
    tops = top_organizations(user, personal=personal)
    if not tops:
        raise Http404
    return tops[0]


class CandidateListView(ApiMixin, GenericAPIView):
    """Admission candidates in your scope as they stood on ``as_of``, each with its stage."""

    permission_classes = [IsAuthenticated, CanSeePersonalData]
    pagination_class = ApiPagination
    serializer_class = CandidateSerializer

    @extend_schema(parameters=[CandidateListParams], responses=CandidateSerializer(many=True))
    def get(self, request):
        params = self.read_params(CandidateListParams)
        organization = None
        if params.get("organization"):
            organization = get_organization(user=request.user, pk=params["organization"])
        candidates = list_candidates(
            user=request.user,
            organization=organization,
            as_of=params["as_of"],
            stage=params.get("stage", ""),
        )
        for term in search_terms(params.get("q", "")):
            candidates = candidates.filter(name_term(term, "person__search_name"))
        page = self.paginate_queryset(candidates)
        return self.get_paginated_response(CandidateSerializer(page, many=True).data)


class CandidateDetailView(ApiMixin, APIView):
    """One case as of ``as_of``: its steps with the votes and the stored rule verdicts (rule
    version, value used, source document), and the deadline of its next step. Audited."""

    permission_classes = [IsAuthenticated, CanSeePersonalData]

    @extend_schema(parameters=[AsOfParams, ID_PATH_PARAMETER], responses=CandidateDetailSerializer)
    def get(self, request, pk=None):
        as_of = self.read_params(AsOfParams)["as_of"]
        candidate = get_candidate(user=request.user, pk=parse_id(pk))
        record_view(actor=request.user, person=candidate.person)
        steps = [s for s in candidate.steps.all() if s.date <= as_of]
        candidate.stage = stage_of(steps, as_of)
        rule_ids = {v.rule_id for s in steps for v in s.verdicts.all() if v.rule_id}
        book = RuleBook([rules.PROBATION, *DEADLINE_RULES.values()])
        deadline = next_deadline(
            candidate,
            as_of,
            steps=steps,
            extensions=list(candidate.extensions.all()),
            in_force=book.in_force,
        )
        context = {
            "rules": Rule.objects.in_bulk(rule_ids) if rule_ids else {},
            "deadline": deadline,
            "as_of": as_of,
        }
        data = CandidateDetailSerializer(candidate, context=context).data
        data["steps"] = StepSerializer(steps, many=True, context=context).data
        return Response(data)


class DueListView(ApiMixin, APIView):
    """The next steps of the open cases in your scope due by ``as_of`` + ``within_days``,
    overdue ones included, soonest first."""

    permission_classes = [IsAuthenticated, CanSeePersonalData]

    @extend_schema(parameters=[DueParams], responses=DueSerializer(many=True))
    def get(self, request):
        params = self.read_params(DueParams)
        organization = None
        if params.get("organization"):
            organization = get_organization(user=request.user, pk=params["organization"])
        as_of = params["as_of"]
        until = as_of.toordinal() + params["within_days"]
        deadlines = [
            {**d.__dict__, "overdue": d.is_overdue(as_of)}
            for d in list_deadlines(user=request.user, organization=organization, as_of=as_of)
            if d.due_on.toordinal() <= until
        ]
        return Response(DueSerializer(deadlines, many=True).data)


class StageCountView(ApiMixin, APIView):
    """How many cases stand in each stage on ``as_of`` in an organization's subtree, and how
    many are overdue (counts only: statisticians too)."""

    permission_classes = [IsAuthenticated, HasAnyRole]

    @extend_schema(parameters=[StageParams], responses=StageCountsSerializer)
    def get(self, request):
        params = self.read_params(StageParams)
        organization = _organization(request.user, params.get("organization"), personal=False)
        as_of = params["as_of"]
        counts = count_by_stage(user=request.user, organization=organization, as_of=as_of)
        overdue = count_overdue(user=request.user, organization=organization, as_of=as_of)
        return Response(
            StageCountsSerializer(
                {
                    "organization": organization,
                    "as_of": as_of,
                    "stages": counts,
                    "overdue": overdue,
                }
            ).data
        )


class EligibilityView(ApiMixin, APIView):
    """The eligibility checks of a case for a proposed branch meeting date, with the rule
    versions in force that day. A dry run: nothing is recorded."""

    permission_classes = [IsAuthenticated, CanSeePersonalData]

    @extend_schema(
        parameters=[EligibilityParams, ID_PATH_PARAMETER], responses=EligibilitySerializer
    )
    def get(self, request, pk=None):
        meeting_date = self.read_params(EligibilityParams)["meeting_date"]
        candidate = get_candidate(user=request.user, pk=parse_id(pk))
        verdicts = rules.check_eligibility(candidate, meeting_date, list(candidate.steps.all()))
        rows = [
            {
                "rule_key": v.key,
                "rule": v.rule,
                "subject": v.subject,
                "value": v.value,
                "outcome": v.outcome,
                "message": v.text,
            }
            for v in verdicts
        ]
        return Response(
            EligibilitySerializer(
                {
                    "candidate": candidate.pk,
                    "meeting_date": meeting_date,
                    "eligible": all(v.passed for v in verdicts),
                    "verdicts": rows,
                }
            ).data
        )


__all__ = [
    "CandidateDetailView",
    "CandidateListView",
    "DueListView",
    "EligibilityView",
    "StageCountView",
]
