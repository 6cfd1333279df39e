"""Congress terms of an organization (targets come with the member development work)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Term(models.Model):
    """A Congress term (nhiệm kỳ) of an organization, from its Congress to the next."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="terms",
        verbose_name=_("tổ chức đảng"),
    )
    name = models.CharField(_("tên nhiệm kỳ"), max_length=120)
    starts_on = models.DateField(_("ngày bắt đầu"))
    ends_on = models.DateField(_("ngày kết thúc"))
    resolution = models.CharField(_("nghị quyết Đại hội"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("nhiệm kỳ")
        verbose_name_plural = _("nhiệm kỳ")
        ordering = ["organization", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="term_period_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.starts_on:%Y}–{self.ends_on:%Y})"
