"""The member list and the staff list, each with its export (.xlsx or .csv): reading the
filters from the query string once for a page and its export alike, and the helpers both lists
share (the organization filter and its options, pagination, the refusal of an export)."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import fields as dataclass_fields

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from dangbo.core import exports
from dangbo.core.access import scope_organization_ids
from dangbo.core.forms import form_error_messages
from dangbo.members.forms import PAGE_SIZES, MemberFilterForm, PersonFilterForm
from dangbo.members.selectors import MemberFilters, list_member_periods, list_people
from dangbo.organizations.models import Organization, OrganizationLevel
from dangbo.organizations.selectors import list_ancestors

ORGANIZATION_SELECT_LIMIT = 500


def _organization_filter(request, organization_id, code: str = ""):
    """The organization chosen in a filter (by id, or by code in large scopes), if the user may
    see it; otherwise an error message."""
    if not organization_id and not code:
        return None, None
    visible = Organization.objects.visible_to(request.user, personal=True)
    found = visible.filter(pk=organization_id) if organization_id else visible.filter(code=code)
    organization = found.first()
    if organization is None:
        return None, _(
            "The organization filter (organization): no such organization within your scope."
        )
    return organization, None


def _organization_options(request):
    """Organizations to pick in a filter, or None when there are too many for a list."""
    options = (
        Organization.objects.visible_to(request.user, personal=True)
        .active_on(request.as_of)
        .exclude(level=OrganizationLevel.CELL)
        .only("id", "name", "code")
        .order_by("sort_key", "id")
    )
    chosen = list(options[: ORGANIZATION_SELECT_LIMIT + 1])
    return None if len(chosen) > ORGANIZATION_SELECT_LIMIT else chosen


def _page(request, queryset, per_page: int):
    paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@dataclass(frozen=True)
class MemberListQuery:
    """What the member list was asked for: the form as read, the filters for the selector,
    the organization chosen (if any) and what could not be read."""

    form: MemberFilterForm
    filters: MemberFilters
    organization: Organization | None
    errors: list[str]
    organization_error: str | None


def _member_filter_defaults() -> dict[str, object]:
    """The fields of ``MemberFilters`` read from the form, with their defaults."""
    return {
        f.name: f.default for f in dataclass_fields(MemberFilters) if f.name != "organization_id"
    }


def read_member_filters(request) -> MemberListQuery:
    """The member list's filters from the query string: the one place that turns the request
    into ``MemberFilters``, for the page and its export alike."""
    form = MemberFilterForm(request.GET, as_of=request.as_of)
    form.is_valid()
    data = form.cleaned_data
    errors = form_error_messages(form)
    organization, org_error = _organization_filter(
        request, data.get("organization"), data.get("organization_code") or ""
    )
    if org_error:
        errors.append(org_error)
    # Every field of the form that is also a field of MemberFilters is read the same way, so
    # that a filter added to both is honoured by the page and the export at once.
    filters = MemberFilters(
        organization_id=organization.pk if organization else None,
        **{
            name: data.get(name) or default
            for name, default in _member_filter_defaults().items()
            if name in form.fields
        },
    )
    return MemberListQuery(form, filters, organization, errors, org_error)


def _require_member_list(request) -> None:
    if (
        not request.user.is_superuser
        and not scope_organization_ids(request.user, personal=True).exists()
    ):
        raise PermissionDenied(_("Your role does not allow you to see the member list."))


class MemberListView(LoginRequiredMixin, View):
    """Members registered on the chosen date, filtered, sorted and paginated."""

    def get(self, request):
        _require_member_list(request)
        query = read_member_filters(request)
        form, organization = query.form, query.organization
        per_page = form.cleaned_data.get("page_size") or 50
        if per_page not in PAGE_SIZES:
            per_page = 50
        periods = list_member_periods(user=request.user, as_of=request.as_of, filters=query.filters)
        page = _page(request, periods, per_page)
        return render(
            request,
            "members/member_list.html",
            {
                "nav": "members",
                "form": form,
                "page": page,
                "filter_errors": query.errors,
                "organization": organization,
                "query": _query_without_page(request),
                "ancestors": list_ancestors(organization, request.as_of) if organization else [],
                "organization_options": _organization_options(request),
                "more_filters": form.more_filters,
            },
        )


def _export_refusal(file_format, errors: list[str], organization_error: str | None):
    """Why an export cannot be made as asked: an organization outside the scope answers 404
    like a missing one; another unreadable filter, or an unknown format, a 400 naming it."""
    if organization_error:
        raise Http404
    if file_format is None:
        return exports.bad_format_response()
    if errors:
        return exports.bad_request_response(errors)
    return None


def _filter_details(form, names) -> list[tuple[str, str]]:
    """The chosen filters as (label, value) for the title block of an export."""
    details = []
    for name in names:
        value = form.cleaned_data.get(name)
        if value in (None, "", False):
            continue
        bound = form.fields[name]
        choices = dict(getattr(bound, "choices", ()) or ())
        shown = choices.get(value, choices.get(str(value), value))
        details.append((str(bound.label), _("Yes") if value is True else str(shown)))
    return details


def _member_columns() -> list[exports.Column]:
    return [
        exports.Column(_("Full name"), lambda p: p.member.person.full_name, 28),
        exports.Column(_("Date of birth"), lambda p: p.member.person.date_of_birth, 13),
        exports.Column(_("Sex"), lambda p: p.member.person.get_sex_display(), 8),
        exports.Column(_("Status"), lambda p: p.get_status_display(), 14),
        exports.Column(_("Branch / organization"), lambda p: p.organization.name, 36),
        exports.Column(
            _("Political theory"),
            lambda p: p.member.person.get_political_theory_level_display(),
            16,
        ),
    ]


def _member_rows(periods):
    """Every row of the member list, in the list's order, read in chunks by one query
    (``MemberList.iterator``), not page after page."""
    return periods.iterator(chunk_size=exports.CHUNK_SIZE)


def _uncapped_count(periods) -> int | None:
    """The number of rows, unless the count of a search stopped at its cap."""
    found = periods.count()
    return None if periods.capped else found


class MemberExportView(LoginRequiredMixin, View):
    """The member list as the page shows it (every page), as .xlsx or .csv."""

    def get(self, request):
        _require_member_list(request)
        query = read_member_filters(request)
        file_format = exports.requested_format(request)
        refusal = _export_refusal(file_format, query.errors, query.organization_error)
        if refusal is not None:
            return refusal
        periods = list_member_periods(user=request.user, as_of=request.as_of, filters=query.filters)
        export = exports.ListExport(
            name=_("Member list"),
            object_type="members.member",
            columns=_member_columns(),
            rows=_member_rows(periods),
            filename="danh-sach-dang-vien",
            as_of=request.as_of,
            organization=query.organization,
            details=_filter_details(
                query.form,
                [
                    n
                    for n in _member_filter_defaults()
                    if n in query.form.fields and n != "ordering"
                ],
            ),
            filters=exports.query_filters(request),
            count=lambda: _uncapped_count(periods),
        )
        return exports.export_response(request, export, file_format)


@dataclass(frozen=True)
class PersonListQuery:
    """What the staff list was asked for, read once for the page and its export."""

    form: PersonFilterForm
    organization: Organization | None
    organization_error: str | None
    q: str
    non_members: bool


def read_person_filters(request) -> PersonListQuery:
    """The staff list's filters from the query string (the page and its export)."""
    form = PersonFilterForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    organization, org_error = _organization_filter(
        request, data.get("organization"), data.get("organization_code") or ""
    )
    return PersonListQuery(
        form, organization, org_error, data.get("q") or "", bool(data.get("non_members"))
    )


