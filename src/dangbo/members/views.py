"""Pages for members and staff: lists, records, and the forms that call the services."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import fields as dataclass_fields

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from dangbo.core import exports
from dangbo.core.access import can_write, require_write, scope_organization_ids
from dangbo.core.dates import today
from dangbo.core.forms import apply_service_errors, form_error_messages
from dangbo.members import services
from dangbo.members.forms import (
    PAGE_SIZES,
    AdmissionForm,
    CeremonyForm,
    MemberFilterForm,
    MemberNumbersForm,
    PersonCreateForm,
    PersonFilterForm,
    PersonForm,
    RecognitionForm,
)
from dangbo.members.models import MembershipEventKind, MemberStatus
from dangbo.members.selectors import (
    MemberFilters,
    get_member,
    get_person,
    list_member_periods,
    list_people,
)
from dangbo.organizations.models import Organization, OrganizationLevel
from dangbo.organizations.selectors import list_ancestors


def _as_of_query(request) -> str:
    return "" if request.as_of_is_today else f"?as_of={request.as_of:%Y-%m-%d}"


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


class MemberDetailView(LoginRequiredMixin, View):
    """A member's record, the timeline of events and party age, as of the chosen date."""

    def get(self, request, pk):
        member = get_member(user=request.user, pk=pk)
        person = member.person
        as_of = request.as_of
        periods = list(member.periods.all())
        current = next((p for p in periods if p.covers(as_of)), None)
        last = current or (max(periods, key=lambda p: p.valid_from) if periods else None)
        events = sorted(member.events.all(), key=lambda e: (e.date, e.pk))
        services.record_view(actor=request.user, person=person)
        writable = last is not None and can_write(request.user, last.organization)
        has_ceremony = any(e.kind == MembershipEventKind.CEREMONY for e in events)
        status_now = services.status_on(member, today())
        age_months = services.party_age_months(member, as_of)
        return render(
            request,
            "members/member_detail.html",
            {
                "nav": "members",
                "member": member,
                "person": person,
                "events": events,
                "status": current.status if current else MemberStatus.NOT_MEMBER,
                "status_label": MemberStatus(current.status if current else "not_member").label,
                "organization": current.organization if current else None,
                "ancestors": list_ancestors(current.organization, as_of) if current else [],
                "party_age_years": age_months // 12,
                "party_age_rest": age_months % 12,
                "party_age_months": age_months,
                "can_write": writable,
                "can_record_ceremony": writable
                and status_now == MemberStatus.PROBATIONARY
                and not has_ceremony,
                "can_recognize": writable
                and status_now == MemberStatus.PROBATIONARY
                and has_ceremony,
                "employments": person.employments.select_related("organization"),
            },
        )


class _MemberFormView(LoginRequiredMixin, View):
    """A form that changes one member; 404 outside the personal scope, 403 without write."""

    form_class: type = MemberNumbersForm
    title = ""

    def member_and_org(self, request, pk):
        member = get_member(user=request.user, pk=pk)
        organization = services.home_organization(member.person)
        require_write(request.user, organization)
        return member, organization

    def initial(self, member):
        return {}

    def get(self, request, pk):
        member, _org = self.member_and_org(request, pk)
        return self.render(request, member, self.form_class(initial=self.initial(member)))

    def post(self, request, pk):
        member, _org = self.member_and_org(request, pk)
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                self.save(request, member, form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, self.success_message)
                return redirect("members:member_detail", pk=member.pk)
        return self.render(request, member, form, status=400)

    def render(self, request, member, form, status=200):
        return render(
            request,
            "members/member_form.html",
            {
                "nav": "members",
                "member": member,
                "person": member.person,
                "form": form,
                "title": self.title,
                "show_as_of": False,
            },
            status=status,
        )


class MemberUpdateView(_MemberFormView):
    form_class = MemberNumbersForm

    @property
    def title(self):
        return _("Edit record and party card numbers")

    @property
    def success_message(self):
        return _("Changes saved.")

    def initial(self, member):
        return {f: getattr(member, f) for f in services.MEMBER_FIELDS}

    def save(self, request, member, data):
        services.update_member(actor=request.user, member=member, **data)


class MemberCeremonyView(_MemberFormView):
    form_class = CeremonyForm

    @property
    def title(self):
        return _("Record admission ceremony")

    @property
    def success_message(self):
        return _("Admission ceremony recorded.")

    def save(self, request, member, data):
        services.record_ceremony(actor=request.user, member=member, **data)


