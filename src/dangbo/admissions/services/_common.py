"""What the admission services share: refusals, a case's steps, writing a step, and the order
of the procedure that every step must respect."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, NoReturn

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dangbo.admissions import rules
from dangbo.admissions.models import (
    CLOSING_STEPS,
    SINGLE_STEPS,
    STEP_RANK,
    AdmissionStep,
    Candidate,
    StepKind,
)
from dangbo.admissions.rules.verdicts import day_text
from dangbo.core import audit
from dangbo.core.dates import EARLIEST_DATE, today
from dangbo.members.services import probation_end
from dangbo.organizations.models import Organization, OrganizationLevel
from dangbo.organizations.selectors import list_ancestors

STEP_FIELDS = ["candidate_id", "kind", "date", "document_number", "note"]
DOSSIER_KINDS = (
    StepKind.AWARENESS_COURSE,
    StepKind.APPLICATION,
    StepKind.BACKGROUND,
    StepKind.VERIFICATION,
    StepKind.INTRODUCTION,
    StepKind.OPINIONS,
)
VOTE_KINDS = (StepKind.BRANCH_RESOLUTION, StepKind.COMMITTEE_RESOLUTION)


def refusal(field: str, message: str, *, code: str, params: dict[str, Any] | None = None):
    """A ValidationError on ``field`` whose code names the rule (or the kind of refusal)."""
    return ValidationError({field: [ValidationError(message, code=code, params=params or {})]})


def refuse(
    field: str, message: str, *, code: str, params: dict[str, Any] | None = None
) -> NoReturn:
    raise refusal(field, message, code=code, params=params)


def step_label(kind: str) -> str:
    return str(StepKind(kind).label)


def check_day(day: dt.date | None, field: str = "date") -> dt.date:
    """A step's date: given, not after today, not before the Party was founded."""
    if day is None:
        refuse(field, _("Enter the date."), code="required")
    if day > today():
        refuse(field, _("The date cannot be after today."), code="future_date")
    if day < EARLIEST_DATE:
        refuse(field, _("The date cannot be before 03/02/1930."), code="too_early")
    return day


def lock_candidate(candidate: Candidate) -> Candidate:
    """The candidate row, locked until the end of the transaction (one writer per case)."""
    return (
        Candidate.objects.select_for_update()
        .select_related("person", "organization")
        .get(pk=candidate.pk)
    )


def load_steps(candidate: Candidate) -> list[AdmissionStep]:
    return list(
        candidate.steps.select_related("resolution", "introduction__introducer__person").order_by(
            "date", "id"
        )
    )


def write_step(
    *,
    actor,
    candidate: Candidate,
    kind: str,
    date: dt.date,
    document_number: str = "",
    note: str = "",
    details: dict[str, Any] | None = None,
) -> AdmissionStep:
    """Create a step and its audit line (``details`` adds the fields of its detail rows)."""
    step = AdmissionStep.objects.create(
        candidate=candidate,
        kind=kind,
        date=date,
        document_number=(document_number or "").strip(),
        note=(note or "").strip(),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor=actor,
        action=audit.AuditAction.CREATE,
        obj=step,
        organization=candidate.organization,
        object_repr=f"{candidate.person.full_name}: {step.get_kind_display()} {day_text(date)}",
        changes=audit.diff({}, {**audit.snapshot(step, STEP_FIELDS), **(details or {})}),
    )
    return step


def under_sub_committee(organization: Organization, day: dt.date) -> bool:
    """Does the branch sit under a subordinate committee on ``day`` (the dated tree)?"""
    return any(
        a.level == OrganizationLevel.SUB_COMMITTEE for a in list_ancestors(organization, day)
    )


def _first(steps: Iterable[AdmissionStep], *kinds: str) -> AdmissionStep | None:
    return next((s for s in steps if s.kind in kinds), None)


