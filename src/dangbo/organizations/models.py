"""Party organizations as a tree whose parent links are dated."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OrganizationLevel(models.TextChoices):
    CENTRAL = "central", _("Central")
    PROVINCIAL = "provincial", _("Provincial committee")
    UPPER = "upper", _("Upper-grassroots committee")
    GRASSROOTS = "grassroots", _("Grassroots organization")
    SUB_COMMITTEE = "sub_committee", _("Subordinate committee")
    BRANCH = "branch", _("Subordinate branch")
    CELL = "cell", _("Party cell")


LEVEL_DEPTH = {level: index for index, level in enumerate(OrganizationLevel.values)}


class OrganizationKind(models.TextChoices):
    COMMITTEE = "committee", _("Party committee")
    BRANCH = "branch", _("Party branch")
    CELL = "cell", _("Party cell")


class FunctionalGroup(models.TextChoices):
    PARTY_ADVISORY = "party_advisory", _("Party-building advisory")
    STATE_MANAGEMENT = "state_management", _("General advisory and state management")
    INTERNAL_AFFAIRS = "internal_affairs", _("Internal affairs")
    MASS_MOBILIZATION = "mass_mobilization", _("Mass mobilization and socio-political work")
    PRESS = "press", _("Press and publishing")


class StatisticsType(models.TextChoices):
    COMMUNE_WARD = "commune_ward", _("Commune, ward, township")
    AGENCY = "agency", _("Agency")
    PUBLIC_SERVICE = "public_service", _("Public service unit")
    STATE_ENTERPRISE = "state_enterprise", _("State-owned enterprise")
    PRIVATE_ENTERPRISE = "private_enterprise", _("Non-state enterprise")
    FOREIGN_ENTERPRISE = "foreign_enterprise", _("Foreign-invested enterprise")
    ARMED_FORCES = "armed_forces", _("Armed forces")
    OTHER = "other", _("Other")


class OrganizationQuerySet(models.QuerySet["Organization"]):
    def visible_to(self, user, *, personal: bool = False) -> OrganizationQuerySet:
        """Organizations the user's roles cover (see ``core.access``)."""
        from dangbo.core.access import scope_organization_ids

        return self.filter(id__in=scope_organization_ids(user, personal=personal))

    def active_on(self, day: dt.date) -> OrganizationQuerySet:
        return self.filter(Q(founded_on__isnull=True) | Q(founded_on__lte=day)).filter(
            Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=day)
        )


class Organization(models.Model):
    """A party organization: committee, grassroots organization, branch or cell.

    Its place in the tree is not a field: it is the dated ``OrganizationLink`` rows.
    """

    code = models.CharField(_("organization code"), max_length=40, unique=True)
    name = models.CharField(_("organization name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    place_name = models.CharField(
        _("place of issue"),
        max_length=80,
        blank=True,
        help_text=_(
            "The place written before the date on the documents and forms the organization "
            "issues, e.g. TP Hồ Chí Minh. Left empty: the place of the organization above."
        ),
    )
    level = models.CharField(_("level"), max_length=20, choices=OrganizationLevel.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganizationKind.choices)
    functional_group = models.CharField(
        _("functional group"), max_length=30, choices=FunctionalGroup.choices, blank=True
    )
    statistics_type = models.CharField(
        _("statistics type"), max_length=30, choices=StatisticsType.choices, blank=True
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    # Derived from the name by the services: Vietnamese order and accent-free search.
    sort_key = models.CharField(max_length=600, editable=False, default="")
    search_name = models.CharField(max_length=255, editable=False, default="")

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("party organization")
        verbose_name_plural = _("party organizations")
        ordering = ["sort_key", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True)
                | Q(founded_on__isnull=True)
                | Q(dissolved_on__gt=models.F("founded_on")),
                name="org_dissolved_after_founded",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_grassroots(self) -> bool:
        return self.level == OrganizationLevel.GRASSROOTS

    def is_active_on(self, day: dt.date) -> bool:
        return (self.founded_on is None or self.founded_on <= day) and (
            self.dissolved_on is None or self.dissolved_on > day
        )


class OrganizationLink(models.Model):
    """The organization's parent over a period [valid_from, valid_to); no row means a root."""

    child = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="parent_links",
        verbose_name=_("organization"),
    )
    parent = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="child_links",
        verbose_name=_("parent organization"),
    )
    valid_from = models.DateField(_("from date"))
    valid_to = models.DateField(_("to date"), null=True, blank=True)

    class Meta:
        verbose_name = _("organization link")
        verbose_name_plural = _("organization links")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="org_link_period_valid",
            ),
            models.CheckConstraint(
                condition=~Q(child=models.F("parent")), name="org_link_not_self"
            ),
        ]
        indexes = [models.Index(fields=["parent", "valid_from"], name="org_link_parent_idx")]

    def __str__(self) -> str:
        return f"{self.child_id} → {self.parent_id} [{self.valid_from}, {self.valid_to})"


class OrganizationClosure(models.Model):
    """Derived from the links: ``descendant`` is under ``ancestor`` over [valid_from, valid_to).

    Every organization is its own ancestor at depth 0. Rebuilt by the services whenever links
    change, so that "the subtree of X as of D" is one indexed lookup.
    """

    ancestor = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    descendant = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    depth = models.PositiveSmallIntegerField()
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["ancestor", "valid_from"], name="org_closure_anc_idx"),
            models.Index(fields=["descendant", "depth"], name="org_closure_desc_idx"),
            # "Was this organization under that one on that day?", asked per event (statistics).
            models.Index(
                fields=["descendant", "ancestor", "valid_from"], name="org_closure_desc_anc_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ancestor_id} ⊇ {self.descendant_id} [{self.valid_from}, {self.valid_to})"