def _list_people(request, query: PersonListQuery):
    return list_people(
        user=request.user,
        as_of=request.as_of,
        organization_id=query.organization.pk if query.organization else None,
        q=query.q,
        members=False if query.non_members else None,
    ).select_related("member")


class PersonListView(LoginRequiredMixin, View):
    """Staff employed on the chosen date, members or not."""

    def get(self, request):
        query = read_person_filters(request)
        page = _page(request, _list_people(request, query), 50)
        return render(
            request,
            "members/person_list.html",
            {
                "nav": "people",
                "form": query.form,
                "page": page,
                "organization": query.organization,
                "filter_errors": [query.organization_error] if query.organization_error else [],
                "query": _query_without_page(request),
                "organization_options": _organization_options(request),
                "can_create": Organization.objects.filter(
                    id__in=scope_organization_ids(request.user, write=True)
                ).exists(),
            },
        )


def _is_member(person) -> bool:
    # The reverse one-to-one is joined by the query: a missing member raises AttributeError.
    return hasattr(person, "member")


class PersonExportView(LoginRequiredMixin, View):
    """The staff list as the page shows it (every page), as .xlsx or .csv."""

    def get(self, request):
        query = read_person_filters(request)
        file_format = exports.requested_format(request)
        refusal = _export_refusal(
            file_format, form_error_messages(query.form), query.organization_error
        )
        if refusal is not None:
            return refusal
        people = _list_people(request, query)
        export = exports.ListExport(
            name=_("Staff list"),
            object_type="members.person",
            columns=[
                exports.Column(_("Full name"), lambda p: p.full_name, 28),
                exports.Column(_("Date of birth"), lambda p: p.date_of_birth, 13),
                exports.Column(_("Sex"), lambda p: p.get_sex_display(), 8),
                exports.Column(_("Party member"), _is_member, 12),
            ],
            rows=exports.chunked(people),
            filename="danh-sach-can-bo",
            as_of=request.as_of,
            organization=query.organization,
            details=_filter_details(query.form, ("q", "non_members")),
            filters=exports.query_filters(request),
            count=people.count,
        )
        return exports.export_response(request, export, file_format)
