"""Congress terms of an organization (targets come with the member development work)."""

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
