"""Reads of the audit log and of role grants, through the one access rule; reads of the national
rule set and working-day calendar, which every user with a role may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import BooleanField, Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from dangbo.core.access import scope_organization_ids
from dangbo.core.models import AuditAction, AuditEntry, CalendarDay, Role, RoleGrant, Rule

# Entries about a user's own account: the only ones without an organization a user may see.
OWN_ACCOUNT_ACTIONS = (AuditAction.LOGIN, AuditAction.LOGOUT, AuditAction.LOGIN_FAILED)


@dataclass(frozen=True)
class AuditFilters:
    actor: str = ""
    action: str = ""
    object_type: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    request_id: str = ""


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def list_audit_entries(*, user, filters: AuditFilters) -> QuerySet[AuditEntry]:
    """Audit entries the user may see, newest first: those of organizations in the user's
    personal scope, and the logins of the user's own account (superusers see everything)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return AuditEntry.objects.none()
    qs = AuditEntry.objects.all()
    if not user.is_superuser:
        own_account = Q(organization__isnull=True, action__in=OWN_ACCOUNT_ACTIONS) & (
            Q(actor=user) | Q(actor__isnull=True, object_repr=user.get_username())
        )
        qs = qs.filter(
            Q(organization_id__in=scope_organization_ids(user, personal=True)) | own_account
        )
    if filters.actor:
        qs = qs.filter(actor_name__icontains=filters.actor)
    if filters.action:
        qs = qs.filter(action=filters.action)
    if filters.object_type:
        qs = qs.filter(object_type=filters.object_type)
    if filters.date_from:
        qs = qs.filter(at__gte=_start_of(filters.date_from))
    if filters.date_to:
        qs = qs.filter(at__lt=_start_of(filters.date_to + dt.timedelta(days=1)))
    if filters.request_id:
        qs = qs.filter(request_id=filters.request_id)
    return qs.select_related("organization").order_by("-at", "-id")


# --- Roles and accounts ---------------------------------------------------------------------------


def administered_organization_ids(user) -> QuerySet:
    """Ids of the organizations on which the user may manage roles and accounts: the subtrees
    of the user's administrator grants as the tree stands now (all of them for a superuser).
    Returned as a lazy subquery, like ``access.scope_organization_ids``."""
    from dangbo.organizations.models import Organization, OrganizationClosure

    if user is None or not user.is_authenticated or not user.is_active:
        return Organization.objects.none().values("id")
    if user.is_superuser:
        return Organization.objects.values("id")
    granted = RoleGrant.objects.filter(user=user, role=Role.ADMINISTRATOR)
    return OrganizationClosure.objects.filter(
        ancestor_id__in=granted.values("organization_id"), valid_to__isnull=True
    ).values("descendant_id")


def list_administered_organizations(*, user):
    """The organizations the user may grant roles on, in tree order of names."""
    from dangbo.organizations.models import Organization

    return Organization.objects.filter(id__in=administered_organization_ids(user)).order_by(
        "sort_key", "id"
    )


@dataclass(frozen=True)
class RoleGrantFilters:
    organization_id: int | None = None  # the organization with its subtree
    role: str = ""
    q: str = ""  # part of the login name or of the full name


def list_role_grants(*, user, filters: RoleGrantFilters) -> QuerySet[RoleGrant]:
    """Role grants on the organizations in the user's administrator scope, by organization
    then login name. Each row says whether its account is the user's to deactivate or reset
    (``account_manageable``: every role of the account is in the scope, and it is no superuser
    or staff account, unless the user is a superuser); ``services`` enforces the same rule."""
    from dangbo.organizations.models import OrganizationClosure

    scope = administered_organization_ids(user)
    qs = RoleGrant.objects.filter(organization_id__in=scope)
    if filters.organization_id:
        qs = qs.filter(
            organization_id__in=OrganizationClosure.objects.filter(
                ancestor_id=filters.organization_id, valid_to__isnull=True
            ).values("descendant_id")
        )
    if filters.role:
        qs = qs.filter(role=filters.role)
    if filters.q:
        qs = qs.filter(
            Q(user__username__icontains=filters.q)
            | Q(user__first_name__icontains=filters.q)
            | Q(user__last_name__icontains=filters.q)
        )
    if user.is_superuser:
        qs = qs.annotate(account_manageable=Value(True))
    else:
        outside = RoleGrant.objects.filter(user_id=OuterRef("user_id")).exclude(
            organization_id__in=administered_organization_ids(user)
        )
        qs = qs.annotate(
            account_manageable=Case(
                When(user__is_superuser=True, then=Value(False)),
                When(user__is_staff=True, then=Value(False)),
                When(Exists(outside), then=Value(False)),
                default=Value(True),
                output_field=BooleanField(),
            )
        )
    return qs.select_related("user", "organization").order_by(
        "organization__sort_key", "organization_id", "user__username", "role"
    )