def check_order(candidate: Candidate, steps: list[AdmissionStep], kind: str, date: dt.date) -> None:
    """Refuse a step that the procedure does not allow yet (or any more) on ``date``."""
    label = step_label(kind)
    closed = _first(steps, *CLOSING_STEPS)
    if closed is not None:
        refuse(
            "kind",
            _("This case ended on %(date)s (%(step)s): nothing more can be recorded on it."),
            code="case_closed",
            params={"date": day_text(closed.date), "step": closed.get_kind_display()},
        )
    if kind in SINGLE_STEPS and (done := _first(steps, kind)) is not None:
        refuse(
            "kind",
            _("“%(step)s” is already recorded for this case, on %(date)s."),
            code="already_recorded",
            params={"step": label, "date": day_text(done.date)},
        )
    if kind != StepKind.AWARENESS_COURSE and date < candidate.started_on:
        refuse(
            "date",
            _(
                "“%(step)s” cannot be dated before the development of the candidate started, on "
                "%(start)s."
            ),
            code="before_start",
            params={"step": label, "start": day_text(candidate.started_on)},
        )
    before = [s for s in steps if s.date <= date]

    def need(needed: str, among: list[AdmissionStep] = before) -> AdmissionStep:
        found = rules.latest(among, needed, date)
        if found is None:
            refuse(
                "kind",
                _("“%(step)s” on %(date)s needs “%(needed)s” recorded on or before that date."),
                code="order",
                params={"step": label, "date": day_text(date), "needed": step_label(needed)},
            )
        return found

    def need_passed(needed: str) -> None:
        vote = need(needed)
        if not vote.passed:
            refuse(
                "kind",
                _(
                    "“%(step)s” needs a passed “%(needed)s”: the latest one, of %(date)s, did not "
                    "pass."
                ),
                code="order",
                params={"step": label, "needed": step_label(needed), "date": day_text(vote.date)},
            )

    def need_branch() -> None:
        # A case the branch failed three times goes up: the level above takes it from there.
        if rules.latest(before, StepKind.REFERRED_UP, date) is None:
            need_passed(StepKind.BRANCH_RESOLUTION)

    branch_done = next(
        (s for s in steps if s.kind == StepKind.BRANCH_RESOLUTION and s.passed), None
    ) or _first(steps, StepKind.REFERRED_UP)
    decision = _first(steps, StepKind.DECISION)
    if kind in DOSSIER_KINDS and branch_done is not None:
        refuse(
            "kind",
            _(
                "The branch has already decided on this case (%(step)s, %(date)s): the dossier "
                "can no longer change."
            ),
            code="dossier_closed",
            params={"step": branch_done.get_kind_display(), "date": day_text(branch_done.date)},
        )
    if STEP_RANK[kind] < STEP_RANK[StepKind.DECISION] and decision is not None:
        refuse(
            "kind",
            _(
                "The admission decision of %(date)s is recorded: steps before it can no longer "
                "be added."
            ),
            code="decided",
            params={"date": day_text(decision.date)},
        )
    if kind in VOTE_KINDS:
        earlier = rules.latest(steps, kind, dt.date.max)
        if earlier is not None and earlier.date > date:
            refuse(
                "date",
                _("A new vote cannot be dated before the previous one, of %(date)s."),
                code="order",
                params={"date": day_text(earlier.date)},
            )
        if earlier is not None and earlier.passed:
            refuse(
                "kind",
                _("“%(step)s” has already passed, on %(date)s."),
                code="already_recorded",
                params={"step": label, "date": day_text(earlier.date)},
            )

    if kind == StepKind.BACKGROUND:
        need(StepKind.APPLICATION)
    elif kind == StepKind.VERIFICATION:
        need(StepKind.BACKGROUND)
    elif kind in (StepKind.INTRODUCTION, StepKind.OPINIONS):
        need(StepKind.APPLICATION)
    elif kind == StepKind.BRANCH_RESOLUTION:
        referred = _first(steps, StepKind.REFERRED_UP)
        if referred is not None:
            refuse(
                "kind",
                _(
                    "The case was referred to the level above on %(date)s: the branch no longer "
                    "votes on it."
                ),
                code="referred_up",
                params={"date": day_text(referred.date)},
            )
        need(StepKind.AWARENESS_COURSE)
        need(StepKind.APPLICATION)
        dossier = rules.current_dossier(steps, date)
        for needed in (StepKind.BACKGROUND, StepKind.VERIFICATION, StepKind.INTRODUCTION):
            need(needed, dossier)
        _check_introductions(steps, date)
        need(StepKind.OPINIONS, dossier)
    elif kind == StepKind.SUB_COMMITTEE_APPRAISAL:
        need_branch()
    elif kind == StepKind.COMMITTEE_RESOLUTION:
        need_branch()
        if under_sub_committee(candidate.organization, date):
            need(StepKind.SUB_COMMITTEE_APPRAISAL)
    elif kind == StepKind.DECISION:
        if candidate.organization.level == OrganizationLevel.GRASSROOTS:
            # A grassroots branch is itself the grassroots level: its resolution goes up as is.
            need_branch()
        else:
            need_passed(StepKind.COMMITTEE_RESOLUTION)
    elif kind in (StepKind.CEREMONY, StepKind.NEW_MEMBER_CLASS, StepKind.PROBATION_REMOVED):
        need(StepKind.DECISION)
    elif kind == StepKind.RECOGNITION_REVIEW:
        ceremony = need(StepKind.CEREMONY)
        end, rule = probation_end(ceremony.date)
        if date < end:
            refuse(
                "date",
                _(
                    "The recognition review is held after probation ends, on %(end)s: the "
                    "ceremony was on %(ceremony)s (%(source)s)."
                ),
                code=rules.PROBATION,
                params={
                    "end": day_text(end),
                    "ceremony": day_text(ceremony.date),
                    "source": rule.source_document,
                },
            )
    elif kind == StepKind.RECOGNITION:
        need(StepKind.NEW_MEMBER_CLASS)
        need(StepKind.RECOGNITION_REVIEW)
    elif kind == StepKind.WITHDRAWN and decision is not None:
        refuse(
            "kind",
            _(
                "After the admission decision a case ends with recognition or with removal from "
                "the probationary list, not by withdrawal."
            ),
            code="order",
        )


def _check_introductions(steps: list[AdmissionStep], date: dt.date) -> None:
    """Two full members, or a Youth Union / Trade Union committee and one full member."""
    introductions = [s.introduction for s in rules.current_introductions(steps, date)]
    members = {i.introducer_id for i in introductions if i.introducer_id}
    unions = [i for i in introductions if i.union_committee]
    if len(members) >= 2 or (unions and members):
        return
    refuse(
        "introduction",
        _(
            "The introductions are not complete: two full members, or the Youth Union or Trade "
            "Union committee and one full member, must introduce the candidate (%(source)s)."
        ),
        code="introductions",
        params={"source": rules.CHARTER_ARTICLE_4},
    )


def raise_failed(verdicts: Iterable[rules.Verdict]) -> None:
    """Refuse with every failed verdict, each on its field with the rule key as its code."""
    errors: dict[str, list[ValidationError]] = {}
    for verdict in verdicts:
        if not verdict.passed:
            errors.setdefault(verdict.field, []).append(verdict.error())
    if errors:
        raise ValidationError(errors)
