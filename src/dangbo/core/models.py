"""What every app uses and no app owns: roles on subtrees, the audit log, versioned rules,
the days entered on the working-day calendar."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    MANAGER = "manager", _("Manager")
    VIEWER = "viewer", _("Viewer")
    STATISTICIAN = "statistician", _("Statistician")


class RoleGrant(models.Model):
    """A role a user holds on an organization; it covers the organization's whole subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_grants",
        verbose_name=_("user"),
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="role_grants",
        verbose_name=_("party organization"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField(_("granted on"), auto_now_add=True)

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"], name="core_rolegrant_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.organization}"


class AuditAction(models.TextChoices):
    CREATE = "create", _("Create")
    UPDATE = "update", _("Update")
    DELETE = "delete", _("Delete")
    VIEW = "view", _("View record")
    EXPORT = "export", _("Export")
    LOGIN = "login", _("Login")
    LOGOUT = "logout", _("Logout")
    LOGIN_FAILED = "login_failed", _("Failed login")


class AuditEntry(models.Model):
    """One append-only line of the audit log: who did or saw what, when, from where.

    The database refuses UPDATE and DELETE on this table (triggers in the migration).
    """

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_name = models.CharField(_("login name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object ID"), max_length=40, blank=True)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("party organization"),
    )
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    client_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=36, blank=True, db_index=True)
    path = models.CharField(_("path"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="core_audit_object_idx"),
            models.Index(fields=["organization", "at"], name="core_audit_org_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"


class Rule(models.Model):
    """A versioned rule: a limit, deadline, rate or threshold, valid over a period, with its source.

    A case is judged by the version in force on the case's own date, so a new regulation is a new
    row, never an edit of the old one.
    """

    key = models.CharField(_("rule key"), max_length=80)
    value = models.JSONField(_("value"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    source_document = models.CharField(_("source document"), max_length=255)
    description = models.CharField(_("description"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("rule")
        verbose_name_plural = _("rules")
        ordering = ["key", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["key", "valid_from"], name="core_rule_key_from_unique"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="core_rule_period_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} = {self.value} ({self.valid_from:%d/%m/%Y})"


class DataVersion(models.Model):
    """A counter that every recorded change bumps (``core.audit.record``), in the change's own
    transaction: figures computed from the data may be cached under the version they saw."""

    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("data version")
        verbose_name_plural = _("data version")

    def __str__(self) -> str:
        return str(self.value)


class CalendarDayKind(models.TextChoices):
    DAY_OFF = "day_off", _("Day off")
    WORKING_DAY = "working_day", _("Make-up working day")


class CalendarDay(models.Model):
    """A day an administrator enters on the working-day calendar, from the government's
    yearly notice: an extra or substitute day off, or a make-up working day (a Saturday worked
    in exchange). It overrides the public holidays and the weekend (``core.calendar``)."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind of day"), max_length=20, choices=CalendarDayKind.choices)
    note = models.CharField(_("note"), max_length=255, blank=True)
    source_document = models.CharField(_("source document"), max_length=255)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["day_off", "working_day"]), name="core_calendarday_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}"
