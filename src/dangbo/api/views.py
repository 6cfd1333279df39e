"""The read-only REST API: thin views over the apps' selectors, scoped by ``core.access``.

Authentication: the web session, or a token sent as ``Authorization: Token <key>``. Tokens are
created by an administrator in the admin (Auth Token → Tokens, one per user); a token acts with
exactly the roles its user has on the web, and deleting it in the admin revokes it.

Access: organizations and statistics need any role (statisticians included); members are personal
data, so statisticians and users without a role get 403. Out-of-scope objects answer 404, like
missing ones. Every member detail read is written to the audit log.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404, JsonResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.generics import ListAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from dangbo.api.params import (
    MAX_ID,
    AsOfParams,
    IdField,
    MemberListParams,
    OrganizationListParams,
    StatsParams,
)
from dangbo.api.serializers import (
    HeadlineFiguresSerializer,
    MemberDetailSerializer,
    MemberOnDay,
    MemberSerializer,
    OrganizationSerializer,
    TermDetailSerializer,
    TermProgressSerializer,
)
from dangbo.core.access import (
    can_see_personal_data,
    has_any_role,
    scope_organization_ids,
    top_organizations,
)
from dangbo.members.selectors import MemberFilters, get_member, list_member_periods
from dangbo.members.services import record_view
from dangbo.organizations.models import Organization, OrganizationLink
from dangbo.organizations.selectors import get_organization, list_children, list_organizations
from dangbo.reports.selectors import headline_figures
from dangbo.targets.models import Target
from dangbo.targets.selectors import get_term_for, term_progress, visible_terms

# Token first, so that an anonymous request gets 401 with "WWW-Authenticate: Token".
AUTHENTICATION_CLASSES = [TokenAuthentication, SessionAuthentication]
ID_PATH_PARAMETER = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)


class HasAnyRole(BasePermission):
    message = _("Your account has no role on any party organization.")

    def has_permission(self, request, view) -> bool:
        return has_any_role(request.user, personal=False)


class CanSeePersonalData(BasePermission):
    message = _(
        "You may not see member records; the statistician role sees aggregate figures only."
    )

    def has_permission(self, request, view) -> bool:
        return can_see_personal_data(request.user)


class ApiPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500
    invalid_page_message = _("Invalid page, or the page has no data.")


class ApiMixin:
    """What every API view shares: authentication, and query parameters read through params.py."""

    authentication_classes = AUTHENTICATION_CLASSES
    filter_backends: list = []  # Filtering belongs to the selectors, fed by params.py.

    def read_params(self, params_class) -> dict:
        params = params_class(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return params.validated_data


def parse_id(value) -> int:
    """An id from the URL; anything else is a missing object (404), never a 500."""
    try:
        pk = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < pk <= MAX_ID:
        raise Http404
    return pk


def with_parent_id(organizations: QuerySet, day: dt.date) -> QuerySet:
    """Annotate ``parent_id``, the parent on ``day``, in the same query (no query per row).

    ``organizations.selectors.get_parent`` for a whole page; it belongs in that module.
    """
    link = OrganizationLink.objects.filter(child=OuterRef("pk"), valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=day)
    )
    return organizations.annotate(parent_id=Subquery(link.values("parent_id")[:1]))


@extend_schema_view(
    list=extend_schema(parameters=[OrganizationListParams]),
    retrieve=extend_schema(parameters=[AsOfParams, ID_PATH_PARAMETER]),
)
class OrganizationViewSet(ApiMixin, viewsets.ReadOnlyModelViewSet):
    """Party organizations your roles cover, as they stood on ``as_of`` (active that day)."""

    serializer_class = OrganizationSerializer
    permission_classes = [IsAuthenticated, HasAnyRole]
    pagination_class = ApiPagination

    def get_queryset(self):
        is_list = self.action == "list"
        params = self.read_params(OrganizationListParams if is_list else AsOfParams)
        day = params["as_of"]
        organizations = list_organizations(user=self.request.user, day=day, q=params.get("q", ""))
        if params.get("parent"):
            children = list_children(Organization(pk=params["parent"]), day)
            organizations = organizations.filter(id__in=children.values("id"))
        if params.get("level"):
            organizations = organizations.filter(level=params["level"])
        return with_parent_id(organizations, day)

    def get_object(self):
        organization = self.get_queryset().filter(pk=parse_id(self.kwargs["pk"])).first()
        if organization is None:
            raise Http404
        return organization


class MemberViewSet(ApiMixin, viewsets.GenericViewSet):
    """Party members registered in your scope (personal data: not for statisticians)."""

    serializer_class = MemberSerializer
    permission_classes = [IsAuthenticated, CanSeePersonalData]
    pagination_class = ApiPagination

    @extend_schema(parameters=[MemberListParams], responses=MemberSerializer(many=True))
    def list(self, request):
        """Members registered on ``as_of`` in your scope, one row each, by name or birth date."""
        params = self.read_params(MemberListParams)
        filters = MemberFilters(
            organization_id=params.get("organization"),
            status=params.get("status", ""),
            sex=params.get("sex", ""),
            age_band=params.get("age_band", ""),
            political_theory_level=params.get("political_theory_level", ""),
            q=params.get("q", ""),
            ordering=params.get("ordering") or "name",
        )
        periods = list_member_periods(
            user=request.user, as_of=params["as_of"], filters=filters
        ).prefetch_related("member__periods")
        page = self.paginate_queryset(periods)
        rows = [MemberOnDay(member=p.member, period=p, as_of=params["as_of"]) for p in page]
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)

    @extend_schema(parameters=[AsOfParams, ID_PATH_PARAMETER], responses=MemberDetailSerializer)
    def retrieve(self, request, pk=None):
        """One member's record as of ``as_of``, with the membership events; the read is audited."""
        as_of = self.read_params(AsOfParams)["as_of"]
        member = get_member(user=request.user, pk=parse_id(pk))
        # The same audit row as the web page's (the person's record, scoped to where they belong).
        record_view(actor=request.user, person=member.person)
        period = next((p for p in member.periods.all() if p.covers(as_of)), None)
        return Response(MemberDetailSerializer(MemberOnDay(member, period, as_of)).data)


