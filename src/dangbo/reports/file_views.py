"""The statistics forms and the member register as .xlsx files to print and file.

The forms hold counts only, so they follow the count scope (statisticians download them too);
the register lists people, so it needs a personal scope. Both are audited, one row per file.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from django.views import View

from dangbo.core import exports
from dangbo.core.access import can_see_personal_data, top_organizations
from dangbo.core.dates import today
from dangbo.core.export_services import record_export
from dangbo.core.forms import form_error_messages
from dangbo.members.selectors import MemberFilters, list_member_periods
from dangbo.organizations.models import Organization
from dangbo.organizations.selectors import get_organization, place_of_issue
from dangbo.reports.forms import StatisticsForm
from dangbo.reports.statistics import get_statistics
from dangbo.reports.statistics.register import register_chunks, register_rows
from dangbo.reports.statistics.xlsx import (
    ALL_FORMS,
    FORM_KEYS,
    REGISTER_FORM,
    form_workbook,
    superior_name,
)


def _organization(request, *, personal: bool) -> Organization:
    """The organization of ``?organization=`` (404 outside the scope), else the top of the
    user's scope."""
    requested = request.GET.get("organization")
    if requested:
        return get_organization(user=request.user, pk=requested, personal=personal)
    tops = top_organizations(request.user, personal=personal)
    if not tops:
        raise Http404
    return tops[0]


def _date_errors(request) -> list[str]:
    error = getattr(request, "as_of_error", None)
    return [error] if error else []


def _xlsx_response(content: bytes, *, stem: str, display: str) -> HttpResponseBase:
    """The workbook as a download."""
    response = HttpResponse(content, content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = exports.content_disposition(
        stem, exports.XLSX, display_name=display
    )
    return response


class StatisticsFormDownloadView(LoginRequiredMixin, View):
    """One statistics form (1–4-TCTW), or all four as sheets of one workbook, of the chosen
    organization's subtree as of the chosen date."""

    def get(self, request, key: str):
        if key not in (*FORM_KEYS, ALL_FORMS):
            raise Http404
        user, as_of = request.user, request.as_of
        # The same parameters, defaults and checks as the statistics page.
        form = StatisticsForm(request.GET, as_of=as_of)
        form.is_valid()
        requested = form.cleaned_data.get("organization")
        if requested:
            organization = get_organization(user=user, pk=requested, personal=False)
        else:
            tops = top_organizations(user, personal=False)
            if not tops:
                raise PermissionDenied(_("Your role does not allow you to see statistics."))
            organization = tops[0]
        errors = _date_errors(request) + form_error_messages(form)
        if errors:
            return exports.bad_request_response(errors)
        start = form.cleaned_data.get("start") or dt.date(as_of.year, 1, 1)
        statistics = get_statistics(user=user, organization=organization, as_of=as_of, start=start)
        content = form_workbook(
            statistics, key, place=place_of_issue(organization, as_of), signed_on=today()
        )
        if key == ALL_FORMS:
            name = _("Statistics forms")
            stem = "bieu-thong-ke"
        else:
            number = next(t.number for t in statistics.tables if t.key == key)
            name = _("Statistics form %(number)s") % {"number": number}
            stem = f"bieu-thong-ke-{number}"
        record_export(
            actor=request.user,
            name=name,
            object_type="reports.statistics",
            file_format=exports.XLSX,
            filters=exports.query_filters(request),
            row_count=None,
            organization=organization,
        )
        return _xlsx_response(
            content,
            stem=f"{stem}-{as_of:%Y-%m-%d}",
            display=f"{name} {as_of:%d-%m-%Y}",
        )


class MemberRegisterDownloadView(LoginRequiredMixin, View):
    """The member register (7-HSĐV): every member registered in the subtree on the date, in
    name order, with admission and recognition dates, streamed while the rows are read."""

    def get(self, request):
        if not can_see_personal_data(request.user):
            raise PermissionDenied(_("Your role does not allow you to see the member register."))
        organization = _organization(request, personal=True)
        errors = _date_errors(request)
        if errors:
            return exports.bad_request_response(errors)
        as_of = request.as_of
        periods = list_member_periods(
            user=request.user, as_of=as_of, filters=MemberFilters(organization_id=organization.pk)
        )
        name = _("Party member register")
        # Audited before the first byte, with the number of members (one count query).
        record_export(
            actor=request.user,
            name=f"{name} ({REGISTER_FORM})",
            object_type="members.member",
            file_format=exports.XLSX,
            filters=exports.query_filters(request),
            row_count=periods.count(),
            organization=organization,
        )
        chunks = register_chunks(
            register_rows(periods.iterator(chunk_size=exports.CHUNK_SIZE), as_of=as_of),
            organization=organization,
            superior=superior_name(organization, as_of),
            as_of=as_of,
            place=place_of_issue(organization, as_of),
            signed_on=today(),
        )
        response = StreamingHttpResponse(chunks, content_type=exports.XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = exports.content_disposition(
            f"so-danh-sach-dang-vien-{as_of:%Y-%m-%d}",
            exports.XLSX,
            display_name=f"{name} {as_of:%d-%m-%Y}",
        )
        return response
