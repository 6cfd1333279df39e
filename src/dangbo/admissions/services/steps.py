"""One entry for recording any step from the fields of the step form: it picks the service of
the step's kind and passes it the fields that kind uses (the others are ignored)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dangbo.admissions.models import AdmissionStep, Candidate, StepKind
from dangbo.admissions.services.candidates import (
    record_introduction,
    record_step,
    record_verification,
)
from dangbo.admissions.services.meetings import (
    record_branch_resolution,
    record_committee_resolution,
)
from dangbo.admissions.services.membership import (
    record_ceremony_step,
    record_decision,
    record_probation_removal,
    record_recognition,
)
from dangbo.members.models import Member


def _introducer(actor, pk: int | None) -> Member | None:
    """The introducing member by id, among the members the actor may see."""
    if pk is None:
        return None
    member = Member.objects.visible_to(actor).filter(pk=pk).first()
    if member is None:
        raise ValidationError(
            {"introducer": _("No member with this id within your scope.")}, code="invalid"
        )
    return member


def record_step_of_kind(
    *, actor, candidate: Candidate, kind: str, data: Mapping[str, Any]
) -> AdmissionStep:
    """Record a step of ``kind`` with the fields in ``data`` (the step form's names: date,
    document_number, note, introducer as a member id, votes…), through the service of that
    kind. Each service checks access, validates and audits in its own transaction."""
    common: dict[str, Any] = {
        "actor": actor,
        "candidate": candidate,
        "date": data.get("date"),
        "note": data.get("note") or "",
    }
    document: dict[str, Any] = {"document_number": data.get("document_number") or ""}
    votes: dict[str, Any] = {
        "present": data.get("present"),
        "votes_for": data.get("votes_for"),
        "votes_against": data.get("votes_against"),
    }
    if kind == StepKind.INTRODUCTION:
        return record_introduction(
            **common,
            **document,
            introducer=_introducer(actor, data.get("introducer")),
            union_committee=data.get("union_committee") or "",
            resolution_number=data.get("resolution_number") or "",
        )
    if kind == StepKind.VERIFICATION:
        return record_verification(**common, **document, conclusion=data.get("conclusion") or "")
    if kind == StepKind.BRANCH_RESOLUTION:
        return record_branch_resolution(**common, **document, **votes)
    if kind == StepKind.COMMITTEE_RESOLUTION:
        votes["eligible_members"] = data.get("eligible_members")
        return record_committee_resolution(**common, **document, **votes)
    if kind == StepKind.DECISION:
        return record_decision(**common, **document)
    if kind == StepKind.CEREMONY:
        return record_ceremony_step(**common)
    if kind == StepKind.RECOGNITION:
        return record_recognition(**common, **document)
    if kind == StepKind.PROBATION_REMOVED:
        return record_probation_removal(**common, **document)
    return record_step(**common, **document, kind=kind)
