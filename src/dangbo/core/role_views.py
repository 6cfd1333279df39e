"""Role pages (/roles/): administrators manage who may do what in their subtree."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from dangbo.core import services
from dangbo.core.access import can_administer
from dangbo.core.forms import (
    ORGANIZATION_SELECT_LIMIT,
    PasswordResetForm,
    RoleFilterForm,
    RoleGrantForm,
    UserCreateForm,
    apply_service_errors,
)
from dangbo.core.models import Role
from dangbo.core.selectors import (
    RoleGrantFilters,
    get_managed_user,
    get_role_grant,
    list_administered_organizations,
    list_role_grants,
)
from dangbo.organizations.models import Organization

ROLE_PAGE_SIZE = 50


class AdministratorRequiredMixin(LoginRequiredMixin):
    """The role pages: login first, then 403 for anyone who administers no organization (with
    other roles or none: these pages exist only for administrators, so saying so hides
    nothing). Grants and accounts outside the administrator's scope answer 404."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not can_administer(request.user):
            raise PermissionDenied(_("Only an administrator can manage roles and accounts."))
        return super().dispatch(request, *args, **kwargs)


def _administered_organization(user, organization_id=None, code: str = ""):
    """The organization chosen by id or code, if the user administers it (else None)."""
    if not organization_id and not code:
        return None
    organizations = list_administered_organizations(user=user)
    if organization_id:
        try:
            return organizations.filter(pk=int(organization_id)).first()
        except (TypeError, ValueError):
            return None
    return organizations.filter(code=code.strip()).first()


def _organization_options(user) -> list[Organization] | None:
    """Organizations to pick in the filter, or None when there are too many for a list."""
    options = list(
        list_administered_organizations(user=user).only("id", "name", "code")[
            : ORGANIZATION_SELECT_LIMIT + 1
        ]
    )
    return None if len(options) > ORGANIZATION_SELECT_LIMIT else options


def _role_list_url(organization_id: int | None = None) -> str:
    url = reverse("roles:role_list")
    return f"{url}?organization={organization_id}" if organization_id else url


class RoleListView(AdministratorRequiredMixin, View):
    """The role grants in the user's administrator scope, filtered by organization (with its
    subtree), role and login or full name, 50 a page; with the actions on each."""

    def get(self, request):
        user = request.user
        form = RoleFilterForm(request.GET)
        form.is_valid()
        data = getattr(form, "cleaned_data", {})
        errors = [
            f"{form.fields[name].label}: {' '.join(errs)}"
            for name, errs in form.errors.items()
            if name in form.fields
        ]
        organization = _administered_organization(
            user, data.get("organization"), data.get("organization_code") or ""
        )
        if organization is None and (data.get("organization") or data.get("organization_code")):
            errors.append(_("Organization: none such among the organizations you administer."))
        grants = list_role_grants(
            user=user,
            filters=RoleGrantFilters(
                organization_id=organization.pk if organization else None,
                role=data.get("role") or "",
                q=(data.get("q") or "").strip(),
            ),
        )
        page = Paginator(grants, ROLE_PAGE_SIZE).get_page(request.GET.get("page"))
        params = request.GET.copy()
        params.pop("page", None)
        return render(
            request,
            "core/role_list.html",
            {
                "nav": "roles",
                "roles_admin": True,  # checked on the way in: the nav link needs no second query
                "form": form,
                "page": page,
                "query": params.urlencode(),
                "organization": organization,
                "organization_options": _organization_options(user),
                "filter_errors": errors,
                "show_as_of": False,
            },
        )


def _render_form(request, form, *, title: str, submit: str, cancel_url: str, status=200):
    return render(
        request,
        "core/role_form.html",
        {
            "nav": "roles",
            "roles_admin": True,  # checked on the way in: the nav link needs no second query
            "form": form,
            "title": title,
            "submit": submit,
            "cancel_url": cancel_url,
            "show_as_of": False,
        },
        status=status,
    )


def _render_confirm(request, *, title: str, message: str, submit: str, errors=(), status=200):
    return render(
        request,
        "core/role_confirm.html",
        {
            "nav": "roles",
            "roles_admin": True,  # checked on the way in: the nav link needs no second query
            "title": title,
            "message": message,
            "submit": submit,
            "errors": list(errors),
            "cancel_url": reverse("roles:role_list"),
            "show_as_of": False,
        },
        status=status,
    )


