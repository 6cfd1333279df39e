"""The API's addresses, under /api/. No documentation UI: drf-spectacular's Swagger/Redoc pages
load their scripts from a CDN, and the site serves nothing from one; the schema is enough."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import IsAuthenticated

from dangbo.api import admissions, views

app_name = "api"

organization_list = views.OrganizationViewSet.as_view({"get": "list"})
organization_detail = views.OrganizationViewSet.as_view({"get": "retrieve"})
member_list = views.MemberViewSet.as_view({"get": "list"})
member_detail = views.MemberViewSet.as_view({"get": "retrieve"})

urlpatterns = [
    path(
        "schema/",
        SpectacularAPIView.as_view(
            authentication_classes=views.AUTHENTICATION_CLASSES,
            permission_classes=[IsAuthenticated],
        ),
        name="schema",
    ),
    path("organizations/", organization_list, name="organization_list"),
    path("organizations/<str:pk>/", organization_detail, name="organization_detail"),
    path("members/", member_list, name="member_list"),
    path("members/<str:pk>/", member_detail, name="member_detail"),
    path("stats/", views.StatsView.as_view(), name="stats"),
    path("terms/", views.TermListView.as_view(), name="term_list"),
    path("terms/<str:pk>/progress/", views.TermProgressView.as_view(), name="term_progress"),
    path(
        "admissions/candidates/",
        admissions.CandidateListView.as_view(),
        name="admission_candidate_list",
    ),
    path(
        "admissions/candidates/<str:pk>/",
        admissions.CandidateDetailView.as_view(),
        name="admission_candidate_detail",
    ),
    path("admissions/due/", admissions.DueListView.as_view(), name="admission_due"),
    path("admissions/stages/", admissions.StageCountView.as_view(), name="admission_stages"),
    path(
        "admissions/eligibility/<str:pk>/",
        admissions.EligibilityView.as_view(),
        name="admission_eligibility",
    ),
    # Only addresses ending in "/", so that a missing slash still redirects (APPEND_SLASH).
    re_path(r"^(?:.*/)?$", views.not_found),
]
