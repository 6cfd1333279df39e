"""The review report (báo cáo sơ kết / tổng kết) as a .docx download.

Counts only, like the statistics page: the organization is taken within the user's count scope
(statisticians included) and the download holds no personal data, so it is not audited.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views import View

from dangbo.core import docx
from dangbo.core.access import top_organizations
from dangbo.core.dates import today
from dangbo.core.exports import content_disposition
from dangbo.organizations.selectors import get_organization, place_of_issue
from dangbo.reports.forms import StatisticsForm
from dangbo.reports.review import INTERIM, KINDS, review_report
from dangbo.reports.statistics import get_statistics
from dangbo.targets.selectors import get_term_and_target


def _bad_request(messages: list[str]) -> HttpResponse:
    text = "\n".join([_("The review report was not made:"), *messages]) + "\n"
    return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")


class ReviewReportDownloadView(LoginRequiredMixin, View):
    """GET ?organization=&as_of=&start=&kind=interim|final: the review report of the
    organization's subtree for [start, as_of]. Without ``start`` the period begins at the
    Congress of the term running on ``as_of`` (1 January of that year when none runs)."""

    def get(self, request):
        user, as_of = request.user, request.as_of
        errors = []
        if request.as_of_error:
            errors.append(request.as_of_error)
        kind = request.GET.get("kind") or INTERIM
        if kind not in KINDS:
            errors.append(
                _("The report kind (kind): choose “interim” (interim review) or “final”.")
            )
        form = StatisticsForm(request.GET, as_of=as_of)
        if not form.is_valid():
            errors += [
                f"{form.fields[name].label} ({name}): {' '.join(messages)}"
                for name, messages in form.errors.items()
            ]
        if errors:
            return _bad_request(errors)
        requested = form.cleaned_data.get("organization")
        if requested:
            organization = get_organization(user=user, pk=requested, personal=False)
        else:
            tops = top_organizations(user, personal=False)
            if not tops:
                raise PermissionDenied(_("Your role does not allow you to see statistics."))
            organization = tops[0]
        start = form.cleaned_data.get("start")
        if start is None:
            term, _target = get_term_and_target(organization, as_of)
            start = term.starts_on if term is not None else dt.date(as_of.year, 1, 1)
        statistics = get_statistics(user=user, organization=organization, as_of=as_of, start=start)
        content = review_report(
            statistics,
            kind=kind,
            signed_on=today(),
            place=place_of_issue(organization, as_of),
        )
        response = HttpResponse(content, content_type=docx.CONTENT_TYPE)
        stem = f"review-{kind}-{organization.pk}-{as_of:%Y-%m-%d}"
        response["Content-Disposition"] = content_disposition(stem, "docx")
        return response
