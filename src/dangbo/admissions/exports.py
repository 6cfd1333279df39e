"""The admission lists as files: the board (candidates by stage) and the due list, as .xlsx or
.csv, with the same access check, organization filter and selectors as their pages."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils.translation import gettext as _
from django.views import View

from dangbo.admissions.models import Stage
from dangbo.admissions.selectors import list_candidates, list_deadlines, list_due
from dangbo.admissions.views import DUE_WITHIN_DAYS, _organization, _require_personal_scope
from dangbo.core import exports


def _deadline_text(deadline) -> str:
    if deadline is None:
        return ""
    return f"{deadline.step_label}: {deadline.due_on:%d/%m/%Y}"


class BoardExportView(LoginRequiredMixin, View):
    """The candidates of the board, with their stage and next deadline, as of the chosen date."""

    def get(self, request):
        _require_personal_scope(request)
        organization = _organization(request)
        file_format = exports.requested_format(request)
        if file_format is None:
            return exports.bad_format_response()
        as_of = request.as_of
        deadlines = {
            d.candidate.pk: d
            for d in list_deadlines(user=request.user, organization=organization, as_of=as_of)
        }
        candidates = list_candidates(user=request.user, organization=organization, as_of=as_of)
        stages = {stage.value: stage.label for stage in Stage}
        order = {stage.value: index for index, stage in enumerate(Stage)}
        # The board shows the stages in their order, candidates by name within each.
        rows = sorted(candidates, key=lambda c: order.get(c.stage, len(order)))
        export = exports.ListExport(
            name=_("Member development"),
            object_type="admissions.candidate",
            columns=[
                exports.Column(_("Stage"), lambda c: stages.get(c.stage, c.stage), 24),
                exports.Column(_("Candidate"), lambda c: c.person.full_name, 28),
                exports.Column(_("Developing branch"), lambda c: c.organization.name, 36),
                exports.Column(
                    _("Helper"), lambda c: c.helper.person.full_name if c.helper else "", 28
                ),
                exports.Column(
                    _("Next deadline"), lambda c: _deadline_text(deadlines.get(c.pk)), 36
                ),
            ],
            rows=rows,
            filename="phat-trien-dang-vien",
            as_of=as_of,
            organization=organization,
            filters=exports.query_filters(request),
            count=lambda: len(rows),
        )
        return exports.export_response(request, export, file_format)


class DueListExportView(LoginRequiredMixin, View):
    """The overdue steps, then those due in the next 30 days, as the due list shows them."""

    def get(self, request):
        _require_personal_scope(request)
        organization = _organization(request)
        file_format = exports.requested_format(request)
        if file_format is None:
            return exports.bad_format_response()
        as_of = request.as_of
        overdue = [
            d
            for d in list_deadlines(user=request.user, organization=organization, as_of=as_of)
            if d.is_overdue(as_of)
        ]
        due = list_due(
            user=request.user, organization=organization, as_of=as_of, within_days=DUE_WITHIN_DAYS
        )
        rows = [*overdue, *due]
        export = exports.ListExport(
            name=_("Admission deadlines"),
            object_type="admissions.candidate",
            columns=[
                exports.Column(_("Overdue"), lambda d: d.is_overdue(as_of), 10),
                exports.Column(_("Candidate"), lambda d: d.candidate.person.full_name, 28),
                exports.Column(_("Developing branch"), lambda d: d.candidate.organization.name, 36),
                exports.Column(_("Step"), lambda d: d.step_label, 28),
                exports.Column(_("Counted from"), lambda d: d.starts_on, 13),
                exports.Column(_("Working days"), lambda d: d.working_days, 10),
                exports.Column(_("Extension (working days)"), lambda d: d.extension_days, 12),
                exports.Column(_("Due on"), lambda d: d.due_on, 13),
            ],
            rows=rows,
            filename="thoi-han-ket-nap",
            as_of=as_of,
            organization=organization,
            filters=exports.query_filters(request),
            count=lambda: len(rows),
        )
        return exports.export_response(request, export, file_format)
