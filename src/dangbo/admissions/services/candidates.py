"""Starting a case and recording the steps of the dossier, exceptions and deadline extensions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Sum
from django.utils.translation import gettext as _

from dangbo.admissions import rules
from dangbo.admissions.models import (
    CLOSING_STEPS,
    AdmissionStep,
    Candidate,
    CandidateSource,
    DeadlineExtension,
    Introduction,
    RuleException,
    StepKind,
    UnionCommittee,
    Verification,
)
from dangbo.admissions.services._common import (
    check_day,
    check_order,
    day_text,
    load_steps,
    lock_candidate,
    raise_failed,
    refuse,
    step_label,
    write_step,
)
from dangbo.core import access, audit
from dangbo.core.rules import rule_in_force
from dangbo.members.models import Employment, Member, MemberStatus, Person
from dangbo.members.services import status_on
from dangbo.organizations.models import Organization, OrganizationKind
from dangbo.organizations.selectors import subtree_ids

CANDIDATE_FIELDS = ["person_id", "organization_id", "source", "helper_id", "started_on", "notes"]
# Steps with nothing to record but their date and document; the others have their own service.
PLAIN_STEPS = (
    StepKind.AWARENESS_COURSE,
    StepKind.APPLICATION,
    StepKind.BACKGROUND,
    StepKind.OPINIONS,
    StepKind.SUB_COMMITTEE_APPRAISAL,
    StepKind.NEW_MEMBER_CLASS,
    StepKind.RECOGNITION_REVIEW,
    StepKind.WITHDRAWN,
)
DEADLINE_STEPS = (StepKind.DECISION, StepKind.CEREMONY, StepKind.RECOGNITION_REVIEW)


@transaction.atomic
def start_candidate(
    *,
    actor,
    person: Person,
    organization: Organization,
    source: str,
    helper: Member,
    started_on: dt.date,
    notes: str = "",
) -> Candidate:
    """Pick a person on the staff of a branch for development, with a full member to help."""
    access.require_write(actor, organization)
    person = Person.objects.select_for_update().get(pk=person.pk)
    check_day(started_on, "started_on")
    if source not in CandidateSource.values:
        refuse("source", _("Choose the source of the candidate."), code="invalid_choice")
    if organization.kind != OrganizationKind.BRANCH or not organization.is_active_on(started_on):
        refuse(
            "organization",
            _(
                "Candidates are developed by a party branch active on the start date; "
                "“%(name)s” is not one."
            ),
            code="not_a_branch",
            params={"name": organization.name},
        )
    employed = Employment.objects.filter(
        person=person,
        organization_id__in=subtree_ids(organization.pk, started_on),
        start_date__lte=started_on,
    ).filter(Q(end_date__isnull=True) | Q(end_date__gt=started_on))
    if not employed.exists():
        refuse(
            "person",
            _("%(name)s is not on the staff of a unit of “%(branch)s” on %(date)s."),
            code="not_on_staff",
            params={
                "name": person.full_name,
                "branch": organization.name,
                "date": day_text(started_on),
            },
        )
    verdicts = [rules.check_not_a_member(person, started_on)]
    # Waiting may still end before the branch meets; an excluded exit never does.
    verdicts += [v for v in rules.check_readmission(person, started_on) if v.subject != "waiting"]
    raise_failed(verdicts)
    open_case = (
        Candidate.objects.filter(person=person)
        .exclude(
            Exists(AdmissionStep.objects.filter(candidate=OuterRef("pk"), kind__in=CLOSING_STEPS))
        )
        .first()
    )
    if open_case is not None:
        refuse(
            "person",
            _("%(name)s already has an open admission case, started on %(date)s."),
            code="open_case",
            params={"name": person.full_name, "date": day_text(open_case.started_on)},
        )
    if helper.person_id == person.pk or status_on(helper, started_on) != MemberStatus.FULL:
        refuse(
            "helper",
            _("The helper must be a full party member on %(date)s (%(source)s)."),
            code="helper_not_full_member",
            params={"date": day_text(started_on), "source": rules.GUIDANCE},
        )
    candidate = Candidate.objects.create(
        person=person,
        organization=organization,
        source=source,
        helper=helper,
        started_on=started_on,
        notes=(notes or "").strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor=actor,
        action=audit.AuditAction.CREATE,
        obj=candidate,
        organization=organization,
        changes=audit.diff({}, audit.snapshot(candidate, CANDIDATE_FIELDS)),
    )
    return candidate


def _closed(candidate: Candidate) -> bool:
    return candidate.steps.filter(kind__in=CLOSING_STEPS).exists()


@transaction.atomic
def record_step(
    *,
    actor,
    candidate: Candidate,
    kind: str,
    date: dt.date,
    document_number: str = "",
    note: str = "",
) -> AdmissionStep:
    """Record a step that carries only its date and document, in the order of the procedure."""
    candidate = lock_candidate(candidate)
    access.require_write(actor, candidate.organization)
    if kind not in PLAIN_STEPS:
        refuse(
            "kind",
            _("“%(step)s” is recorded with its own details, not as a plain step."),
            code="invalid_choice",
            params={"step": step_label(kind) if kind in StepKind.values else kind},
        )
    check_day(date)
    check_order(candidate, load_steps(candidate), kind, date)
    return write_step(
        actor=actor,
        candidate=candidate,
        kind=kind,
        date=date,
        document_number=document_number,
        note=note,
    )


@transaction.atomic
def record_introduction(
    *,
    actor,
    candidate: Candidate,
    date: dt.date,
    introducer: Member | None = None,
    union_committee: str = "",
    resolution_number: str = "",
    document_number: str = "",
    note: str = "",
) -> AdmissionStep:
    """Record an introduction by a full member who has worked with the candidate in the same
    unit long enough, or by the Youth Union / Trade Union committee's resolution."""
    candidate = lock_candidate(candidate)
    access.require_write(actor, candidate.organization)
    check_day(date)
    resolution_number = (resolution_number or "").strip()
    if (introducer is None) == (not union_committee):
        refuse(
            "introducer",
            _("Choose either the introducing member or the union committee."),
            code="introducer_or_union",
        )
    if union_committee and union_committee not in UnionCommittee.values:
        refuse("union_committee", _("Choose the union committee."), code="invalid_choice")
    if union_committee and not resolution_number:
        refuse(
            "resolution_number",
            _("Enter the number of the union committee's resolution."),
            code="required",
        )
    check_order(candidate, load_steps(candidate), StepKind.INTRODUCTION, date)
    introduction = Introduction(
        introducer=introducer,
        union_committee=union_committee if introducer is None else "",
        resolution_number=resolution_number if introducer is None else "",
    )
    if introducer is not None:
        if introducer.person_id == candidate.person_id:
            refuse("introducer", _("A candidate cannot introduce themself."), code="self")
        raise_failed(
            rules.check_introducer(candidate.person, introduction, date, field="introducer")
        )
    step = write_step(
        actor=actor,
        candidate=candidate,
        kind=StepKind.INTRODUCTION,
        date=date,
        document_number=document_number,
        note=note,
        details={
            "introducer_id": introducer.pk if introducer else None,
            "union_committee": introduction.union_committee,
            "resolution_number": introduction.resolution_number,
        },
    )
    introduction.step = step
    introduction.save()
    return step