class MemberRecognizeView(_MemberFormView):
    form_class = RecognitionForm

    @property
    def title(self):
        return _("Recognition as full member")

    @property
    def success_message(self):
        return _("Recognized as a full member.")

    def initial(self, member):
        ceremony = member.events.filter(kind=MembershipEventKind.CEREMONY).order_by("-date").first()
        if ceremony is None:
            return {}
        end, _rule = services.probation_end(ceremony.date)
        return {"effective_date": end}

    def save(self, request, member, data):
        services.recognize_full_member(actor=request.user, member=member, **data)


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


class PersonDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        person = get_person(user=request.user, pk=pk)
        member = getattr(person, "member", None) if hasattr(person, "member") else None
        if member is not None:
            return redirect(
                reverse("members:member_detail", args=[member.pk]) + _as_of_query(request)
            )
        services.record_view(actor=request.user, person=person)
        home = services.home_organization(person)
        return render(
            request,
            "members/person_detail.html",
            {
                "nav": "people",
                "person": person,
                "employments": person.employments.select_related("organization"),
                "can_write": home is not None and can_write(request.user, home),
            },
        )


class PersonCreateView(LoginRequiredMixin, View):
    def _check(self, request):
        if not Organization.objects.filter(
            id__in=scope_organization_ids(request.user, write=True)
        ).exists():
            raise PermissionDenied(_("You may not add records."))

    def get(self, request):
        self._check(request)
        initial = {"start_date": today()}
        if request.GET.get("organization", "").isdigit():
            initial["organization"] = int(request.GET["organization"])
        form = PersonCreateForm(user=request.user, initial=initial)
        return render(
            request,
            "members/person_form.html",
            {
                "nav": "people",
                "form": form,
                "title": _("Add a staff member"),
                "show_as_of": False,
            },
        )

    def post(self, request):
        self._check(request)
        form = PersonCreateForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                person = services.create_person(
                    actor=request.user,
                    organization=data["organization"],
                    start_date=data["start_date"],
                    unit_name=data["unit_name"],
                    position=data["position"],
                    **form.service_data(),
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Record of %(name)s added.") % {"name": person})
                return redirect("members:person_detail", pk=person.pk)
        return render(
            request,
            "members/person_form.html",
            {
                "nav": "people",
                "form": form,
                "title": _("Add a staff member"),
                "show_as_of": False,
            },
            status=400,
        )


class _PersonFormView(LoginRequiredMixin, View):
    """A form that changes one person: 404 outside the personal scope, 403 without write."""

    title = ""

    def _load(self, request, pk):
        person = get_person(user=request.user, pk=pk)
        home = services.home_organization(person)
        if home is None:
            raise PermissionDenied(_("This record does not belong to any organization yet."))
        require_write(request.user, home)
        return person, home

    def _render(self, request, person, form, status=200):
        return render(
            request,
            "members/person_form.html",
            {
                "nav": "people",
                "form": form,
                "person": person,
                "show_as_of": False,
                "title": self.title % {"name": person.full_name},
            },
            status=status,
        )


class PersonUpdateView(_PersonFormView):
    title = gettext_lazy("Edit record: %(name)s")

    def get(self, request, pk):
        person, _home = self._load(request, pk)
        return self._render(request, person, PersonForm(instance=person))

    def post(self, request, pk):
        person, _home = self._load(request, pk)
        original = type(person).objects.get(pk=person.pk)
        form = PersonForm(request.POST, instance=person)
        if form.is_valid():
            try:
                services.update_person(actor=request.user, person=original, **form.service_data())
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Changes saved."))
                target = (
                    "members:member_detail"
                    if hasattr(original, "member")
                    else ("members:person_detail")
                )
                pk = original.member.pk if hasattr(original, "member") else original.pk
                return redirect(target, pk=pk)
        return self._render(request, original, form, status=400)


class PersonAdmitView(_PersonFormView):
    """Record the admission decision for a person on the staff (short form)."""

    title = gettext_lazy("Record admission: %(name)s")

    def get(self, request, pk):
        person, home = self._load(request, pk)
        form = AdmissionForm(user=request.user, initial={"organization": home.pk})
        return self._render(request, person, form)

    def post(self, request, pk):
        person, _home = self._load(request, pk)
        form = AdmissionForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                member = services.admit_member(
                    actor=request.user, person=person, **form.cleaned_data
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Admission decision recorded."))
                return redirect("members:member_detail", pk=member.pk)
        return self._render(request, person, form, status=400)