class RoleGrantCreateView(AdministratorRequiredMixin, View):
    """Give an existing account a role, through ``services.grant_role``."""

    def _render(self, request, form, status=200):
        return _render_form(
            request,
            form,
            title=_("Grant a role"),
            submit=_("Grant the role"),
            cancel_url=reverse("roles:role_list"),
            status=status,
        )

    def get(self, request):
        initial = {"role": Role.VIEWER}
        organization = _administered_organization(request.user, request.GET.get("organization"))
        if organization is not None:
            initial["organization"] = organization
        if request.GET.get("username"):
            initial["username"] = request.GET["username"][:150]
        return self._render(request, RoleGrantForm(user=request.user, initial=initial))

    def post(self, request):
        form = RoleGrantForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                grant = services.grant_role(
                    actor=request.user,
                    user=data["user"],
                    organization=data["organization"],
                    role=data["role"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("“%(username)s” now holds the role “%(role)s” on “%(organization)s”.")
                    % {
                        "username": grant.user.get_username(),
                        "role": grant.get_role_display(),
                        "organization": grant.organization.name,
                    },
                )
                return redirect(_role_list_url(grant.organization_id))
        return self._render(request, form, status=400)


class RoleRevokeView(AdministratorRequiredMixin, View):
    """Revoke one role grant after a confirmation page, through ``services.revoke_role``."""

    def _render(self, request, grant, errors=(), status=200):
        return _render_confirm(
            request,
            title=_("Revoke a role"),
            message=_(
                "Revoke the role “%(role)s” of “%(username)s” (%(full_name)s) on "
                "“%(organization)s” and its subtree? The account keeps its other roles."
            )
            % {
                "role": grant.get_role_display(),
                "username": grant.user.get_username(),
                "full_name": grant.user.get_full_name() or "—",
                "organization": grant.organization.name,
            },
            submit=_("Revoke the role"),
            errors=errors,
            status=status,
        )

    def get(self, request, pk):
        return self._render(request, get_role_grant(user=request.user, pk=pk))

    def post(self, request, pk):
        grant = get_role_grant(user=request.user, pk=pk)
        try:
            services.revoke_role(actor=request.user, grant=grant)
        except ValidationError as error:
            return self._render(request, grant, errors=error.messages, status=400)
        messages.success(
            request,
            _("The role “%(role)s” of “%(username)s” on “%(organization)s” was revoked.")
            % {
                "role": grant.get_role_display(),
                "username": grant.user.get_username(),
                "organization": grant.organization.name,
            },
        )
        return redirect(_role_list_url(grant.organization_id))


class UserCreateView(AdministratorRequiredMixin, View):
    """A new account with its first role, through ``services.create_user``."""

    def _render(self, request, form, status=200):
        return _render_form(
            request,
            form,
            title=_("New account"),
            submit=_("Create the account"),
            cancel_url=reverse("roles:role_list"),
            status=status,
        )

    def get(self, request):
        initial = {"role": Role.VIEWER}
        organization = _administered_organization(request.user, request.GET.get("organization"))
        if organization is not None:
            initial["organization"] = organization
        return self._render(request, UserCreateForm(user=request.user, initial=initial))

    def post(self, request):
        form = UserCreateForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            superuser = bool(data.get("is_superuser"))
            try:
                account = services.create_user(
                    actor=request.user,
                    username=data["username"],
                    full_name=data["full_name"],
                    password=data["password"],
                    organization=data["organization"],
                    role=data["role"],
                    is_superuser=superuser,
                    is_staff=superuser,
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _(
                        "Account “%(username)s” created with the role “%(role)s” on "
                        "“%(organization)s”."
                    )
                    % {
                        "username": account.get_username(),
                        "role": Role(data["role"]).label,
                        "organization": data["organization"].name,
                    },
                )
                return redirect(_role_list_url(data["organization"].pk))
        return self._render(request, form, status=400)


class UserActiveView(AdministratorRequiredMixin, View):
    """Deactivate (``active=False``) or reactivate an account after a confirmation page,
    through ``services.set_user_active``. 404 for an account with no role in the user's
    administrator scope, 403 for one that also holds roles outside it."""

    active = False

    def _load(self, request, pk):
        account = get_managed_user(user=request.user, pk=pk)
        services.require_manage_account(request.user, account)
        return account

    def _render(self, request, account, errors=(), status=200):
        names = {"username": account.get_username(), "full_name": account.get_full_name() or "—"}
        if self.active:
            title, submit = _("Reactivate an account"), _("Reactivate")
            message = (
                _(
                    "Reactivate the account “%(username)s” (%(full_name)s)? It can log in again, "
                    "with the roles it holds."
                )
                % names
            )
        else:
            title, submit = _("Deactivate an account"), _("Deactivate")
            message = (
                _(
                    "Deactivate the account “%(username)s” (%(full_name)s)? It can no longer log "
                    "in; its roles are kept, and it can be reactivated later."
                )
                % names
            )
        return _render_confirm(
            request, title=title, message=message, submit=submit, errors=errors, status=status
        )

    def get(self, request, pk):
        return self._render(request, self._load(request, pk))

    def post(self, request, pk):
        account = self._load(request, pk)
        try:
            services.set_user_active(actor=request.user, user=account, active=self.active)
        except ValidationError as error:
            return self._render(request, account, errors=error.messages, status=400)
        names = {"username": account.get_username()}
        messages.success(
            request,
            (
                _("Account “%(username)s” reactivated.")
                if self.active
                else _("Account “%(username)s” deactivated.")
            )
            % names,
        )
        return redirect("roles:role_list")


class UserPasswordView(AdministratorRequiredMixin, View):
    """Set a new password on an account, through ``services.reset_password``; same access as
    ``UserActiveView``."""

    def _load(self, request, pk):
        account = get_managed_user(user=request.user, pk=pk)
        services.require_manage_account(request.user, account)
        return account

    def _render(self, request, account, form, status=200):
        return _render_form(
            request,
            form,
            title=_("New password for “%(username)s” (%(full_name)s)")
            % {"username": account.get_username(), "full_name": account.get_full_name() or "—"},
            submit=_("Set the password"),
            cancel_url=reverse("roles:role_list"),
            status=status,
        )

    def get(self, request, pk):
        return self._render(request, self._load(request, pk), PasswordResetForm())

    def post(self, request, pk):
        account = self._load(request, pk)
        form = PasswordResetForm(request.POST)
        if form.is_valid():
            try:
                services.reset_password(
                    actor=request.user, user=account, password=form.cleaned_data["password"]
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                if account.pk == request.user.pk:
                    update_session_auth_hash(request, account)  # stay logged in here
                messages.success(
                    request,
                    _("New password set for “%(username)s”.")
                    % {"username": account.get_username()},
                )
                return redirect("roles:role_list")
        return self._render(request, account, form, status=400)