def _clean_relatives(relatives: list[dict[str, Any]] | None) -> list[dict[str, str]]:
    cleaned = []
    for row in relatives or []:
        if not isinstance(row, dict):
            row = {}
        item = {key: str(row.get(key) or "").strip() for key in ("relation", "name", "result")}
        if not item["relation"] or not item["name"]:
            refuse(
                "relatives",
                _("Each relative checked needs the relation and the full name."),
                code="relatives",
            )
        cleaned.append(item)
    return cleaned


@transaction.atomic
def record_verification(
    *,
    actor,
    candidate: Candidate,
    date: dt.date,
    conclusion: str = "",
    relatives: list[dict[str, Any]] | None = None,
    document_number: str = "",
    note: str = "",
) -> AdmissionStep:
    """Record the background verification: its conclusion and the relatives checked
    (parents, parents-in-law, spouse, adult children) as {relation, name, result}."""
    candidate = lock_candidate(candidate)
    access.require_write(actor, candidate.organization)
    check_day(date)
    cleaned = _clean_relatives(relatives)
    check_order(candidate, load_steps(candidate), StepKind.VERIFICATION, date)
    conclusion = (conclusion or "").strip()
    step = write_step(
        actor=actor,
        candidate=candidate,
        kind=StepKind.VERIFICATION,
        date=date,
        document_number=document_number,
        note=note,
        details={"conclusion": conclusion, "relatives": cleaned},
    )
    Verification.objects.create(step=step, conclusion=conclusion, relatives=cleaned)
    return step


