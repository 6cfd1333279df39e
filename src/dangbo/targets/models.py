"""Congress terms of an organization and the admission targets their resolutions set."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Term(models.Model):
    """A Congress term (nhiệm kỳ) of an organization, from its Congress to the next."""

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="terms",
        verbose_name=_("party organization"),
    )
    name = models.CharField(_("term name"), max_length=120)
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"))
    resolution = models.CharField(_("Congress resolution"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["organization", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="term_period_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.starts_on:%Y}–{self.ends_on:%Y})"

    @property
    def days(self) -> int:
        """Days of the term, first and last included."""
        return (self.ends_on - self.starts_on).days + 1


class Target(models.Model):
    """An admission target of a term for one organization (the term's own, or one under it):
    new members over the term, a yearly admission rate as a share of members, or both.

    A target applies to its organization only: one set for a sub-organization changes nothing
    above it, and an organization without a target of its own has none.
    """

    term = models.ForeignKey(
        Term, on_delete=models.CASCADE, related_name="targets", verbose_name=_("term")
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("party organization"),
    )
    new_members = models.PositiveIntegerField(_("new members over the term"), null=True, blank=True)
    yearly_rate_percent = models.DecimalField(
        _("yearly admissions (percent of members)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    resolution = models.CharField(_("resolution setting the target"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("admission target")
        verbose_name_plural = _("admission targets")
        ordering = ["term", "organization"]
        constraints = [
            models.UniqueConstraint(fields=["term", "organization"], name="target_term_org_unique"),
            models.CheckConstraint(
                condition=Q(new_members__isnull=False) | Q(yearly_rate_percent__isnull=False),
                name="target_has_a_figure",
            ),
            models.CheckConstraint(
                condition=Q(new_members__isnull=True) | Q(new_members__gt=0),
                name="target_new_members_positive",
            ),
            models.CheckConstraint(
                condition=Q(yearly_rate_percent__isnull=True)
                | (Q(yearly_rate_percent__gt=0) & Q(yearly_rate_percent__lte=100)),
                name="target_rate_percent_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.term.name} – {self.organization.name}"


class ProgressVerdict(models.TextChoices):
    """How admissions stand against a target on a date (computed, never stored)."""

    EXCEEDED = "exceeded", _("target exceeded")
    ON_TRACK = "on_track", _("on track")
    BEHIND = "behind", _("behind")
    NOT_STARTED = "not_started", _("term not started")
