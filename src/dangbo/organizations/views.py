"""Pages of the organization tree: the browser and search, one organization as of a date, and
the forms that call ``organizations.services``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from dangbo.core import exports
from dangbo.core.access import can_write, has_any_role, scope_organization_ids
from dangbo.core.forms import apply_service_errors
from dangbo.organizations import services
from dangbo.organizations.forms import (
    OrganizationCreateForm,
    OrganizationUpdateForm,
    initial_for_child,
    writable_parents,
)
from dangbo.organizations.models import Organization
from dangbo.organizations.selectors import (
    annotate_parent,
    build_tree,
    get_organization,
    list_ancestors,
    list_organizations,
    list_sub_organizations,
    subtree_count_annotations,
)
from dangbo.reports.selectors import headline_figures

PAGE_SIZE = 50
TREE_CHILD_LIMIT = 50
TREE_GRANDCHILD_LIMIT = 10


def _page(request, queryset: QuerySet, per_page: int = PAGE_SIZE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _as_of_query(request) -> str:
    """``?as_of=...`` to carry the chosen date on links, or nothing when it is today."""
    return "" if request.as_of_is_today else f"?as_of={request.as_of:%Y-%m-%d}"


def _search_text(request) -> str:
    return request.GET.get("q", "").strip()[:100]


def _organization_rows(user, as_of, q: str) -> QuerySet:
    """The organizations of the list (those matching ``q``, or all of the tree), each with its
    parent and member count: the page's table and the export read the same rows."""
    found = list_organizations(user=user, day=as_of, q=q)
    return annotate_parent(found, user=user, day=as_of).annotate(
        **subtree_count_annotations(user=user, day=as_of, counts=("members",))
    )


class OrganizationListView(LoginRequiredMixin, View):
    """The tree as it stood on the chosen date, from the tops of the user's scope; or, with
    ``?q=``, the organizations whose name or code matches, in a paginated table."""

    def get(self, request):
        user, as_of = request.user, request.as_of
        q = _search_text(request)
        context = {
            "nav": "organizations",
            "q": q,
            "query": _query_without_page(request),
            "as_of_q": _as_of_query(request),
        }
        if q:
            context["page"] = _page(request, _organization_rows(user, as_of, q))
        else:
            context["tree"] = build_tree(
                user=user,
                day=as_of,
                child_limit=TREE_CHILD_LIMIT,
                grandchild_limit=TREE_GRANDCHILD_LIMIT,
            )
        context["can_create"] = writable_parents(user).exists()
        return render(request, "organizations/organization_list.html", context)


class OrganizationExportView(LoginRequiredMixin, View):
    """The organizations of the list as .xlsx or .csv: those matching ``?q=``, or without a
    search every organization of the tree the user sees on the chosen date."""

    def get(self, request):
        user, as_of = request.user, request.as_of
        if not has_any_role(user, personal=False):
            raise PermissionDenied(
                _(
                    "Your account has not been given a role on any party organization. "
                    "Contact an administrator."
                )
            )
        file_format = exports.requested_format(request)
        if file_format is None:
            return exports.bad_format_response()
        q = _search_text(request)
        rows = _organization_rows(user, as_of, q)
        export = exports.ListExport(
            name=_("List of party organizations"),
            object_type="organizations.organization",
            columns=[
                exports.Column(_("Organization name"), lambda o: o.name, 40),
                exports.Column(_("Code"), lambda o: o.code, 12),
                exports.Column(_("Level"), lambda o: o.get_level_display(), 22),
                exports.Column(_("Part of"), lambda o: o.parent_name, 36),
                exports.Column(_("Party members"), lambda o: o.member_count or 0, 12),
            ],
            rows=exports.chunked(rows),
            filename="danh-sach-to-chuc-dang",
            as_of=as_of,
            details=[(_("Search by name or code"), q)] if q else [],
            filters=exports.query_filters(request),
            count=rows.count,
        )
        return exports.export_response(request, export, file_format)