@transaction.atomic
def record_exception(
    *,
    actor,
    candidate: Candidate,
    rule_key: str,
    document_number: str,
    approved_on: dt.date,
    note: str = "",
) -> RuleException:
    """Record the competent level's approval to admit despite a rule that allows exceptions
    (over the age limit with provincial approval, education), with the approving document."""
    candidate = lock_candidate(candidate)
    access.require_write(actor, candidate.organization)
    if rule_key not in rules.EXCEPTION_RULES:
        refuse(
            "rule_key",
            _("The rule “%(rule)s” allows no exception."),
            code="no_exception",
            params={"rule": rule_key},
        )
    document_number = (document_number or "").strip()
    if not document_number:
        refuse("document_number", _("Enter the approving document."), code="required")
    check_day(approved_on, "approved_on")
    if _closed(candidate):
        refuse("candidate", _("This case has ended."), code="case_closed")
    exception = RuleException.objects.create(
        candidate=candidate,
        rule_key=rule_key,
        document_number=document_number,
        approved_on=approved_on,
        note=(note or "").strip(),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record_created(
        actor=actor,
        obj=exception,
        organization=candidate.organization,
        object_repr=f"{candidate.person.full_name}: {rule_key}",
        fields=["candidate_id", "rule_key", "document_number", "approved_on", "note"],
    )
    return exception


@transaction.atomic
def extend_deadline(
    *,
    actor,
    candidate: Candidate,
    step_kind: str,
    working_days: int,
    reason: str,
    granted_on: dt.date,
    document_number: str = "",
) -> DeadlineExtension:
    """Extend the running deadline of a step (decision, ceremony, recognition review) by some
    working days, with a reason; all extensions of a deadline together stay within the rule."""
    from dangbo.admissions.selectors import next_deadline

    candidate = lock_candidate(candidate)
    access.require_write(actor, candidate.organization)
    check_day(granted_on, "granted_on")
    reason = (reason or "").strip()
    if not reason:
        refuse("reason", _("Give the reason for the extension."), code="required")
    deadline = next_deadline(candidate, granted_on)
    if step_kind not in DEADLINE_STEPS or deadline is None or deadline.step_kind != step_kind:
        refuse(
            "step_kind",
            _("No deadline for “%(step)s” is running on %(date)s."),
            code="no_deadline",
            params={
                "step": step_label(step_kind) if step_kind in StepKind.values else step_kind,
                "date": day_text(granted_on),
            },
        )
    rule = rule_in_force(rules.EXTENSION_MAXIMUM, granted_on)
    granted = (
        candidate.extensions.filter(step_kind=step_kind).aggregate(total=Sum("working_days"))[
            "total"
        ]
        or 0
    )
    if working_days < 1 or granted + working_days > int(rule.value):
        refuse(
            "working_days",
            _(
                "A deadline may be extended by at most %(limit)s working days in all; "
                "%(granted)s are already granted (%(source)s)."
            ),
            code=rules.EXTENSION_MAXIMUM,
            params={"limit": rule.value, "granted": granted, "source": rule.source_document},
        )
    extension = DeadlineExtension.objects.create(
        candidate=candidate,
        step_kind=step_kind,
        working_days=working_days,
        reason=reason,
        granted_on=granted_on,
        document_number=(document_number or "").strip(),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record_created(
        actor=actor,
        obj=extension,
        organization=candidate.organization,
        object_repr=f"{candidate.person.full_name}: {extension}",
        fields=["candidate_id", "step_kind", "working_days", "reason", "granted_on"],
    )
    return extension
