"""People (staff, members or not) and party membership as dated events."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Religion(models.TextChoices):
    NONE = "none", _("No religion")
    BUDDHISM = "buddhism", _("Buddhism")
    CATHOLICISM = "catholicism", _("Catholicism")
    PROTESTANTISM = "protestantism", _("Protestantism")
    CAODAISM = "caodaism", _("Caodaism")
    HOA_HAO = "hoa_hao", _("Hoa Hao Buddhism")
    ISLAM = "islam", _("Islam")
    OTHER = "other", _("Other religion")


class GeneralEducation(models.TextChoices):
    PRIMARY = "primary", _("Primary")
    LOWER_SECONDARY = "lower_secondary", _("Lower secondary")
    UPPER_SECONDARY = "upper_secondary", _("Upper secondary")


class ProfessionalLevel(models.TextChoices):
    NONE = "none", _("No training")
    ELEMENTARY = "elementary", _("Elementary")
    INTERMEDIATE = "intermediate", _("Intermediate")
    COLLEGE = "college", _("College")
    BACHELOR = "bachelor", _("University")
    MASTER = "master", _("Master")
    DOCTOR = "doctor", _("Doctorate")


class PoliticalTheoryLevel(models.TextChoices):
    NONE = "none", _("No training")
    ELEMENTARY = "elementary", _("Elementary")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")
    BACHELOR = "bachelor", _("Bachelor")


class Ethnicity(models.Model):
    """One of the 54 ethnic groups, with the statistics office's code (reference data)."""

    code = models.CharField(_("code"), max_length=2, unique=True)
    name = models.CharField(_("ethnic group name"), max_length=60)

    class Meta:
        verbose_name = _("ethnic group")
        verbose_name_plural = _("ethnic groups")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class PersonQuerySet(models.QuerySet["Person"]):
    def visible_to(self, user) -> PersonQuerySet:
        """People whose records the user may see: the one access rule (``core.access``)."""
        from dangbo.core.access import scope_organization_ids

        if user is not None and user.is_authenticated and user.is_active and user.is_superuser:
            return self.all()
        org_ids = scope_organization_ids(user, personal=True)
        return self.filter(
            Exists(Employment.objects.filter(person=OuterRef("pk"), organization_id__in=org_ids))
            | Exists(
                MembershipPeriod.objects.filter(
                    member__person=OuterRef("pk"), organization_id__in=org_ids
                )
            )
        )


class Person(models.Model):
    """A person on the staff of a unit, member or not (quần chúng, đảng viên)."""

    surname = models.CharField(_("surname"), max_length=40)
    middle_name = models.CharField(_("middle name"), max_length=80, blank=True)
    given_name = models.CharField(_("given name"), max_length=40)
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices)
    date_of_birth = models.DateField(_("date of birth"), db_index=True)
    citizen_id = models.CharField(
        _("citizen ID number"), max_length=12, null=True, blank=True, unique=True
    )
    ethnicity = models.ForeignKey(
        Ethnicity, on_delete=models.PROTECT, verbose_name=_("ethnic group"), related_name="+"
    )
    religion = models.CharField(
        _("religion"), max_length=20, choices=Religion.choices, default=Religion.NONE
    )
    birthplace = models.CharField(_("place of birth"), max_length=255, blank=True)
    hometown = models.CharField(_("home town"), max_length=255, blank=True)
    residence = models.CharField(_("permanent residence"), max_length=255, blank=True)
    occupation = models.CharField(_("occupation"), max_length=120, blank=True)
    general_education = models.CharField(
        _("general education"),
        max_length=20,
        choices=GeneralEducation.choices,
        default=GeneralEducation.UPPER_SECONDARY,
    )
    professional_level = models.CharField(
        _("professional qualification"),
        max_length=20,
        choices=ProfessionalLevel.choices,
        default=ProfessionalLevel.NONE,
    )
    political_theory_level = models.CharField(
        _("political theory"),
        max_length=20,
        choices=PoliticalTheoryLevel.choices,
        default=PoliticalTheoryLevel.NONE,
    )
    # Derived from the name by the services, so both databases search and sort alike.
    sort_key = models.CharField(max_length=400, editable=False, default="", db_index=True)
    search_name = models.CharField(max_length=200, editable=False, default="", db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["sort_key", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(citizen_id__isnull=True)
                | Q(citizen_id__regex=r"^([0-9]{9}|[0-9]{12})$"),
                name="person_citizen_id_digits",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.surname, self.middle_name, self.given_name) if p)

    @property
    def has_legacy_id(self) -> bool:
        """A 9-digit identity card number (CMND) kept from older records."""
        return bool(self.citizen_id) and len(self.citizen_id) == 9


