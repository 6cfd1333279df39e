"""Writes of membership events: the admission decision, the ceremony, recognition as a full
member and removal from the probationary list, with the checks of their dates and order. Each
event written rebuilds the member's periods and is audited in the same transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dangbo.core import access, audit
from dangbo.core.dates import EARLIEST_DATE, add_months, full_months_between, today
from dangbo.core.rules import rule_in_force
from dangbo.members.models import EXIT_KINDS, Member, MembershipEvent, Person
from dangbo.members.services._common import Kind, _validate_member_numbers
from dangbo.members.services.people import MEMBER_FIELDS
from dangbo.members.services.periods import rebuild_periods
from dangbo.organizations.models import Organization

# --- Membership events ---------------------------------------------------------------------


def _event_errors(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def _check_date(day: dt.date | None, field: str, label: str) -> None:
    if day is None:
        raise _event_errors(field, _("Enter the %(label)s.") % {"label": label})
    if day > today():
        raise _event_errors(
            field, _("%(label)s cannot be after today.") % {"label": label.capitalize()}
        )
    if day < EARLIEST_DATE:
        raise _event_errors(
            field, _("%(label)s cannot be before 03/02/1930.") % {"label": label.capitalize()}
        )


def _last(events: list[MembershipEvent], *kinds: str) -> MembershipEvent | None:
    found = [e for e in events if e.kind in kinds]
    return max(found, key=lambda e: (e.date, e.pk or 0)) if found else None


def _write_event(
    *,
    actor,
    member: Member,
    kind: str,
    date: dt.date,
    organization: Organization,
    document_number: str = "",
    document_date: dt.date | None = None,
    note: str = "",
) -> MembershipEvent:
    event = MembershipEvent.objects.create(
        member=member,
        kind=kind,
        date=date,
        organization=organization,
        document_number=document_number.strip(),
        document_date=document_date,
        note=note.strip(),
        recorded_by=actor,
    )
    rebuild_periods(member)
    audit.record(
        actor=actor,
        action=audit.AuditAction.CREATE,
        obj=event,
        organization=organization,
        object_repr=f"{member.person.full_name}: {event.get_kind_display()} {date:%d/%m/%Y}",
        changes=audit.diff(
            {},
            audit.snapshot(
                event,
                [
                    "member_id",
                    "kind",
                    "date",
                    "organization_id",
                    "document_number",
                    "document_date",
                    "note",
                ],
            ),
        ),
    )
    return event


@transaction.atomic
def admit_member(
    *,
    actor,
    person: Person,
    organization: Organization,
    decision_date: dt.date,
    document_number: str = "",
    document_date: dt.date | None = None,
    ceremony_date: dt.date | None = None,
    record_number: str = "",
    note: str = "",
) -> Member:
    """Record the admission decision (and the ceremony, if held) for a person in a branch."""
    access.require_write(actor, organization)
    person = Person.objects.select_for_update().get(pk=person.pk)
    _check_date(decision_date, "decision_date", _("admission decision date"))
    member = Member.objects.filter(person=person).first()
    if member is not None:
        events = list(member.events.all())
        last_admission = _last(events, Kind.ADMISSION_DECISION)
        last_exit = _last(events, *EXIT_KINDS)
        if last_admission and (last_exit is None or last_exit.date < last_admission.date):
            raise _event_errors(
                "decision_date",
                _("This person is already a party member and cannot be admitted again."),
            )
        if last_exit and decision_date <= last_exit.date:
            raise _event_errors(
                "decision_date",
                _("A readmission must be dated after the day the person left the Party."),
            )
    minimum = rule_in_force("admission.minimum_age_months", decision_date)
    if full_months_between(person.date_of_birth, decision_date) < int(minimum.value):
        raise _event_errors(
            "decision_date",
            _(
                "A person admitted must be at least %(years)s years old on the decision date "
                "(%(source)s)."
            )
            % {"years": int(minimum.value) // 12, "source": minimum.source_document},
        )
    if document_date and document_date > decision_date:
        raise _event_errors(
            "document_date", _("The decision cannot be signed after the day it takes effect.")
        )
    if ceremony_date is not None:
        _check_date(ceremony_date, "ceremony_date", _("admission ceremony date"))
        if ceremony_date < decision_date:
            raise _event_errors(
                "ceremony_date",
                _("The admission ceremony cannot be before the admission decision date."),
            )
    if not organization.is_active_on(decision_date):
        raise _event_errors(
            "organization",
            _("The organization “%(name)s” is not active on the decision date.")
            % {"name": organization.name},
        )
    if member is None:
        member = Member(person=person, record_number=record_number.strip())
        _validate_member_numbers(member)
        member.save()
        audit.record(
            actor=actor,
            action=audit.AuditAction.CREATE,
            obj=member,
            organization=organization,
            changes=audit.diff({}, audit.snapshot(member, MEMBER_FIELDS)),
        )
    _write_event(
        actor=actor,
        member=member,
        kind=Kind.ADMISSION_DECISION,
        date=decision_date,
        organization=organization,
        document_number=document_number,
        document_date=document_date,
        note=note,
    )
    if ceremony_date is not None:
        _write_event(
            actor=actor,
            member=member,
            kind=Kind.CEREMONY,
            date=ceremony_date,
            organization=organization,
        )
    return member


def _current_admission(member: Member) -> tuple[list[MembershipEvent], MembershipEvent]:
    events = list(member.events.all())
    admission = _last(events, Kind.ADMISSION_DECISION)
    last_exit = _last(events, *EXIT_KINDS)
    if admission is None or (last_exit and last_exit.date >= admission.date):
        raise _event_errors("date", _("This person is not a party member now."))
    return events, admission


@transaction.atomic
def record_ceremony(*, actor, member: Member, ceremony_date: dt.date, note: str = "") -> Member:
    """Record the admission ceremony after the decision; probation runs 12 months from it."""
    member = Member.objects.select_for_update().select_related("person").get(pk=member.pk)
    events, admission = _current_admission(member)
    access.require_write(actor, admission.organization)
    _check_date(ceremony_date, "ceremony_date", _("admission ceremony date"))
    if ceremony_date < admission.date:
        raise _event_errors(
            "ceremony_date",
            _("The admission ceremony cannot be before the admission decision date (%(day)s).")
            % {"day": admission.date.strftime("%d/%m/%Y")},
        )
    if any(e.kind == Kind.CEREMONY and e.date >= admission.date for e in events):
        raise _event_errors("ceremony_date", _("The admission ceremony has already been recorded."))
    _write_event(
        actor=actor,
        member=member,
        kind=Kind.CEREMONY,
        date=ceremony_date,
        organization=admission.organization,
        note=note,
    )
    return member


def probation_end(ceremony_date: dt.date) -> tuple[dt.date, Any]:
    """The day probation ends (12 months from the ceremony, by the rule of the ceremony date)."""
    rule = rule_in_force("membership.probation_months", ceremony_date)
    return add_months(ceremony_date, int(rule.value)), rule


@transaction.atomic
def recognize_full_member(
    *,
    actor,
    member: Member,
    effective_date: dt.date,
    document_number: str = "",
    document_date: dt.date | None = None,
    note: str = "",
) -> Member:
    """Recognize a probationary member as full, effective the day probation ends."""
    member = Member.objects.select_for_update().select_related("person").get(pk=member.pk)
    events, admission = _current_admission(member)
    organization = admission.organization
    period = member.periods.order_by("-valid_from").first()
    if period is not None:
        organization = period.organization
    access.require_write(actor, organization)
    _check_date(effective_date, "effective_date", _("full membership date"))
    if any(e.kind == Kind.RECOGNITION and e.date >= admission.date for e in events):
        raise _event_errors(
            "effective_date", _("This member has already been recognized as a full member.")
        )
    ceremony = _last([e for e in events if e.date >= admission.date], Kind.CEREMONY)
    if ceremony is None:
        raise _event_errors(
            "effective_date",
            _("No admission ceremony is recorded: probation runs from the ceremony."),
        )
    end, rule = probation_end(ceremony.date)
    if effective_date < end:
        raise _event_errors(
            "effective_date",
            _(
                "Probation of %(months)s months is not complete: the admission ceremony was on "
                "%(ceremony)s, so the earliest recognition date is %(end)s (%(source)s)."
            )
            % {
                "months": rule.value,
                "ceremony": ceremony.date.strftime("%d/%m/%Y"),
                "end": end.strftime("%d/%m/%Y"),
                "source": rule.source_document,
            },
        )
    if document_date and document_date > today():
        raise _event_errors("document_date", _("The decision cannot be signed after today."))
    _write_event(
        actor=actor,
        member=member,
        kind=Kind.RECOGNITION,
        date=effective_date,
        organization=organization,
        document_number=document_number,
        document_date=document_date,
        note=note,
    )
    return member


@transaction.atomic
def remove_from_probation(
    *,
    actor,
    member: Member,
    date: dt.date,
    document_number: str = "",
    note: str = "",
) -> Member:
    """Remove a probationary member from the probationary list (found unfit at the review);
    the membership ends on ``date``."""
    member = Member.objects.select_for_update().select_related("person").get(pk=member.pk)
    events, admission = _current_admission(member)
    organization = admission.organization
    period = member.periods.order_by("-valid_from").first()
    if period is not None:
        organization = period.organization
    access.require_write(actor, organization)
    _check_date(date, "date", _("removal date"))
    if date < admission.date:
        raise _event_errors(
            "date",
            _(
                "The removal from the probationary list cannot be before the admission "
                "decision date (%(day)s)."
            )
            % {"day": admission.date.strftime("%d/%m/%Y")},
        )
    if any(e.kind == Kind.RECOGNITION and e.date >= admission.date for e in events):
        raise _event_errors("date", _("This member has already been recognized as a full member."))
    _write_event(
        actor=actor,
        member=member,
        kind=Kind.PROBATION_REMOVED,
        date=date,
        organization=organization,
        document_number=document_number,
        note=note,
    )
    return member
