"""The steps that change a membership: the admission decision, the ceremony, recognition as a
full member and removal from the probationary list. Each writes the membership events through
``members.services``, so every list, count and report sees the member from the right date."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from dangbo.admissions import rules
from dangbo.admissions.models import AdmissionStep, Candidate, StepKind
from dangbo.admissions.services._common import (
    check_day,
    check_order,
    load_steps,
    lock_candidate,
    raise_failed,
    refuse,
    write_step,
)
from dangbo.core import access
from dangbo.members import services as member_services
from dangbo.members.models import Member


def _member(candidate: Candidate) -> Member:
    member = Member.objects.filter(person_id=candidate.person_id).first()
    if member is None:
        refuse(
            "kind",
            _("No admission decision is recorded for %(name)s."),
            code="order",
            params={"name": candidate.person.full_name},
        )
    return member


@transaction.atomic
def record_decision(
    *,
    actor,
    candidate: Candidate,
    date: dt.date,
    document_number: str = "",
    document_date: dt.date | None = None,
    record_number: str = "",
    note: str = "",
) -> AdmissionStep:
    """Record the competent level's admission decision (9-KNĐ): the person is a probationary
    member of the developing branch from ``date``."""
    candidate = lock_candidate(candidate)
    access.require_write(actor, candidate.organization)
    check_day(date)
    check_order(candidate, load_steps(candidate), StepKind.DECISION, date)
    raise_failed([rules.check_not_a_member(candidate.person, date)])
    member_services.admit_member(
        actor=actor,
        person=candidate.person,
        organization=candidate.organization,
        decision_date=date,
        document_number=document_number,
        document_date=document_date,
        record_number=record_number,
        note=note,
    )
    return write_step(
        actor=actor,
        candidate=candidate,
        kind=StepKind.DECISION,
        date=date,
        document_number=document_number,
        note=note,
    )


@transaction.atomic
def record_ceremony_step(
    *, actor, candidate: Candidate, date: dt.date, note: str = ""
) -> AdmissionStep:
    """Record the admission ceremony; probation runs 12 months from it."""
    candidate = lock_candidate(candidate)
    access.require_write(actor, candidate.organization)
    check_day(date)
    check_order(candidate, load_steps(candidate), StepKind.CEREMONY, date)
    member_services.record_ceremony(
        actor=actor, member=_member(candidate), ceremony_date=date, note=note
    )
    return write_step(
        actor=actor, candidate=candidate, kind=StepKind.CEREMONY, date=date, note=note
    )


@transaction.atomic
def record_recognition(
    *,
    actor,
    candidate: Candidate,
    date: dt.date,
    document_number: str = "",
    note: str = "",
) -> AdmissionStep:
    """Record the recognition decision of ``date`` (16-KNĐ): the member is full from the day
    the probation ends, even when the decision is signed later."""
    candidate = lock_candidate(candidate)
    access.require_write(actor, candidate.organization)
    check_day(date)
    steps = load_steps(candidate)
    check_order(candidate, steps, StepKind.RECOGNITION, date)
    ceremony = rules.latest(steps, StepKind.CEREMONY, date)
    assert ceremony is not None  # the review needs it (check_order)
    end, _rule = member_services.probation_end(ceremony.date)
    member_services.recognize_full_member(
        actor=actor,
        member=_member(candidate),
        effective_date=end,
        document_number=document_number,
        document_date=date,
        note=note,
    )
    return write_step(
        actor=actor,
        candidate=candidate,
        kind=StepKind.RECOGNITION,
        date=date,
        document_number=document_number,
        note=note,
        details={"effective_date": end.isoformat()},
    )


@transaction.atomic
def record_probation_removal(
    *,
    actor,
    candidate: Candidate,
    date: dt.date,
    document_number: str = "",
    note: str = "",
) -> AdmissionStep:
    """Remove the probationary member from the list (found unfit): the membership ends."""
    candidate = lock_candidate(candidate)
    access.require_write(actor, candidate.organization)
    check_day(date)
    check_order(candidate, load_steps(candidate), StepKind.PROBATION_REMOVED, date)
    member_services.remove_from_probation(
        actor=actor,
        member=_member(candidate),
        date=date,
        document_number=document_number,
        note=note,
    )
    return write_step(
        actor=actor,
        candidate=candidate,
        kind=StepKind.PROBATION_REMOVED,
        date=date,
        document_number=document_number,
        note=note,
    )