class Employment(models.Model):
    """A person working in a unit whose party organization is ``organization``, over a period.

    A person is on the staff of one unit at a time: a person's employments never overlap (the
    services refuse it; a second post held concurrently is a position, not an employment). So
    counting staff on a day is counting employments, with no DISTINCT over the people.
    """

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="employments", verbose_name=_("person")
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="employments",
        verbose_name=_("party organization of the workplace"),
    )
    unit_name = models.CharField(_("work unit"), max_length=255, blank=True)
    position = models.CharField(_("position"), max_length=120, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        verbose_name = _("employment")
        verbose_name_plural = _("employments")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
                name="employment_period_valid",
            ),
        ]
        indexes = [
            models.Index(
                fields=["organization", "start_date", "end_date", "person"],
                name="employment_org_on_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.organization_id}"


class MemberStatus(models.TextChoices):
    NOT_MEMBER = "not_member", _("Not a member")
    PROBATIONARY = "probationary", _("Probationary member")
    FULL = "full", _("Full member")


class MembershipEventKind(models.TextChoices):
    ADMISSION_DECISION = "admission_decision", _("Admission decision")
    CEREMONY = "ceremony", _("Admission ceremony")
    RECOGNITION = "recognition", _("Recognition as full member")
    # Later issues record these; the period derivation already honours them.
    TRANSFER = "transfer", _("Permanent transfer")
    PROBATION_REMOVED = "probation_removed", _("Removal from the probationary list")
    EXPELLED = "expelled", _("Expulsion")
    REMOVED = "removed", _("Name removal")
    RESIGNED = "resigned", _("Leaving on request")
    DECEASED = "deceased", _("Death")
    LOST_CONTACT = "lost_contact", _("Lost contact")


EXIT_KINDS = frozenset(
    {
        MembershipEventKind.PROBATION_REMOVED,
        MembershipEventKind.EXPELLED,
        MembershipEventKind.REMOVED,
        MembershipEventKind.RESIGNED,
        MembershipEventKind.DECEASED,
        MembershipEventKind.LOST_CONTACT,
    }
)


class MemberQuerySet(models.QuerySet["Member"]):
    def visible_to(self, user) -> MemberQuerySet:
        """Members whose records the user may see: the one access rule (``core.access``)."""
        from dangbo.core.access import scope_organization_ids

        if user is not None and user.is_authenticated and user.is_active and user.is_superuser:
            return self.all()
        org_ids = scope_organization_ids(user, personal=True)
        # Correlated on the member row itself: a "person in (visible people)" subquery makes
        # SQLite list every visible person first.
        return self.filter(
            Exists(
                MembershipPeriod.objects.filter(member=OuterRef("pk"), organization_id__in=org_ids)
            )
            | Exists(
                Employment.objects.filter(
                    person_id=OuterRef("person_id"), organization_id__in=org_ids
                )
            )
        )


class Member(models.Model):
    """A person who has been admitted to the Party at least once; state comes from the events."""

    person = models.OneToOneField(
        Person, on_delete=models.PROTECT, related_name="member", verbose_name=_("person")
    )
    record_number = models.CharField(
        _("member record number"), max_length=12, blank=True, db_index=True
    )
    card_number_old = models.CharField(_("party card number (8 digits)"), max_length=8, blank=True)
    card_number = models.CharField(_("party card number (12 digits)"), max_length=12, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        constraints = [
            models.CheckConstraint(
                condition=Q(card_number_old="") | Q(card_number_old__regex=r"^[0-9]{8}$"),
                name="member_card_old_digits",
            ),
            models.CheckConstraint(
                condition=Q(card_number="") | Q(card_number__regex=r"^[0-9]{12}$"),
                name="member_card_digits",
            ),
        ]

    def __str__(self) -> str:
        return str(self.person)


class MembershipEvent(models.Model):
    """A dated fact of a membership: admission decision, ceremony, recognition, later transfers
    and exits. The member's status and registration on any date are derived from these."""

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="events", verbose_name=_("party member")
    )
    kind = models.CharField(_("event kind"), max_length=30, choices=MembershipEventKind.choices)
    date = models.DateField(_("effective date"))
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("party organization"),
    )
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
    document_date = models.DateField(_("document date"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership event")
        verbose_name_plural = _("membership events")
        ordering = ["date", "id"]
        indexes = [
            models.Index(
                fields=["kind", "date", "organization"], name="member_event_kind_date_org_idx"
            ),
            models.Index(fields=["member", "date"], name="member_event_member_idx"),
            # Events of a kind at the organizations of a subtree (statistics): SQLite's planner
            # otherwise reads every event of the subtree's organizations (bench/).
            models.Index(
                fields=["kind", "organization", "date"], name="member_event_kind_org_date_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d/%m/%Y}"


# The person's columns that the statistics count besides the date of birth: one combination of
# them is a ``MemberProfile``.
PROFILE_FIELDS = (
    "sex",
    "ethnicity_id",
    "religion",
    "general_education",
    "professional_level",
    "political_theory_level",
    "occupation",
)


class MemberProfile(models.Model):
    """One combination of a person's counted columns (``PROFILE_FIELDS``), shared by everyone
    who has it and never changed. Each registration period points at its person's profile, so a
    count of members groups 366.000 periods by one small number (a city has a few thousand
    profiles) instead of by seven columns."""

    sex = models.CharField(max_length=6, choices=Sex.choices)
    ethnicity = models.ForeignKey(Ethnicity, on_delete=models.PROTECT, related_name="+")
    religion = models.CharField(max_length=20)
    general_education = models.CharField(max_length=20)
    professional_level = models.CharField(max_length=20)
    political_theory_level = models.CharField(max_length=20)
    occupation = models.CharField(max_length=120)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sex", "ethnicity", *(f for f in PROFILE_FIELDS[2:])],
                name="member_profile_unique",
            )
        ]

    def __str__(self) -> str:
        return " / ".join(str(getattr(self, field)) for field in PROFILE_FIELDS)


class MembershipPeriod(models.Model):
    """Derived from the events: the member was registered at ``organization`` with ``status``
    over [valid_from, valid_to). Rebuilt by ``members.services`` whenever events change, which
    also copy the person's date of birth and profile here whenever the periods are rebuilt or
    the person changes: a count of members reads this table alone (on SQLite, one index)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="periods")
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=20, choices=MemberStatus.choices)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    # Copies of the person's (see above); never edited on their own.
    date_of_birth = models.DateField(null=True, editable=False)
    profile = models.ForeignKey(
        MemberProfile,
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="+",
        db_index=False,  # read through member_period_counted_idx
    )

    class Meta:
        ordering = ["valid_from"]
        indexes = [
            # Holds every column a count of members reads: SQLite answers it from the index.
            models.Index(
                fields=[
                    "organization",
                    "valid_from",
                    "valid_to",
                    "status",
                    "date_of_birth",
                    "profile",
                ],
                name="member_period_counted_idx",
            ),
            models.Index(fields=["member", "valid_from"], name="member_period_member_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.status} @ {self.organization_id}"

    def covers(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)
