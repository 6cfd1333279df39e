"""The record pages of a member and of a person on the staff, and the forms that change them
(record and card numbers, ceremony, recognition, adding a person, editing a record, recording an
admission). Each form calls one service and shows its refusal on the form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from dangbo.core.access import can_write, require_write, scope_organization_ids
from dangbo.core.dates import today
from dangbo.core.forms import apply_service_errors
from dangbo.members import services
from dangbo.members.forms import (
    AdmissionForm,
    CeremonyForm,
    MemberNumbersForm,
    PersonCreateForm,
    PersonForm,
    RecognitionForm,
)
from dangbo.members.models import MembershipEventKind, MemberStatus
from dangbo.members.selectors import get_member, get_person
from dangbo.organizations.models import Organization
from dangbo.organizations.selectors import list_ancestors


def _as_of_query(request) -> str:
    return "" if request.as_of_is_today else f"?as_of={request.as_of:%Y-%m-%d}"


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