class StatsView(ApiMixin, APIView):
    """Headline figures of an organization's subtree on ``as_of`` (counts only)."""

    permission_classes = [IsAuthenticated, HasAnyRole]

    @extend_schema(parameters=[StatsParams], responses=HeadlineFiguresSerializer)
    def get(self, request):
        params = self.read_params(StatsParams)
        if params.get("organization"):
            organization = get_organization(
                user=request.user, pk=params["organization"], personal=False
            )
        else:
            tops = top_organizations(request.user, personal=False)
            if not tops:
                raise Http404
            organization = tops[0]
        figures = headline_figures(
            user=request.user, organization=organization, as_of=params["as_of"]
        )
        return Response(HeadlineFiguresSerializer(figures).data)


class TermListView(ApiMixin, ListAPIView):
    """Congress terms that apply to organizations in your scope (theirs, and those of the
    committees above them), each with the targets set in it within your scope."""

    serializer_class = TermDetailSerializer
    permission_classes = [IsAuthenticated, HasAnyRole]
    pagination_class = ApiPagination

    def get_queryset(self):
        user = self.request.user
        targets = Target.objects.select_related("organization").order_by(
            "organization__sort_key", "organization_id"
        )
        if not user.is_superuser:
            targets = targets.filter(
                organization_id__in=scope_organization_ids(user, personal=False)
            )
        return (
            visible_terms(user)
            .select_related("organization")
            .prefetch_related(Prefetch("targets", queryset=targets, to_attr="visible_targets"))
            .order_by("-starts_on", "organization__sort_key", "id")
        )


class TermProgressParams(AsOfParams):
    organization = IdField(
        help_text="The organization whose subtree is counted, against its own target: the "
        "term's organization or one under it; by default the term's own, or the top of your "
        "scope under it."
    )


class TermProgressView(ApiMixin, APIView):
    """Admissions in a term as of ``as_of``: count, the organization's own target, share of
    it, share of the term elapsed, verdict, and admissions per calendar year (counts only)."""

    permission_classes = [IsAuthenticated, HasAnyRole]

    @extend_schema(
        parameters=[TermProgressParams, ID_PATH_PARAMETER], responses=TermProgressSerializer
    )
    def get(self, request, pk=None):
        params = self.read_params(TermProgressParams)
        term, organization = get_term_for(
            user=request.user, pk=parse_id(pk), organization_pk=params.get("organization")
        )
        progress = term_progress(
            user=request.user, organization=organization, as_of=params["as_of"], term=term
        )
        return Response(TermProgressSerializer(progress).data)


def not_found(request, *args, **kwargs):
    """Any other address under /api/: a JSON 404 rather than the site's HTML page."""
    return JsonResponse({"detail": gettext("Not found.")}, status=404)