class OrganizationDetailView(LoginRequiredMixin, View):
    """One organization as it stood on the chosen date: its record, its place in the tree,
    its sub-organizations with their counts, and its headline figures (no personal data)."""

    def get(self, request, pk):
        user, as_of = request.user, request.as_of
        organization = get_organization(user=user, pk=pk)
        ancestors = list_ancestors(organization, as_of)
        visible = set(
            Organization.objects.visible_to(user)
            .filter(id__in=[a.pk for a in ancestors])
            .values_list("id", flat=True)
        )
        # The breadcrumb starts at the top of the user's scope: nothing above it is shown.
        shown: list[Organization] = []
        for ancestor in reversed(ancestors):
            if ancestor.pk not in visible:
                break
            shown.insert(0, ancestor)
        parent = ancestors[-1] if ancestors and ancestors[-1].pk in visible else None
        sub_organizations = list_sub_organizations(user=user, organization=organization, day=as_of)
        page = _page(request, sub_organizations)
        return render(
            request,
            "organizations/organization_detail.html",
            {
                "nav": "organizations",
                "as_of_q": _as_of_query(request),
                "organization": organization,
                "ancestors": shown,
                "parent": parent,
                "active": organization.is_active_on(as_of),
                "figures": headline_figures(user=user, organization=organization, as_of=as_of),
                "page": page,
                "query": _query_without_page(request),
                "can_see_members": user.is_superuser
                or scope_organization_ids(user, personal=True)
                .filter(descendant_id=organization.pk)
                .exists(),
                "can_write": can_write(user, organization),
            },
        )


def _writable_or_refuse(user, organization: Organization | None) -> None:
    """Write pages: 404 when the organization is out of sight (or the user has no role at
    all), 403 when it is visible but the user's role there is only to read."""
    if organization is None:
        if user.is_superuser or writable_parents(user).exists():
            return
        if has_any_role(user, personal=False):
            raise PermissionDenied(_("Your role does not allow you to add party organizations."))
        raise Http404
    if not can_write(user, organization):
        raise PermissionDenied(
            _("You may not change the records of the organization “%(name)s”.")
            % {"name": organization.name}
        )


class OrganizationCreateView(LoginRequiredMixin, View):
    """A new organization under ``?parent=``, through ``services.create_organization``."""

    def _parent(self, request) -> Organization | None:
        raw = request.GET.get("parent", "")
        parent = get_organization(user=request.user, pk=raw) if raw else None
        _writable_or_refuse(request.user, parent)
        return parent

    def _render(self, request, form, parent, status=200):
        return render(
            request,
            "organizations/organization_form.html",
            {
                "nav": "organizations",
                "form": form,
                "parent": parent,
                "show_as_of": False,
                "title": _("Add an organization under “%(name)s”") % {"name": parent.name}
                if parent
                else _("Add a party organization"),
                "cancel_url": reverse("organizations:organization_detail", args=[parent.pk])
                if parent
                else reverse("organizations:organization_list"),
            },
            status=status,
        )

    def get(self, request):
        parent = self._parent(request)
        form = OrganizationCreateForm(user=request.user, initial=initial_for_child(parent))
        return self._render(request, form, parent)

    def post(self, request):
        parent = self._parent(request)
        form = OrganizationCreateForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                organization = services.create_organization(
                    actor=request.user,
                    parent=form.cleaned_data.get("parent"),
                    **form.service_data(),
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, _("Organization “%(name)s” added.") % {"name": organization.name}
                )
                return redirect("organizations:organization_detail", pk=organization.pk)
        return self._render(request, form, parent, status=400)


class OrganizationUpdateView(LoginRequiredMixin, View):
    """An organization's own fields, through ``services.update_organization``."""

    def _load(self, request, pk) -> Organization:
        organization = get_organization(user=request.user, pk=pk)
        _writable_or_refuse(request.user, organization)
        return organization

    def _render(self, request, form, organization, status=200):
        return render(
            request,
            "organizations/organization_form.html",
            {
                "nav": "organizations",
                "form": form,
                "organization": organization,
                "show_as_of": False,
                "title": _("Edit: %(name)s") % {"name": organization.name},
                "cancel_url": reverse("organizations:organization_detail", args=[organization.pk]),
            },
            status=status,
        )

    def get(self, request, pk):
        organization = self._load(request, pk)
        form = OrganizationUpdateForm(initial=OrganizationUpdateForm.initial_from(organization))
        return self._render(request, form, organization)

    def post(self, request, pk):
        organization = self._load(request, pk)
        form = OrganizationUpdateForm(request.POST)
        if form.is_valid():
            before = OrganizationUpdateForm.initial_from(organization)
            try:
                updated = services.update_organization(
                    actor=request.user, organization=organization, **form.service_data()
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                after = OrganizationUpdateForm.initial_from(updated)
                if before == after:
                    messages.info(request, _("There were no changes to save."))
                else:
                    messages.success(request, _("Changes saved."))
                return redirect(
                    reverse("organizations:organization_detail", args=[updated.pk])
                    + _as_of_query(request)
                )
        return self._render(request, form, organization, status=400)
