"""The admission pipeline: candidates, the dated steps of their dossier, votes and rule verdicts.

A case's stage and outcome are derived from its steps as of a date (``admissions.selectors``);
nothing here stores "the status of today". The steps are written by ``admissions.services`` only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CandidateSource(models.TextChoices):
    YOUTH_UNION = "youth_union", _("Youth Union")
    TRADE_UNION = "trade_union", _("Trade Union")
    EMULATION = "emulation", _("Emulation movement")
    OTHER = "other", _("Other")


class StepKind(models.TextChoices):
    """The steps of an admission case, in the order of the procedure (the order is used)."""

    AWARENESS_COURSE = "awareness_course", _("Party awareness course")
    APPLICATION = "application", _("Application to join the Party (1-KNĐ)")
    BACKGROUND = "background", _("Background statement (2-KNĐ)")
    VERIFICATION = "verification", _("Background verification")
    INTRODUCTION = "introduction", _("Introduction")
    OPINIONS = "opinions", _("Opinions gathered")
    BRANCH_RESOLUTION = "branch_resolution", _("Branch resolution (6-KNĐ)")
    SUB_COMMITTEE_APPRAISAL = "sub_committee_appraisal", _("Subordinate committee appraisal")
    COMMITTEE_RESOLUTION = "committee_resolution", _("Grassroots committee resolution (8-KNĐ)")
    DECISION = "decision", _("Admission decision (9-KNĐ)")
    CEREMONY = "ceremony", _("Admission ceremony")
    NEW_MEMBER_CLASS = "new_member_class", _("New member class")
    RECOGNITION_REVIEW = "recognition_review", _("Recognition review")
    RECOGNITION = "recognition", _("Recognition as full member")
    PROBATION_REMOVED = "probation_removed", _("Removal from the probationary list")
    REFERRED_UP = "referred_up", _("Referred to the level above")
    WITHDRAWN = "withdrawn", _("Case withdrawn")


STEP_RANK = {kind: index for index, kind in enumerate(StepKind.values)}
# Steps a case has at most once (a dossier paper may be redone; a vote may be held again).
SINGLE_STEPS = (
    StepKind.DECISION,
    StepKind.CEREMONY,
    StepKind.NEW_MEMBER_CLASS,
    StepKind.RECOGNITION_REVIEW,
    StepKind.RECOGNITION,
    StepKind.PROBATION_REMOVED,
    StepKind.REFERRED_UP,
    StepKind.WITHDRAWN,
)
# A case ends with one of these.
CLOSING_STEPS = (StepKind.RECOGNITION, StepKind.PROBATION_REMOVED, StepKind.WITHDRAWN)


class Stage(models.TextChoices):
    """Where a case stands on a date, derived from its steps up to that date."""

    DOSSIER = "dossier", _("Preparing the dossier")
    AWAITING_DECISION = "awaiting_decision", _("Awaiting the admission decision")
    AWAITING_CEREMONY = "awaiting_ceremony", _("Awaiting the ceremony")
    PROBATION = "probation", _("Probation")
    RECOGNIZED = "recognized", _("Recognized as full member")
    REMOVED = "removed", _("Removed from the probationary list")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STAGES = (Stage.DOSSIER, Stage.AWAITING_DECISION, Stage.AWAITING_CEREMONY, Stage.PROBATION)


class Candidate(models.Model):
    """An outstanding non-member (quần chúng ưu tú) developed by a branch towards admission."""

    person = models.ForeignKey(
        "members.Person",
        on_delete=models.PROTECT,
        related_name="candidacies",
        verbose_name=_("person"),
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="candidates",
        verbose_name=_("developing branch"),
    )
    source = models.CharField(_("source"), max_length=20, choices=CandidateSource.choices)
    helper = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        related_name="helped_candidates",
        verbose_name=_("assigned helper"),
    )
    started_on = models.DateField(_("development started on"))
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("admission candidate")
        verbose_name_plural = _("admission candidates")
        ordering = ["-started_on", "id"]
        indexes = [
            models.Index(fields=["organization", "started_on"], name="candidate_org_start_idx"),
        ]

    def __str__(self) -> str:
        return str(self.person)


class AdmissionStep(models.Model):
    """One dated step of a case, with its document and who recorded it."""

    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="steps", verbose_name=_("candidate")
    )
    kind = models.CharField(_("step"), max_length=30, choices=StepKind.choices)
    date = models.DateField(_("date"))
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
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
        verbose_name = _("admission step")
        verbose_name_plural = _("admission steps")
        ordering = ["date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "kind"],
                condition=Q(kind__in=[str(kind) for kind in SINGLE_STEPS]),
                name="admission_step_single_kinds",
            ),
        ]
        indexes = [
            models.Index(fields=["candidate", "kind", "date"], name="admission_step_kind_idx"),
            models.Index(fields=["kind", "date"], name="admission_step_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d/%m/%Y}"

    @property
    def rank(self) -> int:
        return STEP_RANK[self.kind]

    @property
    def passed(self) -> bool:
        """A vote step whose resolution passed (False for the other steps)."""
        resolution = getattr(self, "resolution", None)
        return resolution is not None and resolution.passed


class UnionCommittee(models.TextChoices):
    YOUTH_UNION = "youth_union", _("Youth Union grassroots committee")
    TRADE_UNION = "trade_union", _("Trade Union grassroots committee")


class Introduction(models.Model):
    """Who introduced the candidate: a full member, or a union committee by its resolution."""

    step = models.OneToOneField(
        AdmissionStep, on_delete=models.CASCADE, related_name="introduction"
    )
    introducer = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="introductions",
        verbose_name=_("introducer"),
    )
    union_committee = models.CharField(
        _("union committee"), max_length=20, choices=UnionCommittee.choices, blank=True
    )
    resolution_number = models.CharField(_("union resolution number"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("introduction")
        verbose_name_plural = _("introductions")
        constraints = [
            models.CheckConstraint(
                condition=(Q(introducer__isnull=False) & Q(union_committee=""))
                | (Q(introducer__isnull=True) & ~Q(union_committee="") & ~Q(resolution_number="")),
                name="introduction_member_or_union",
            ),
        ]

    def __str__(self) -> str:
        if self.introducer_id:
            return str(self.introducer)
        return self.get_union_committee_display()


class Verification(models.Model):
    """The background verification: its conclusion and the relatives checked."""

    step = models.OneToOneField(
        AdmissionStep, on_delete=models.CASCADE, related_name="verification"
    )
    conclusion = models.CharField(_("conclusion"), max_length=255, blank=True)
    # [{"relation": "father", "name": "...", "result": "..."}]: verified with the candidate.
    relatives = models.JSONField(_("relatives checked"), default=list, blank=True)

    class Meta:
        verbose_name = _("background verification")
        verbose_name_plural = _("background verifications")

    def __str__(self) -> str:
        return str(self.step)


class Resolution(models.Model):
    """The vote of a branch or committee meeting on the case; ``passed`` is computed by the
    service from the threshold rule in force on the meeting date."""

    step = models.OneToOneField(AdmissionStep, on_delete=models.CASCADE, related_name="resolution")
    eligible_members = models.PositiveIntegerField(_("members entitled to vote"))
    present = models.PositiveIntegerField(_("members present"))
    votes_for = models.PositiveIntegerField(_("votes for"))
    votes_against = models.PositiveIntegerField(_("votes against"))
    passed = models.BooleanField(_("passed"))

    class Meta:
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        constraints = [
            models.CheckConstraint(
                condition=Q(present__lte=models.F("eligible_members")),
                name="resolution_present_within_eligible",
            ),
            models.CheckConstraint(
                condition=Q(votes_for__lte=models.F("present") - models.F("votes_against")),
                name="resolution_votes_within_present",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.votes_for}/{self.eligible_members}"


class RuleException(models.Model):
    """An exception to a rule granted for one candidate by the competent level (e.g. over 60
    with provincial approval), with the approving document."""

    candidate = models.ForeignKey(
        Candidate,
        on_delete=models.CASCADE,
        related_name="rule_exceptions",
        verbose_name=_("candidate"),
    )
    rule_key = models.CharField(_("rule key"), max_length=80)
    document_number = models.CharField(_("approving document"), max_length=120)
    approved_on = models.DateField(_("approved on"))
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
        verbose_name = _("rule exception")
        verbose_name_plural = _("rule exceptions")
        ordering = ["approved_on", "id"]

    def __str__(self) -> str:
        return f"{self.rule_key}: {self.document_number}"


class VerdictOutcome(models.TextChoices):
    PASSED = "passed", _("Passed")
    PASSED_BY_EXCEPTION = "passed_by_exception", _("Passed by exception")
    FAILED = "failed", _("Failed")


class RuleVerdict(models.Model):
    """How one rule judged the case at a meeting: the version used, the value it was applied to
    and the result. Stored, so that a later rule change never changes a verdict given."""

    step = models.ForeignKey(
        AdmissionStep, on_delete=models.CASCADE, related_name="verdicts", verbose_name=_("step")
    )
    rule_key = models.CharField(_("rule key"), max_length=80)
    rule = models.ForeignKey(
        "core.Rule",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rule version"),
    )
    # What the rule was applied to, when it is judged once per item (a paper, an introducer).
    subject = models.CharField(_("subject"), max_length=60, blank=True)
    value = models.JSONField(_("value used"), null=True, blank=True)
    passed = models.BooleanField(_("passed"))
    exception = models.ForeignKey(
        RuleException,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="verdicts",
        verbose_name=_("exception"),
    )
    message = models.CharField(_("message"), max_length=500)

    class Meta:
        verbose_name = _("rule verdict")
        verbose_name_plural = _("rule verdicts")
        ordering = ["step", "id"]

    def __str__(self) -> str:
        return f"{self.rule_key}: {self.outcome}"

    @property
    def outcome(self) -> str:
        if not self.passed:
            return VerdictOutcome.FAILED
        if self.exception_id:
            return VerdictOutcome.PASSED_BY_EXCEPTION
        return VerdictOutcome.PASSED


class DeadlineExtension(models.Model):
    """Extra working days granted, with a reason, for the deadline of one step of a case."""

    candidate = models.ForeignKey(
        Candidate,
        on_delete=models.CASCADE,
        related_name="extensions",
        verbose_name=_("candidate"),
    )
    step_kind = models.CharField(_("step"), max_length=30, choices=StepKind.choices)
    working_days = models.PositiveSmallIntegerField(_("working days"))
    reason = models.CharField(_("reason"), max_length=255)
    granted_on = models.DateField(_("granted on"))
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
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
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        ordering = ["granted_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_step_kind_display()} +{self.working_days}"
