"""People (staff, members or not) and party membership as dated events."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


class Religion(models.TextChoices):
    NONE = "none", _("Không")
    BUDDHISM = "buddhism", _("Phật giáo")
    CATHOLICISM = "catholicism", _("Công giáo")
    PROTESTANTISM = "protestantism", _("Tin lành")
    CAODAISM = "caodaism", _("Cao Đài")
    HOA_HAO = "hoa_hao", _("Phật giáo Hòa Hảo")
    ISLAM = "islam", _("Hồi giáo")
    OTHER = "other", _("Tôn giáo khác")


class GeneralEducation(models.TextChoices):
    PRIMARY = "primary", _("Tiểu học")
    LOWER_SECONDARY = "lower_secondary", _("Trung học cơ sở")
    UPPER_SECONDARY = "upper_secondary", _("Trung học phổ thông")


class ProfessionalLevel(models.TextChoices):
    NONE = "none", _("Chưa qua đào tạo")
    ELEMENTARY = "elementary", _("Sơ cấp")
    INTERMEDIATE = "intermediate", _("Trung cấp")
    COLLEGE = "college", _("Cao đẳng")
    BACHELOR = "bachelor", _("Đại học")
    MASTER = "master", _("Thạc sĩ")
    DOCTOR = "doctor", _("Tiến sĩ")


class PoliticalTheoryLevel(models.TextChoices):
    NONE = "none", _("Chưa qua đào tạo")
    ELEMENTARY = "elementary", _("Sơ cấp")
    INTERMEDIATE = "intermediate", _("Trung cấp")
    ADVANCED = "advanced", _("Cao cấp")
    BACHELOR = "bachelor", _("Cử nhân")


class Ethnicity(models.Model):
    """One of the 54 ethnic groups, with the statistics office's code (reference data)."""

    code = models.CharField(_("mã"), max_length=2, unique=True)
    name = models.CharField(_("tên dân tộc"), max_length=60)

    class Meta:
        verbose_name = _("dân tộc")
        verbose_name_plural = _("dân tộc")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class PersonQuerySet(models.QuerySet["Person"]):
    def visible_to(self, user) -> PersonQuerySet:
        """People whose records the user may see: the one access rule (``core.access``)."""
        from dangbo.core.access import scope_organization_ids

        org_ids = scope_organization_ids(user, personal=True)
        return self.filter(
            Exists(
                Employment.objects.filter(person=OuterRef("pk"), organization_id__in=org_ids)
            )
            | Exists(
                MembershipPeriod.objects.filter(
                    member__person=OuterRef("pk"), organization_id__in=org_ids
                )
            )
        )


