"""Who may do what, and the national rule set: role grants and the accounts that hold them,
versions of the rules, the days entered on the working-day calendar.

An administrator manages roles and accounts within the subtrees of their administrator grants
(``access.can_administer``); a superuser everywhere. Rules and the calendar are national: only
superusers and the administrators of a top-level organization change them (``can_change_rules``).
Every function checks that, validates, writes and audits in one transaction, and never puts a
password or its hash in the audit log.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from dangbo.core import access, audit
from dangbo.core import calendar as working_calendar
from dangbo.core.access import can_administer
from dangbo.core.dates import EARLIEST_DATE
from dangbo.core.models import CalendarDay, CalendarDayKind, Role, RoleGrant, Rule
from dangbo.core.selectors import administered_organization_ids, list_grants_outside_scope

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from dangbo.organizations.models import Organization

GRANT_FIELDS = ["user_id", "organization_id", "role"]
USERNAME_MAX_LENGTH = 150
FULL_NAME_MAX_LENGTH = 150


def _require_administer(actor, organization: Organization) -> None:
    if not can_administer(actor, organization):
        raise PermissionDenied(
            _("You may not manage roles on the organization “%(name)s”.")
            % {"name": organization.name}
        )


def _check_role(role: str) -> None:
    if role not in Role.values:
        raise ValidationError({"role": _("Choose one of the roles in the list.")})


def _password_message(error: ValidationError) -> str:
    """One complaint of Django's password validators, in our own words for the standard ones
    (Django's Vietnamese catalog lags behind its msgids), as is for any other validator."""
    params = error.params or {}
    if error.code == "password_too_short":
        n = params.get("min_length", 8)
        return ngettext(
            "This password is too short: it needs at least %(n)d character.",
            "This password is too short: it needs at least %(n)d characters.",
            n,
        ) % {"n": n}
    if error.code == "password_too_similar":
        return _("This password is too similar to the %(field)s.") % {
            "field": str(params.get("verbose_name", _("login name"))).lower()
        }
    if error.code == "password_too_common":
        return _("This password is too common: it is easy to guess.")
    if error.code == "password_entirely_numeric":
        return _("This password has only digits: add letters or other characters.")
    return " ".join(error.messages)


def _check_password(password: str, account: User) -> None:
    """Django's password validators (``AUTH_PASSWORD_VALIDATORS``), as a field error."""
    try:
        password_validation.validate_password(password, user=account)
    except ValidationError as error:
        raise ValidationError(
            {"password": [_password_message(e) for e in error.error_list]}
        ) from None


def _grant_changes(grant: RoleGrant) -> dict:
    return audit.snapshot(grant, GRANT_FIELDS)


def _user_changes(account: User) -> dict:
    """The audited fields of an account: never the password, nor its hash."""
    return {
        "username": account.username,
        "full_name": account.get_full_name(),
        "is_active": account.is_active,
        "is_staff": account.is_staff,
        "is_superuser": account.is_superuser,
    }


def _audit_organization(account: User) -> Organization | None:
    """The organization an audit line about an account is filed under (so that the audit log
    stays scoped): the highest of the organizations its roles are on."""
    from dangbo.organizations.models import LEVEL_DEPTH

    organizations = [g.organization for g in account.role_grants.select_related("organization")]
    if not organizations:
        return None
    return min(organizations, key=lambda o: (LEVEL_DEPTH.get(o.level, 99), o.sort_key, o.pk))


def require_manage_account(actor, account: User) -> None:
    """Refuse unless the account is the actor's to manage: every role it holds is within the
    actor's administrator scope, and it holds at least one there. Superuser and staff accounts
    are for superusers only (a superuser manages every account)."""
    if actor.is_superuser:
        return
    if account.is_superuser or account.is_staff:
        raise PermissionDenied(
            _("Only a superuser can change the account “%(username)s”.")
            % {"username": account.get_username()}
        )
    in_scope = RoleGrant.objects.filter(
        user=account, organization_id__in=administered_organization_ids(actor)
    )
    if not in_scope.exists():
        raise PermissionDenied(
            _("The account “%(username)s” holds no role in the organizations you administer.")
            % {"username": account.get_username()}
        )
    if list_grants_outside_scope(user=actor, account=account).exists():
        raise PermissionDenied(
            _(
                "The account “%(username)s” also holds roles outside the organizations you "
                "administer: ask an administrator above those organizations."
            )
            % {"username": account.get_username()}
        )


@transaction.atomic
def grant_role(*, actor, user: User, organization: Organization, role: str) -> RoleGrant:
    """Give ``user`` the ``role`` on ``organization`` (and so on its whole subtree)."""
    _require_administer(actor, organization)
    _check_role(role)
    duplicate = _("“%(username)s” already holds the role “%(role)s” on “%(organization)s”.") % {
        "username": user.get_username(),
        "role": Role(role).label,
        "organization": organization.name,
    }
    if RoleGrant.objects.filter(user=user, organization=organization, role=role).exists():
        raise ValidationError(duplicate)
    try:
        with transaction.atomic():
            grant = RoleGrant.objects.create(user=user, organization=organization, role=role)
            access.forget_grants(user)
    except IntegrityError:  # granted at the same moment by someone else
        raise ValidationError(duplicate) from None
    audit.record(
        actor=actor,
        action=audit.AuditAction.CREATE,
        obj=grant,
        organization=organization,
        changes=audit.diff({}, _grant_changes(grant)),
    )
    return grant


@transaction.atomic
def revoke_role(*, actor, grant: RoleGrant) -> None:
    """Take a role away: the grant is deleted, and the audit line keeps what it was."""
    locked = (
        RoleGrant.objects.select_for_update()
        .select_related("user", "organization")
        .filter(pk=grant.pk)
        .first()
    )
    if locked is None:
        raise ValidationError(_("This role has already been revoked."))
    _require_administer(actor, locked.organization)
    if (
        locked.user_id == actor.pk
        and locked.role == Role.ADMINISTRATOR
        and not actor.is_superuser
        and not list(
            RoleGrant.objects.select_for_update()
            .filter(user=actor, role=Role.ADMINISTRATOR)
            .exclude(pk=locked.pk)
        )
    ):
        raise ValidationError(
            _(
                "You cannot revoke your own last administrator role: you would lock yourself "
                "out. Ask an administrator above you to do it."
            )
        )
    audit.record(
        actor=actor,
        action=audit.AuditAction.DELETE,
        obj=locked,
        organization=locked.organization,
        changes=audit.diff(audit.snapshot(locked, [*GRANT_FIELDS, "granted_at"]), {}),
    )
    locked.delete()
    access.forget_grants(grant.user)


@transaction.atomic
def create_user(
    *,
    actor,
    username: str,
    full_name: str,
    password: str,
    organization: Organization,
    role: str,
    is_superuser: bool = False,
    is_staff: bool = False,
) -> User:
    """A new account with a role on ``organization``, in one step. Superuser and staff
    accounts can only be created by a superuser."""
    _require_administer(actor, organization)
    if (is_superuser or is_staff) and not actor.is_superuser:
        raise PermissionDenied(_("Only a superuser can create superuser or staff accounts."))
    _check_role(role)
    model = get_user_model()
    username = username.strip()
    full_name = " ".join(full_name.split())
    errors: dict[str, list[str]] = {}
    if not username:
        errors.setdefault("username", []).append(_("Enter a login name."))
    elif len(username) > USERNAME_MAX_LENGTH:
        errors.setdefault("username", []).append(
            _("A login name has at most %(n)s characters.") % {"n": USERNAME_MAX_LENGTH}
        )
    else:
        try:
            UnicodeUsernameValidator()(username)
        except ValidationError:
            errors.setdefault("username", []).append(
                _("A login name may contain only letters, digits and the characters @ . + - _.")
            )
        if model.objects.filter(username__iexact=username).exists():
            errors.setdefault("username", []).append(
                _("The login name “%(username)s” is already taken.") % {"username": username}
            )
    if not full_name:
        errors.setdefault("full_name", []).append(_("Enter the full name."))
    elif len(full_name) > FULL_NAME_MAX_LENGTH:
        errors.setdefault("full_name", []).append(
            _("A full name has at most %(n)s characters.") % {"n": FULL_NAME_MAX_LENGTH}
        )
    # Vietnamese names do not split into Django's first/last order: the whole name goes into
    # first_name, so that get_full_name() reads as it should.
    account = model(
        username=username, first_name=full_name, is_superuser=is_superuser, is_staff=is_staff
    )
    try:
        _check_password(password, account)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    account.set_password(password)
    try:
        with transaction.atomic():
            account.save()
    except IntegrityError:  # the same login name, created at the same moment
        raise ValidationError(
            {
                "username": _("The login name “%(username)s” is already taken.")
                % {"username": username}
            }
        ) from None
    grant = RoleGrant.objects.create(user=account, organization=organization, role=role)
    access.forget_grants(account)
    audit.record(
        actor=actor,
        action=audit.AuditAction.CREATE,
        obj=account,
        organization=organization,
        changes=audit.diff({}, _user_changes(account)),
    )
    audit.record(
        actor=actor,
        action=audit.AuditAction.CREATE,
        obj=grant,
        organization=organization,
        changes=audit.diff({}, _grant_changes(grant)),
    )
    return account


@transaction.atomic
def set_user_active(*, actor, user: User, active: bool) -> None:
    """Deactivate an account (it can no longer log in; its roles stay) or reactivate it.
    Only for an account whose every role is within the actor's administrator scope."""
    if user.pk == actor.pk and not active:
        raise ValidationError(_("You cannot deactivate your own account."))
    require_manage_account(actor, user)
    account = get_user_model().objects.select_for_update().get(pk=user.pk)
    if account.is_active == active:
        return
    before = _user_changes(account)
    account.is_active = active
    account.save(update_fields=["is_active"])
    user.is_active = active
    audit.record(
        actor=actor,
        action=audit.AuditAction.UPDATE,
        obj=account,
        organization=_audit_organization(account),
        changes=audit.diff(before, _user_changes(account)),
    )


@transaction.atomic
def reset_password(*, actor, user: User, password: str) -> None:
    """Set a new password on an account the actor manages (its other sessions end)."""
    require_manage_account(actor, user)
    account = get_user_model().objects.select_for_update().get(pk=user.pk)
    _check_password(password, account)
    account.set_password(password)
    account.save(update_fields=["password"])
    user.password = account.password
    audit.record(
        actor=actor,
        action=audit.AuditAction.UPDATE,
        obj=account,
        organization=_audit_organization(account),
        changes={"password_reset": True},
    )


# --- Rules and the working-day calendar -----------------------------------------------------------

RULE_FIELDS = ["key", "value", "valid_from", "valid_to", "source_document", "description"]
CALENDAR_DAY_FIELDS = ["date", "kind", "note", "source_document"]
TEXT_MAX_LENGTH = 255
RULE_INTEGER_MAX = 9999
# Years an administrator may enter days for (the package's observed days start in 1995).
CALENDAR_FIRST_YEAR, CALENDAR_LAST_YEAR = 1990, 2100

# How a rule's value is read and checked, by the end of its key (or, failing that, by the value
# of its versions): whole numbers of days, months or years; a fraction; an education level.
INTEGER, FRACTION, EDUCATION, TEXT, OTHER = "integer", "fraction", "education", "text", "other"
AGE_BANDS = "age_bands"  # groups of ages: [[18, 30], …, [71, null]], typed "18-30, …, 71+"
_INTEGER_SUFFIXES = ("_days", "_months", "_years")
_INTEGER_TEXT = re.compile(r"\d{1,4}")
_FRACTION_TEXT = re.compile(r"(\d{1,4})\s*/\s*(\d{1,4})")


MISSING_CALENDAR_DATE = gettext_lazy("Date: enter the day.")
BAD_CALENDAR_KIND = gettext_lazy("Kind of day: choose one of the kinds in the list.")
MISSING_CALENDAR_SOURCE = gettext_lazy(
    "Source document: name the government's notice that sets this day (its number and date)."
)


def missing_valid_from(key: str) -> str:
    return _("Valid from (rule “%(key)s”): enter the date the version takes effect.") % {"key": key}


def missing_rule_source(key: str) -> str:
    return _(
        "Source document of the rule “%(key)s”: name the document that sets this version "
        "(its number, date and article)."
    ) % {"key": key}


def can_change_rules(user) -> bool:
    """May the user change the rules and the working-day calendar? They are national: a
    superuser, or an administrator of a top-level organization (one with no parent today)."""
    from dangbo.organizations.models import OrganizationLink

    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    has_parent = OrganizationLink.objects.filter(valid_to__isnull=True).values("child_id")
    return (
        RoleGrant.objects.filter(user=user, role=Role.ADMINISTRATOR)
        .exclude(organization_id__in=has_parent)
        .exists()
    )


def _require_change_rules(actor, key: str) -> None:
    if not can_change_rules(actor):
        raise PermissionDenied(
            _(
                "Only a superuser or an administrator of a top-level organization may change "
                "the rule “%(key)s”: the rules are national."
            )
            % {"key": key}
        )


def _require_change_calendar(actor) -> None:
    if not can_change_rules(actor):
        raise PermissionDenied(
            _(
                "Only a superuser or an administrator of a top-level organization may change "
                "the working-day calendar: it is national."
            )
        )


def _national_audit_organization(actor) -> Organization | None:
    """The organization an audit line about the national rules or calendar is filed under, so
    that the administrators at the top see it in their audit log: the top-level organization
    the actor administers, else the first top-level organization."""
    from dangbo.organizations.models import Organization, OrganizationLink

    tops = Organization.objects.exclude(
        id__in=OrganizationLink.objects.filter(valid_to__isnull=True).values("child_id")
    ).order_by("sort_key", "id")
    mine = tops.filter(role_grants__user=actor, role_grants__role=Role.ADMINISTRATOR).first()
    return mine or tops.first()


def rule_value_kind(key: str, current: Any = None) -> str:
    """How the values of the rule ``key`` are read: by the end of the key (``*_days``,
    ``*_months``, ``*_years``: whole numbers; ``*_threshold``: a fraction; ``*_education``: an
    education level), else by the type of ``current``, a value it already has."""
    name = key.rsplit(".", 1)[-1]
    if name.endswith(_INTEGER_SUFFIXES):
        return INTEGER
    if name.endswith("_threshold"):
        return FRACTION
    if name.endswith("_education"):
        return EDUCATION
    if name.endswith("age_bands"):
        return AGE_BANDS
    if isinstance(current, bool):
        return OTHER
    if isinstance(current, int):
        return INTEGER
    if isinstance(current, dict) and set(current) == {"numerator", "denominator"}:
        return FRACTION
    if isinstance(current, str):
        return TEXT
    return OTHER


def education_choices() -> list[tuple[str, str]]:
    """The general education levels a rule may require (the members' own choices)."""
    from dangbo.members.models import GeneralEducation

    return [(value, str(label)) for value, label in GeneralEducation.choices]


def clean_rule_value(key: str, value: Any, *, kind: str) -> Any:
    """The value to store for the rule ``key``: a whole number, ``{"numerator", "denominator"}``
    or a choice, read from a Python value or from text ("60", "2/3")."""
    if kind == INTEGER:
        number = None
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif isinstance(value, str) and _INTEGER_TEXT.fullmatch(value.strip()):
            number = int(value.strip())
        if number is None or not 0 <= number <= RULE_INTEGER_MAX:
            raise ValidationError(
                {
                    "value": _(
                        "Value of the rule “%(key)s”: enter a whole number from 0 to %(max)s."
                    )
                    % {"key": key, "max": RULE_INTEGER_MAX}
                }
            )
        return number
    if kind == FRACTION:
        numerator = denominator = None
        if isinstance(value, dict) and set(value) == {"numerator", "denominator"}:
            numerator, denominator = value["numerator"], value["denominator"]
        elif isinstance(value, str) and (match := _FRACTION_TEXT.fullmatch(value.strip())):
            numerator, denominator = int(match[1]), int(match[2])
        if not (
            isinstance(numerator, int)
            and isinstance(denominator, int)
            and not isinstance(numerator, bool)
            and not isinstance(denominator, bool)
            and 0 < numerator <= denominator <= RULE_INTEGER_MAX
        ):
            raise ValidationError(
                {
                    "value": _(
                        "Value of the rule “%(key)s”: enter a fraction such as 2/3, the "
                        "numerator greater than 0 and not greater than the denominator."
                    )
                    % {"key": key}
                }
            )
        return {"numerator": numerator, "denominator": denominator}
    if kind == EDUCATION:
        if value not in dict(education_choices()):
            raise ValidationError(
                {
                    "value": _(
                        "Value of the rule “%(key)s”: choose one of the education levels in "
                        "the list."
                    )
                    % {"key": key}
                }
            )
        return value
    if kind == AGE_BANDS:
        return _clean_age_bands(key, value)
    if kind == TEXT:
        text = " ".join(value.split()) if isinstance(value, str) else ""
        if not text or len(text) > TEXT_MAX_LENGTH:
            raise ValidationError(
                {
                    "value": _(
                        "Value of the rule “%(key)s”: enter a text of 1 to %(n)s characters."
                    )
                    % {"key": key, "n": TEXT_MAX_LENGTH}
                }
            )
        return text
    raise ValidationError(
        {
            "value": _(
                "The rule “%(key)s” cannot be changed here: its value has no form that this page "
                "can check."
            )
            % {"key": key}
        }
    )


def age_bands_text(value: Any) -> str:
    """Age groups as typed and read: "18-30, 31-40, 71+"."""
    return ", ".join(f"{low}+" if high is None else f"{low}-{high}" for low, high in value or [])


def _clean_age_bands(key: str, value: Any) -> list[list[int | None]]:
    """Age groups from text ("18-30, 31-40, …, 71+") or a list of [low, high]: ascending,
    not overlapping, ages from 16 to 120, only the last one open-ended."""
    from dangbo.members.categories import parse_age_band

    error = ValidationError(
        {
            "value": _(
                "Value of the rule “%(key)s”: enter age groups in ascending order, such as "
                "“18-30, 31-40, 41-50, 51-60, 61-70, 71+”, ages from 16 to 120, the groups not "
                "overlapping, only the last one open (“71+”)."
            )
            % {"key": key}
        }
    )
    if isinstance(value, str):
        parts = [part for part in value.replace(";", ",").split(",") if part.strip()]
        bands = [parse_age_band(part) for part in parts]
        if not bands or any(band is None for band in bands):
            raise error
        pairs = [(band.low, band.high) for band in bands if band is not None]
    elif isinstance(value, list | tuple):
        try:
            pairs = [(int(low), None if high is None else int(high)) for low, high in value]
        except (TypeError, ValueError):
            raise error from None
    else:
        raise error
    previous_high = 15
    for index, (low, high) in enumerate(pairs):
        last = index == len(pairs) - 1
        if low <= previous_high or low > 120 or (high is None and not last):
            raise error
        if high is not None and (high < low or high > 120):
            raise error
        previous_high = high if high is not None else 121
    if not pairs:
        raise error
    return [[low, high] for low, high in pairs]


def _clean_text(
    errors: dict[str, list[str]], field: str, text: str | None, *, required: str = ""
) -> str:
    """``text`` with its spaces tidied; an error under ``field`` when it is missing (and
    ``required`` says why it is needed) or too long."""
    cleaned = " ".join((text or "").split())
    if required and not cleaned:
        errors.setdefault(field, []).append(required)
    elif len(cleaned) > TEXT_MAX_LENGTH:
        errors.setdefault(field, []).append(
            _("At most %(n)s characters (now %(length)s).")
            % {"n": TEXT_MAX_LENGTH, "length": len(cleaned)}
        )
    return cleaned


@transaction.atomic
def add_rule_version(
    *,
    actor,
    key: str,
    value: Any,
    valid_from: dt.date,
    source_document: str,
    description: str = "",
) -> Rule:
    """A new version of the rule ``key`` in force from ``valid_from``: the version open until
    then ends that day. A version is never edited or deleted otherwise, so a case keeps the
    rule it was judged by; the new version must start after the latest one. A blank
    description keeps the latest version's."""
    _require_change_rules(actor, key)
    versions = list(Rule.objects.select_for_update().filter(key=key).order_by("-valid_from"))
    if not versions:
        raise ValidationError({"key": _("There is no rule “%(key)s”.") % {"key": key}})
    latest = versions[0]
    errors: dict[str, list[str]] = {}
    try:
        cleaned = clean_rule_value(key, value, kind=rule_value_kind(key, latest.value))
    except ValidationError as error:
        errors.update(error.message_dict)
    source = _clean_text(
        errors,
        "source_document",
        source_document,
        required=missing_rule_source(key),
    )
    description = _clean_text(errors, "description", description) or latest.description
    if not isinstance(valid_from, dt.date):
        errors.setdefault("valid_from", []).append(missing_valid_from(key))
    elif valid_from <= latest.valid_from:
        errors.setdefault("valid_from", []).append(
            _(
                "Valid from (rule “%(key)s”): the new version must start after %(date)s, the "
                "day the latest version took effect."
            )
            % {"key": key, "date": f"{latest.valid_from:%d/%m/%Y}"}
        )
    elif latest.valid_to is not None and valid_from < latest.valid_to:
        errors.setdefault("valid_from", []).append(
            _(
                "Valid from (rule “%(key)s”): the latest version is in force until %(date)s; "
                "the new version may start on that day or later."
            )
            % {"key": key, "date": f"{latest.valid_to:%d/%m/%Y}"}
        )
    elif valid_from < EARLIEST_DATE or valid_from.year > 9998:
        errors.setdefault("valid_from", []).append(
            _("Valid from (rule “%(key)s”): the date is out of range.") % {"key": key}
        )
    if errors:
        raise ValidationError(errors)
    organization = _national_audit_organization(actor)
    if latest.valid_to is None:
        before = audit.snapshot(latest, RULE_FIELDS)
        latest.valid_to = valid_from
        latest.save(update_fields=["valid_to"])
        audit.record(
            actor=actor,
            action=audit.AuditAction.UPDATE,
            obj=latest,
            organization=organization,
            changes=audit.diff(before, audit.snapshot(latest, RULE_FIELDS)),
        )
    rule = Rule.objects.create(
        key=key,
        value=cleaned,
        valid_from=valid_from,
        source_document=source,
        description=description,
    )
    audit.record(
        actor=actor,
        action=audit.AuditAction.CREATE,
        obj=rule,
        organization=organization,
        changes=audit.diff({}, audit.snapshot(rule, RULE_FIELDS)),
    )
    return rule


@transaction.atomic
def add_calendar_day(
    *, actor, date: dt.date, kind: str, source_document: str, note: str = ""
) -> CalendarDay:
    """Enter a day of the government's yearly notice on the working-day calendar: a day off
    (an extra or substitute one) or a make-up working day. It has the last word on its date in
    every deadline counted across it."""
    _require_change_calendar(actor)
    errors: dict[str, list[str]] = {}
    if kind not in CalendarDayKind.values:
        errors.setdefault("kind", []).append(str(BAD_CALENDAR_KIND))
    if not isinstance(date, dt.date):
        errors.setdefault("date", []).append(str(MISSING_CALENDAR_DATE))
    elif not CALENDAR_FIRST_YEAR <= date.year <= CALENDAR_LAST_YEAR:
        errors.setdefault("date", []).append(
            _("Date: the calendar takes days from %(first)s to %(last)s.")
            % {"first": CALENDAR_FIRST_YEAR, "last": CALENDAR_LAST_YEAR}
        )
    else:
        entered = CalendarDay.objects.filter(date=date).first()
        shown = f"{date:%d/%m/%Y}"
        if entered is not None:
            errors.setdefault("date", []).append(
                _(
                    "Date: %(date)s is already on the calendar (%(kind)s); remove that entry "
                    "first to change it."
                )
                % {"date": shown, "kind": entered.get_kind_display()}
            )
        elif kind in CalendarDayKind.values:
            working = working_calendar.is_package_working_day(date)
            if kind == CalendarDayKind.WORKING_DAY and working:
                errors.setdefault("kind", []).append(
                    _(
                        "Kind of day: %(date)s is already a working day; only a weekend day "
                        "or a holiday can become a make-up working day."
                    )
                    % {"date": shown}
                )
            elif kind == CalendarDayKind.DAY_OFF and not working:
                errors.setdefault("kind", []).append(
                    _(
                        "Kind of day: %(date)s is already a day off (a weekend day or a public "
                        "holiday)."
                    )
                    % {"date": shown}
                )
    source = _clean_text(
        errors,
        "source_document",
        source_document,
        required=str(MISSING_CALENDAR_SOURCE),
    )
    note = _clean_text(errors, "note", note)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            day = CalendarDay.objects.create(
                date=date, kind=kind, note=note, source_document=source
            )
    except IntegrityError:  # the same date, entered at the same moment
        raise ValidationError(
            {"date": _("Date: %(date)s is already on the calendar.") % {"date": f"{date:%d/%m/%Y}"}}
        ) from None
    audit.record(
        actor=actor,
        action=audit.AuditAction.CREATE,
        obj=day,
        organization=_national_audit_organization(actor),
        changes=audit.diff({}, audit.snapshot(day, CALENDAR_DAY_FIELDS)),
    )
    return day


@transaction.atomic
def remove_calendar_day(*, actor, day: CalendarDay) -> None:
    """Take an administrator's day off the calendar (entered by mistake, or cancelled): the
    audit line keeps what it was."""
    _require_change_calendar(actor)
    locked = CalendarDay.objects.select_for_update().filter(pk=day.pk).first()
    if locked is None:
        raise ValidationError(_("This day has already been removed from the calendar."))
    audit.record(
        actor=actor,
        action=audit.AuditAction.DELETE,
        obj=locked,
        organization=_national_audit_organization(actor),
        changes=audit.diff(audit.snapshot(locked, CALENDAR_DAY_FIELDS), {}),
    )
    locked.delete()