def get_role_grant(*, user, pk) -> RoleGrant:
    """One role grant in the user's administrator scope; 404 when missing or out of scope."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    grant = (
        RoleGrant.objects.filter(pk=pk, organization_id__in=administered_organization_ids(user))
        .select_related("user", "organization")
        .first()
    )
    if grant is None:
        raise Http404
    return grant


def get_managed_user(*, user, pk):
    """An account the user may see on the role pages: one holding a role in the user's
    administrator scope (any account, for a superuser); 404 otherwise."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    accounts = get_user_model().objects.filter(pk=pk)
    if not user.is_superuser:
        accounts = accounts.filter(
            role_grants__organization_id__in=administered_organization_ids(user)
        )
    account = accounts.first()
    if account is None:
        raise Http404
    return account


def list_grants_outside_scope(*, user, account) -> QuerySet[RoleGrant]:
    """The account's role grants on organizations outside the user's administrator scope."""
    if user.is_superuser:
        return RoleGrant.objects.none()
    return RoleGrant.objects.filter(user=account).exclude(
        organization_id__in=administered_organization_ids(user)
    )


# --- Rules and the working-day calendar -----------------------------------------------------------


@dataclass
class RuleHistory:
    """The versions of one rule, newest first, with the one in force on the day ``on`` (None
    when that day is before the first version or after the last one ended)."""

    key: str
    versions: list[Rule]
    on: dt.date
    in_force: Rule | None

    @property
    def latest(self) -> Rule:
        return self.versions[0]

    @property
    def upcoming(self) -> list[Rule]:
        """Versions that take effect after ``on``, oldest first."""
        return sorted(
            (v for v in self.versions if v.valid_from > self.on), key=lambda v: v.valid_from
        )


def _in_force(versions: list[Rule], on: dt.date) -> Rule | None:
    for version in versions:  # newest first
        if version.valid_from <= on and (version.valid_to is None or version.valid_to > on):
            return version
    return None


def list_rule_histories(*, on: dt.date) -> list[RuleHistory]:
    """Every rule key with its versions and the one in force ``on``, by key (one query)."""
    histories: dict[str, list[Rule]] = {}
    for rule in Rule.objects.order_by("key", "-valid_from"):
        histories.setdefault(rule.key, []).append(rule)
    return [
        RuleHistory(key=key, versions=versions, on=on, in_force=_in_force(versions, on))
        for key, versions in histories.items()
    ]


def get_rule_history(*, key: str, on: dt.date) -> RuleHistory:
    """One rule key with its versions; 404 when there is no such rule."""
    versions = list(Rule.objects.filter(key=key).order_by("-valid_from"))
    if not versions:
        raise Http404
    return RuleHistory(key=key, versions=versions, on=on, in_force=_in_force(versions, on))


def list_calendar_days(*, year: int) -> QuerySet[CalendarDay]:
    """The days administrators entered on the working-day calendar for ``year``, by date."""
    return CalendarDay.objects.filter(
        date__gte=dt.date(year, 1, 1), date__lte=dt.date(year, 12, 31)
    ).order_by("date")


def get_calendar_day(*, pk) -> CalendarDay:
    """One administrator's day; 404 when missing."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    day = CalendarDay.objects.filter(pk=pk).first()
    if day is None:
        raise Http404
    return day