class Person(models.Model):
    """A person on the staff of a unit, member or not (quần chúng, đảng viên)."""

    surname = models.CharField(_("họ"), max_length=40)
    middle_name = models.CharField(_("tên đệm"), max_length=80, blank=True)
    given_name = models.CharField(_("tên"), max_length=40)
    sex = models.CharField(_("giới tính"), max_length=6, choices=Sex.choices)
    date_of_birth = models.DateField(_("ngày sinh"))
    citizen_id = models.CharField(
        _("số CCCD/định danh"), max_length=12, null=True, blank=True, unique=True
    )
    ethnicity = models.ForeignKey(
        Ethnicity, on_delete=models.PROTECT, verbose_name=_("dân tộc"), related_name="+"
    )
    religion = models.CharField(
        _("tôn giáo"), max_length=20, choices=Religion.choices, default=Religion.NONE
    )
    birthplace = models.CharField(_("nơi sinh"), max_length=255, blank=True)
    hometown = models.CharField(_("quê quán"), max_length=255, blank=True)
    residence = models.CharField(_("nơi thường trú"), max_length=255, blank=True)
    occupation = models.CharField(_("nghề nghiệp"), max_length=120, blank=True)
    general_education = models.CharField(
        _("giáo dục phổ thông"), max_length=20, choices=GeneralEducation.choices,
        default=GeneralEducation.UPPER_SECONDARY,
    )
    professional_level = models.CharField(
        _("trình độ chuyên môn"), max_length=20, choices=ProfessionalLevel.choices,
        default=ProfessionalLevel.NONE,
    )
    political_theory_level = models.CharField(
        _("lý luận chính trị"), max_length=20, choices=PoliticalTheoryLevel.choices,
        default=PoliticalTheoryLevel.NONE,
    )
    # Derived from the name by the services, so both databases search and sort alike.
    sort_key = models.CharField(max_length=400, editable=False, default="", db_index=True)
    search_name = models.CharField(max_length=200, editable=False, default="", db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("cá nhân")
        verbose_name_plural = _("cá nhân")
        ordering = ["sort_key", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(citizen_id__isnull=True) | Q(citizen_id__regex=r"^([0-9]{9}|[0-9]{12})$"),
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
    """A person working in a unit whose party organization is ``organization``, over a period."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="employments", verbose_name=_("cá nhân")
    )
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="employments",
        verbose_name=_("tổ chức đảng nơi công tác"),
    )
    unit_name = models.CharField(_("đơn vị công tác"), max_length=255, blank=True)
    position = models.CharField(_("chức vụ"), max_length=120, blank=True)
    start_date = models.DateField(_("ngày bắt đầu"))
    end_date = models.DateField(_("ngày kết thúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("quá trình công tác")
        verbose_name_plural = _("quá trình công tác")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
                name="employment_period_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "start_date"], name="employment_org_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.organization_id}"


class MemberStatus(models.TextChoices):
    NOT_MEMBER = "not_member", _("Chưa là đảng viên")
    PROBATIONARY = "probationary", _("Đảng viên dự bị")
    FULL = "full", _("Đảng viên chính thức")


class MembershipEventKind(models.TextChoices):
    ADMISSION_DECISION = "admission_decision", _("Quyết định kết nạp")
    CEREMONY = "ceremony", _("Lễ kết nạp")
    RECOGNITION = "recognition", _("Công nhận đảng viên chính thức")
    # Later issues record these; the period derivation already honours them.
    TRANSFER = "transfer", _("Chuyển sinh hoạt đảng chính thức")
    PROBATION_REMOVED = "probation_removed", _("Xóa tên khỏi danh sách đảng viên dự bị")
    EXPELLED = "expelled", _("Khai trừ")
    REMOVED = "removed", _("Xóa tên")
    RESIGNED = "resigned", _("Xin ra khỏi Đảng")
    DECEASED = "deceased", _("Từ trần")
    LOST_CONTACT = "lost_contact", _("Mất liên lạc")


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
        return self.filter(person__in=Person.objects.visible_to(user))


class Member(models.Model):
    """A person who has been admitted to the Party at least once; state comes from the events."""

    person = models.OneToOneField(
        Person, on_delete=models.PROTECT, related_name="member", verbose_name=_("cá nhân")
    )
    record_number = models.CharField(
        _("số lý lịch đảng viên"), max_length=12, blank=True, db_index=True
    )
    card_number_old = models.CharField(_("số thẻ đảng (8 số)"), max_length=8, blank=True)
    card_number = models.CharField(_("số thẻ đảng (12 số)"), max_length=12, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("đảng viên")
        verbose_name_plural = _("đảng viên")
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
        Member, on_delete=models.CASCADE, related_name="events", verbose_name=_("đảng viên")
    )
    kind = models.CharField(_("loại sự kiện"), max_length=30, choices=MembershipEventKind.choices)
    date = models.DateField(_("ngày hiệu lực"))
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("tổ chức đảng"),
    )
    document_number = models.CharField(_("số văn bản"), max_length=60, blank=True)
    document_date = models.DateField(_("ngày ký văn bản"), null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("người ghi"),
    )
    recorded_at = models.DateTimeField(_("thời điểm ghi"), auto_now_add=True)

    class Meta:
        verbose_name = _("sự kiện đảng tịch")
        verbose_name_plural = _("sự kiện đảng tịch")
        ordering = ["date", "id"]
        indexes = [
            models.Index(fields=["kind", "date"], name="member_event_kind_date_idx"),
            models.Index(fields=["member", "date"], name="member_event_member_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d/%m/%Y}"


class MembershipPeriod(models.Model):
    """Derived from the events: the member was registered at ``organization`` with ``status``
    over [valid_from, valid_to). Rebuilt by ``members.services`` whenever events change."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="periods")
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=20, choices=MemberStatus.choices)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["valid_from"]
        indexes = [
            models.Index(fields=["organization", "valid_from"], name="member_period_org_idx"),
            models.Index(fields=["member", "valid_from"], name="member_period_member_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.status} @ {self.organization_id}"

    def covers(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)
