"""Pages of Congress terms: the terms of the user's scope with their progress as of a date, one
term with its per-year table and targets, and the forms over ``targets.services``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from dangbo.core.access import can_write, has_any_role
from dangbo.core.forms import apply_service_errors
from dangbo.organizations.models import Organization
from dangbo.organizations.selectors import get_organization
from dangbo.targets import services
from dangbo.targets.forms import TargetForm, TermForm, writable_organizations_under
from dangbo.targets.forms import writable_organizations as writable
from dangbo.targets.models import Term
from dangbo.targets.selectors import (
    as_rows,
    as_target_rows,
    get_target,
    get_term_for,
    list_inherited_term_rows,
    list_own_terms,
    list_targets,
    term_applies_to,
    term_progress,
)

TERM_PAGE_SIZE = 25
TARGET_PAGE_SIZE = 50


def _as_of_query(request, prefix: str = "?") -> str:
    """``?as_of=...`` to carry the chosen date on links, or nothing when it is today."""
    return "" if request.as_of_is_today else f"{prefix}as_of={request.as_of:%Y-%m-%d}"


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def detail_url(term: Term, organization: Organization) -> str:
    url = reverse("terms:term_detail", args=[term.pk])
    if organization.pk != term.organization_id:
        url += f"?organization={organization.pk}"
    return url


class TermListView(LoginRequiredMixin, View):
    """Terms of the user's scope (and those of the committees above it that apply to it), each
    with its organization's own target and the admissions counted as of the chosen date."""

    def get(self, request):
        user, as_of = request.user, request.as_of
        requested = request.GET.get("organization", "")
        organization = get_organization(user=user, pk=requested) if requested else None
        page = Paginator(
            list_own_terms(user=user, as_of=as_of, organization=organization), TERM_PAGE_SIZE
        ).get_page(request.GET.get("page"))
        inherited = []
        if page.number == 1:
            inherited = list_inherited_term_rows(user=user, as_of=as_of, organization=organization)
        return render(
            request,
            "targets/term_list.html",
            {
                "nav": "terms",
                "organization": organization,
                "has_role": has_any_role(user, personal=False),
                "rows": inherited + as_rows(page.object_list, as_of),
                "page": page,
                "query": _query_without_page(request),
                "as_of_q": _as_of_query(request),
                "as_of_amp": _as_of_query(request, "&"),
                "can_create": writable(user).exists(),
            },
        )


class TermDetailView(LoginRequiredMixin, View):
    """One term for one organization as of the chosen date: count, target, verdict, the
    admissions per calendar year, and the targets set under it within the user's scope."""

    def get(self, request, pk):
        user, as_of = request.user, request.as_of
        term, organization = get_term_for(
            user=user, pk=pk, organization_pk=request.GET.get("organization")
        )
        progress = term_progress(user=user, organization=organization, as_of=as_of, term=term)
        targets = Paginator(list_targets(user=user, term=term, as_of=as_of), TARGET_PAGE_SIZE)
        page = targets.get_page(request.GET.get("page"))
        return render(
            request,
            "targets/term_detail.html",
            {
                "nav": "terms",
                "term": term,
                "organization": organization,
                "progress": progress,
                "target_rows": as_target_rows(page.object_list, as_of),
                "page": page,
                "query": _query_without_page(request),
                "as_of_q": _as_of_query(request),
                "as_of_amp": _as_of_query(request, "&"),
                "can_set_target": writable_organizations_under(user, term).exists(),
                "can_write_shown": can_write(user, organization),
            },
        )


def _refuse_unless_writable(user, organization: Organization | None, choices) -> None:
    """Write pages: 404 when the organization is out of sight (or the user has no role), 403
    when it is visible but the user's role there is only to read."""
    if organization is not None:
        if not can_write(user, organization):
            raise PermissionDenied(
                _("You may not change the records of the organization “%(name)s”.")
                % {"name": organization.name}
            )
        return
    if choices.exists():
        return
    if has_any_role(user, personal=False):
        raise PermissionDenied(_("Your role does not allow you to set terms and targets."))
    raise Http404


class TermCreateView(LoginRequiredMixin, View):
    """A new Congress term of one of the user's organizations (``services.create_term``)."""

    def _organization(self, request) -> Organization | None:
        raw = request.GET.get("organization", "")
        organization = get_organization(user=request.user, pk=raw) if raw else None
        _refuse_unless_writable(request.user, organization, writable(request.user))
        return organization

    def _render(self, request, form, organization, status=200):
        cancel = reverse("terms:term_list")
        if organization is not None:
            cancel += f"?organization={organization.pk}"
        return render(
            request,
            "targets/term_form.html",
            {
                "nav": "terms",
                "form": form,
                "title": _("Add a term"),
                "show_as_of": False,
                "cancel_url": cancel,
            },
            status=status,
        )

    def get(self, request):
        organization = self._organization(request)
        form = TermForm(user=request.user, initial={"organization": organization})
        return self._render(request, form, organization)

    def post(self, request):
        organization = self._organization(request)
        form = TermForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                term = services.create_term(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Term “%(name)s” added.") % {"name": term.name})
                return redirect("terms:term_detail", pk=term.pk)
        return self._render(request, form, organization, status=400)


class TargetSetView(LoginRequiredMixin, View):
    """An organization's admission target for a term (``services.set_target``): set, or
    replace the one it had."""

    def _load(self, request, pk) -> tuple[Term, Organization | None]:
        term, _shown = get_term_for(user=request.user, pk=pk)
        raw = request.GET.get("organization", "")
        organization = None
        if raw:
            organization = get_organization(user=request.user, pk=raw)
            if not term_applies_to(term, organization):
                raise Http404
        choices = writable_organizations_under(request.user, term)
        _refuse_unless_writable(request.user, organization, choices)
        return term, organization

    def _render(self, request, form, term, organization, status=200):
        return render(
            request,
            "targets/term_form.html",
            {
                "nav": "terms",
                "form": form,
                "term": term,
                "title": _("Admission target: %(term)s") % {"term": term.name},
                "show_as_of": False,
                "cancel_url": detail_url(term, organization or term.organization),
            },
            status=status,
        )

    def get(self, request, pk):
        term, organization = self._load(request, pk)
        shown = organization
        if shown is None and can_write(request.user, term.organization):
            shown = term.organization
        initial: dict = {"organization": shown}
        target = get_target(term, shown) if shown is not None else None
        if target is not None:
            initial.update(
                new_members=target.new_members,
                yearly_rate_percent=target.yearly_rate_percent,
                resolution=target.resolution,
            )
        elif shown is not None and shown.pk == term.organization_id:
            initial["resolution"] = term.resolution
        form = TargetForm(user=request.user, term=term, initial=initial)
        return self._render(request, form, term, organization)

    def post(self, request, pk):
        term, organization = self._load(request, pk)
        form = TargetForm(request.POST, user=request.user, term=term)
        if form.is_valid():
            try:
                target = services.set_target(actor=request.user, term=term, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("Target of “%(name)s” saved.") % {"name": target.organization.name},
                )
                return redirect(detail_url(term, target.organization))
        return self._render(request, form, term, organization, status=400)
