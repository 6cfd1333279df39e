"""The dashboard and the statistics: figures of the user's subtree as of a date, the forms on
screen with every figure linked to the list it counts, and those lists."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from dangbo.admissions.selectors import count_overdue
from dangbo.core import exports
from dangbo.core.access import has_any_role, scope_for, top_organizations
from dangbo.core.forms import form_error_messages
from dangbo.organizations.selectors import get_organization, list_ancestors, list_sub_organizations
from dangbo.reports import charts
from dangbo.reports.forms import EventListForm, OrganizationListForm, StatisticsForm
from dangbo.reports.selectors import (
    event_kind_label,
    headline_figures,
    list_statistics_events,
    list_statistics_organizations,
)
from dangbo.reports.statistics import (
    Statistics,
    get_member_history,
    get_statistics,
    yearly_targets,
)
from dangbo.reports.statistics.forms import EVENTS, MEMBERS, ORGANIZATIONS, Table

PAGE_SIZE = 50


class DashboardView(LoginRequiredMixin, TemplateView):
    template_name = "reports/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, as_of = self.request.user, self.request.as_of
        tops = top_organizations(user, personal=False)
        requested = self.request.GET.get("organization")
        if requested:
            organization = get_organization(user=user, pk=requested)
        else:
            organization = tops[0] if tops else None
        context.update(nav="dashboard", organization=organization, tops=tops)
        if organization is not None:
            context["figures"] = headline_figures(user=user, organization=organization, as_of=as_of)
            context["admissions_overdue"] = count_overdue(
                user=user, organization=organization, as_of=as_of
            )
            context["ancestors"] = _visible_ancestors(user, organization, as_of, tops)
            figures = context["figures"]
            context["charts"] = {
                "members": charts.members_over_time(
                    get_member_history(user=user, organization=organization, as_of=as_of),
                    title=_("Party members over time"),
                ),
                "admissions": charts.admissions_vs_target(
                    yearly_targets(figures.progress) if figures.progress else (),
                    title=_("Admissions per year against the target"),
                ),
            }
        return context


def statistics_charts(statistics: Statistics) -> dict:
    return {
        "members": charts.members_over_time(statistics.history, title=_("Party members over time")),
        "pyramid": charts.age_pyramid(
            statistics.age_pyramid, title=_("Party members by age group and sex")
        ),
        "theory": charts.bar_chart(
            statistics.theory_levels, _("Party members by political theory (highest level)")
        ),
        "admissions": charts.admissions_vs_target(
            statistics.yearly_targets, title=_("Admissions per year against the target")
        ),
    }


def _visible_ancestors(user, organization, as_of: dt.date, tops) -> list:
    top_ids = {t.pk for t in tops}
    return [o for o in list_ancestors(organization, as_of) if o.pk in top_ids or user.is_superuser]


LIST_URLS = {
    MEMBERS: "members:member_list",
    EVENTS: "reports:statistics_events",
    ORGANIZATIONS: "reports:statistics_organizations",
}


def _linked_rows(table: Table, *, personal: bool) -> list[dict]:
    """The table's rows with each figure's list URL; lists of people only for users who may
    see the people of the whole subtree."""
    rows = []
    for row in table.rows:
        cells = []
        for cell in row.cells:
            url = None
            if cell.target is not None and cell.value:
                kind, params = cell.target
                if personal or kind == ORGANIZATIONS:
                    url = f"{reverse(LIST_URLS[kind])}?{urlencode(params)}"
            cells.append({"value": cell.value, "url": url})
        rows.append({"row": row, "cells": cells})
    return rows


class StatisticsView(LoginRequiredMixin, View):
    """The statistics of an organization's subtree as of a date: the forms 1–4-TCTW on screen,
    charts, and the sub-organizations to go down the tree."""

    def get(self, request):
        user, as_of = request.user, request.as_of
        tops = top_organizations(user, personal=False)
        form = StatisticsForm(request.GET, as_of=as_of)
        form.is_valid()
        errors = form_error_messages(form)
        requested = form.cleaned_data.get("organization")
        if requested:
            organization = get_organization(user=user, pk=requested, personal=False)
        elif tops:
            organization = tops[0]
        else:
            raise PermissionDenied(_("Your role does not allow you to see statistics."))
        start = form.cleaned_data.get("start") or dt.date(as_of.year, 1, 1)
        statistics = get_statistics(user=user, organization=organization, as_of=as_of, start=start)
        personal = scope_for(user, personal=True, within=(organization.pk, as_of)) is None
        query = urlencode(
            {
                "organization": organization.pk,
                "as_of": f"{as_of:%Y-%m-%d}",
                "start": f"{start:%Y-%m-%d}",
            }
        )
        return render(
            request,
            "reports/statistics.html",
            {
                "nav": "statistics",
                "organization": organization,
                "tops": tops,
                "ancestors": _visible_ancestors(user, organization, as_of, tops),
                "form": form,
                "filter_errors": errors,
                "start": start,
                "statistics": statistics,
                "tables": [
                    {"table": table, "rows": _linked_rows(table, personal=personal)}
                    for table in statistics.tables
                ],
                "personal": personal,
                "query": query,
                "charts": statistics_charts(statistics),
                "children": list_sub_organizations(user=user, organization=organization, day=as_of),
            },
        )


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("format", None)
    return params.urlencode()


EVENT_COLUMNS = (
    exports.Column(gettext_lazy("Full name"), lambda e: e.member.person.full_name, 30),
    exports.Column(gettext_lazy("Date of birth"), lambda e: e.member.person.date_of_birth, 14),
    exports.Column(gettext_lazy("Sex"), lambda e: e.member.person.get_sex_display(), 8),
    exports.Column(gettext_lazy("Event"), lambda e: e.get_kind_display(), 24),
    exports.Column(gettext_lazy("Effective date"), lambda e: e.date, 14),
    exports.Column(gettext_lazy("Party organization"), lambda e: e.organization.name, 40),
    exports.Column(gettext_lazy("Document number"), lambda e: e.document_number, 16),
)


class _StatisticsListView(LoginRequiredMixin, View):
    """A list behind a figure of the statistics: its page (paginated), or with ``?format=`` the
    whole list as .xlsx or .csv, audited. Subclasses read the form and select the rows."""

    template_name: str
    columns: tuple[exports.Column, ...]
    object_type: str
    filename: str

    def check(self, request) -> None:
        """Refuse users who may not see this list at all."""

    def make_form(self, request):
        raise NotImplementedError

    def select(self, request, data) -> tuple:
        """(organization, rows, title, as_of) for valid parameters."""
        raise NotImplementedError

    def get(self, request):
        self.check(request)
        form = self.make_form(request)
        file_format = request.GET.get("format")
        if not form.is_valid():
            if file_format:
                return exports.bad_request_response(form_error_messages(form))
            return render(
                request,
                self.template_name,
                {"nav": "statistics", "form": form, "filter_errors": form_error_messages(form)},
                status=400,
            )
        organization, rows, title, as_of = self.select(request, form)
        if file_format:
            if file_format not in exports.FORMATS:
                return exports.bad_format_response()
            export = exports.ListExport(
                name=title,
                object_type=self.object_type,
                columns=self.columns,
                rows=exports.chunked(rows),
                filename=self.filename,
                as_of=as_of,
                organization=organization,
                details=((_("Organization"), organization.name),),
                filters=exports.query_filters(request),
                count=rows.count,
            )
            return exports.export_response(request, export, file_format)
        return render(
            request,
            self.template_name,
            {
                "nav": "statistics",
                "form": form,
                "organization": organization,
                "title": title,
                "page": _page(request, rows),
                "query": _query_without_page(request),
            },
        )


class StatisticsEventListView(_StatisticsListView):
    """The members a figure of forms 3 or 4 counts: admissions, recognitions, exits or transfers
    over a period, in the subtree, of the chosen categories."""

    template_name = "reports/statistics_event_list.html"
    columns = EVENT_COLUMNS
    object_type = "member"
    filename = "statistics-events"

    def check(self, request) -> None:
        if not has_any_role(request.user, personal=True):
            raise PermissionDenied(_("Your role does not allow you to see lists of members."))

    def make_form(self, request):
        return EventListForm(request.GET, as_of=request.as_of)

    def select(self, request, form) -> tuple:
        data = form.cleaned_data
        organization = get_organization(user=request.user, pk=data["organization"], personal=True)
        events = list_statistics_events(
            user=request.user,
            organization=organization,
            start=data["start"],
            end=data["end"],
            kind=data["kind"],
            categories=form.categories(),
            youth_union=data.get("youth_union") or False,
        )
        title = _("%(event)s from %(start)s to %(end)s") % {
            "event": event_kind_label(data["kind"]),
            "start": f"{data['start']:%d/%m/%Y}",
            "end": f"{data['end']:%d/%m/%Y}",
        }
        return organization, events, title, data["end"]


ORGANIZATION_COLUMNS = (
    exports.Column(gettext_lazy("Organization code"), lambda o: o.code, 16),
    exports.Column(gettext_lazy("Organization name"), lambda o: o.name, 50),
    exports.Column(gettext_lazy("Level"), lambda o: o.get_level_display(), 24),
    exports.Column(gettext_lazy("Kind"), lambda o: o.get_kind_display(), 16),
    exports.Column(gettext_lazy("Statistics type"), lambda o: o.get_statistics_type_display(), 24),
    exports.Column(
        gettext_lazy("Functional group"), lambda o: o.get_functional_group_display(), 30
    ),
)


class StatisticsOrganizationListView(_StatisticsListView):
    """The organizations a figure of form 1-TCTW counts (no personal data: counts scope)."""

    template_name = "reports/statistics_organization_list.html"
    columns = ORGANIZATION_COLUMNS
    object_type = "organization"
    filename = "statistics-organizations"

    def make_form(self, request):
        return OrganizationListForm(request.GET)

    def select(self, request, form) -> tuple:
        organization = get_organization(
            user=request.user, pk=form.cleaned_data["organization"], personal=False
        )
        found = list_statistics_organizations(
            user=request.user,
            organization=organization,
            as_of=request.as_of,
            categories=form.categories(),
        )
        return organization, found, _("Party organizations counted"), request.as_of
