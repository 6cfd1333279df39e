"""Writes to people and memberships. Each service checks access, validates, writes and audits
in one transaction, so a refusal changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from dangbo.core import access, audit
from dangbo.core.dates import EARLIEST_DATE, add_months, full_months_between, today
from dangbo.core.rules import rule_in_force
from dangbo.core.text import fold, name_sort_key, normalize_name
from dangbo.members.models import (
    EXIT_KINDS,
    PROFILE_FIELDS,
    Employment,
    Member,
    MemberProfile,
    MembershipEvent,
    MembershipEventKind,
    MembershipPeriod,
    MemberStatus,
    Person,
)
from dangbo.members.validators import validate_citizen_id
from dangbo.organizations.models import Organization

PERSON_FIELDS = [
    "surname",
    "middle_name",
    "given_name",
    "sex",
    "date_of_birth",
    "citizen_id",
    "ethnicity_id",
    "religion",
    "birthplace",
    "hometown",
    "residence",
    "occupation",
    "general_education",
    "professional_level",
    "political_theory_level",
]
MEMBER_FIELDS = ["record_number", "card_number_old", "card_number"]
Kind = MembershipEventKind


def derive_name_fields(person: Person) -> None:
    """Fill the derived sort and search columns (also used by bulk loaders)."""
    person.sort_key = name_sort_key(person.surname, person.middle_name, person.given_name)[:400]
    person.search_name = fold(person.full_name)[:200]


def _validate_person(person: Person) -> None:
    errors: dict[str, list[str]] = {}
    for field in ("surname", "given_name"):
        if not getattr(person, field):
            errors.setdefault(field, []).append(_("This field cannot be empty."))
    dob = person.date_of_birth
    if dob is not None:
        if dob > today():
            errors.setdefault("date_of_birth", []).append(
                _("The date of birth cannot be after today.")
            )
        elif dob < dt.date(1890, 1, 1):
            errors.setdefault("date_of_birth", []).append(_("Invalid date of birth: before 1890."))
    if person.citizen_id:
        try:
            person.citizen_id = validate_citizen_id(
                person.citizen_id, sex=person.sex, date_of_birth=dob
            )
        except ValidationError as error:
            errors.setdefault("citizen_id", []).extend(error.messages)
        else:
            clash = Person.objects.filter(citizen_id=person.citizen_id)
            if person.pk:
                clash = clash.exclude(pk=person.pk)
            if clash.exists():
                errors.setdefault("citizen_id", []).append(
                    _(
                        "This citizen ID is already on another person's record; "
                        "each person has only one."
                    )
                )
    else:
        person.citizen_id = None
    if errors:
        raise ValidationError(errors)
    try:
        person.full_clean(exclude=["sort_key", "search_name", "citizen_id"])
    except ValidationError as error:
        raise ValidationError(error.message_dict) from None


def _clean_names(data: dict[str, Any]) -> dict[str, Any]:
    for field in ("surname", "middle_name", "given_name"):
        if field in data and data[field] is not None:
            data[field] = normalize_name(data[field])
    return data


@transaction.atomic
def create_person(
    *,
    actor,
    organization: Organization,
    start_date: dt.date,
    unit_name: str = "",
    position: str = "",
    **data: Any,
) -> Person:
    """Add a person to the staff of the unit whose party organization is ``organization``."""
    access.require_write(actor, organization)
    unknown = set(data) - set(PERSON_FIELDS) - {"ethnicity"}
    if unknown:
        raise ValueError(f"not person fields: {sorted(unknown)}")
    person = Person(**_clean_names(dict(data)))
    _validate_person(person)
    employment = Employment(
        organization=organization, start_date=start_date, unit_name=unit_name, position=position
    )
    _validate_employment(employment, person)
    derive_name_fields(person)
    person.save()
    employment.person = person
    employment.save()
    audit.record(
        actor=actor,
        action=audit.AuditAction.CREATE,
        obj=person,
        organization=organization,
        changes=audit.diff(
            {},
            {**audit.snapshot(person, PERSON_FIELDS), "employment_start": start_date.isoformat()},
        ),
    )
    return person


def _validate_employment(employment: Employment, person: Person) -> None:
    errors: dict[str, list[str]] = {}
    start = employment.start_date
    if start is None:
        errors["start_date"] = [_("Enter the employment start date.")]
    elif start > today():
        errors["start_date"] = [_("The employment start date cannot be after today.")]
    elif person.date_of_birth and start < add_months(person.date_of_birth, 12 * 15):
        errors["start_date"] = [_("The employment start date must be after the person turns 15.")]
    elif person.pk and _overlapping_employment(employment, person).exists():
        errors["start_date"] = [
            _("This person already works in a unit over this period: end that employment first.")
        ]
    if errors:
        raise ValidationError(errors)


def _overlapping_employment(employment: Employment, person: Person):
    """Employments of the person that overlap ``employment`` (none may: see Employment)."""
    others = person.employments.exclude(pk=employment.pk).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=employment.start_date)
    )
    if employment.end_date is not None:
        others = others.filter(start_date__lt=employment.end_date)
    return others


def home_organization(person: Person, day: dt.date | None = None) -> Organization | None:
    """Where a person belongs on ``day``: their party registration, else their workplace."""
    day = day or today()
    period = _period_on(person, day)
    if period is not None:
        return period.organization
    employment = (
        person.employments.filter(start_date__lte=day).order_by("-start_date").first()
        or person.employments.order_by("-start_date").first()
    )
    if employment is not None:
        return employment.organization
    last = MembershipPeriod.objects.filter(member__person=person).order_by("-valid_from").first()
    return last.organization if last else None


def _period_on(person: Person, day: dt.date) -> MembershipPeriod | None:
    return (
        MembershipPeriod.objects.filter(member__person=person, valid_from__lte=day)
        .exclude(valid_to__lte=day)
        .select_related("organization")
        .first()
    )


@transaction.atomic
def update_person(*, actor, person: Person, **changes: Any) -> Person:
    """Change a person's record fields; refused as a whole if any field is wrong."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    organization = home_organization(person)
    if organization is None:
        raise access.PermissionDenied(_("This record does not belong to any organization yet."))
    access.require_write(actor, organization)
    unknown = set(changes) - set(PERSON_FIELDS) - {"ethnicity"}
    if unknown:
        raise ValueError(f"not person fields: {sorted(unknown)}")
    before = audit.snapshot(person, PERSON_FIELDS)
    for field, value in _clean_names(dict(changes)).items():
        setattr(person, field, value)
    _validate_person(person)
    derive_name_fields(person)
    person.save()
    periods = MembershipPeriod.objects.filter(member__person=person)
    if periods.exists():
        periods.update(date_of_birth=person.date_of_birth, profile=profile_of(person))
    after = audit.snapshot(person, PERSON_FIELDS)
    if before != after:
        audit.record(
            actor=actor,
            action=audit.AuditAction.UPDATE,
            obj=person,
            organization=organization,
            changes=audit.diff(before, after),
        )
    return person


@transaction.atomic
def update_member(*, actor, member: Member, **changes: Any) -> Member:
    """Change the record number and card numbers of a member."""
    member = Member.objects.select_for_update().select_related("person").get(pk=member.pk)
    organization = home_organization(member.person)
    if organization is None:
        raise access.PermissionDenied(_("This record does not belong to any organization yet."))
    access.require_write(actor, organization)
    before = audit.snapshot(member, MEMBER_FIELDS)
    for field, value in changes.items():
        if field not in MEMBER_FIELDS:
            raise ValueError(f"not a member field: {field}")
        setattr(member, field, (value or "").strip())
    _validate_member_numbers(member)
    member.save()
    after = audit.snapshot(member, MEMBER_FIELDS)
    if before != after:
        audit.record(
            actor=actor,
            action=audit.AuditAction.UPDATE,
            obj=member,
            organization=organization,
            changes=audit.diff(before, after),
        )
    return member


def _validate_member_numbers(member: Member) -> None:
    errors: dict[str, list[str]] = {}
    if member.card_number_old and not (
        member.card_number_old.isdigit() and len(member.card_number_old) == 8
    ):
        errors["card_number_old"] = [_("The old party card number must have exactly 8 digits.")]
    if member.card_number and not (member.card_number.isdigit() and len(member.card_number) == 12):
        errors["card_number"] = [_("The new party card number must have exactly 12 digits.")]
    record = member.record_number.upper()
    if record:
        digits, letters = record[:6], record[6:]
        if not (
            digits.isdigit()
            and len(digits) == 6
            and letters.isalpha()
            and 1 <= len(letters) <= 3
            and letters.isascii()
        ):
            errors["record_number"] = [
                _(
                    "A member record number is 6 digits and a province code of 1–3 letters, "
                    "for example 123456HCM."
                )
            ]
        member.record_number = record
    if errors:
        raise ValidationError(errors)


# --- Membership events ---------------------------------------------------------------------


def derive_periods(events: list[MembershipEvent]) -> list[MembershipPeriod]:
    """Registration periods implied by a member's events, in date order (pure, no queries)."""
    periods: list[MembershipPeriod] = []
    current: MembershipPeriod | None = None

    def close(day: dt.date) -> None:
        nonlocal current
        if current is not None:
            if day > current.valid_from:
                current.valid_to = day
                periods.append(current)
            current = None

    order = {kind: index for index, kind in enumerate(Kind.values)}
    for event in sorted(events, key=lambda e: (e.date, order[e.kind], e.pk or 0)):
        if event.kind == Kind.ADMISSION_DECISION:
            close(event.date)
            current = MembershipPeriod(
                member_id=event.member_id,
                organization_id=event.organization_id,
                status=MemberStatus.PROBATIONARY,
                valid_from=event.date,
            )
        elif current is None:
            continue
        elif event.kind == Kind.RECOGNITION:
            organization_id = current.organization_id
            close(event.date)
            current = MembershipPeriod(
                member_id=event.member_id,
                organization_id=organization_id,
                status=MemberStatus.FULL,
                valid_from=event.date,
            )
        elif event.kind == Kind.TRANSFER:
            status = current.status
            close(event.date)
            current = MembershipPeriod(
                member_id=event.member_id,
                organization_id=event.organization_id,
                status=status,
                valid_from=event.date,
            )
        elif event.kind in EXIT_KINDS:
            close(event.date)
    if current is not None:
        periods.append(current)
    return periods


def profile_of(person: Person) -> MemberProfile:
    """The profile holding the person's counted columns, created on first use."""
    profile, _created = MemberProfile.objects.get_or_create(
        **{field: getattr(person, field) for field in PROFILE_FIELDS}
    )
    return profile


def rebuild_periods(member: Member) -> None:
    """Replace the member's derived periods with those implied by the events."""
    MembershipPeriod.objects.filter(member=member).delete()
    periods = derive_periods(list(member.events.all()))
    if periods:
        person = member.person
        profile = profile_of(person)
        for period in periods:
            period.date_of_birth = person.date_of_birth
            period.profile = profile
    MembershipPeriod.objects.bulk_create(periods)


def status_on(member: Member, day: dt.date) -> str:
    for period in member.periods.all():
        if period.covers(day):
            return period.status
    return MemberStatus.NOT_MEMBER


def party_age_months(member: Member, day: dt.date) -> int:
    """Party age in whole months on ``day``: from the first admission decision, minus the gaps
    between periods of membership (exits before a readmission, transfer gaps)."""
    periods = sorted(member.periods.all(), key=lambda p: p.valid_from)
    periods = [p for p in periods if p.valid_from <= day]
    if not periods:
        return 0
    total = full_months_between(periods[0].valid_from, day)
    gap_months = 0
    reach = periods[0].valid_to
    for period in periods[1:]:
        if reach is not None and period.valid_from > reach:
            gap_months += full_months_between(reach, period.valid_from)
        reach = None if (reach is None or period.valid_to is None) else max(reach, period.valid_to)
    if reach is not None and reach < day:
        gap_months += full_months_between(reach, day)
    return max(total - gap_months, 0)


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


def record_view(*, actor, person: Person) -> None:
    """Audit that ``actor`` opened a person's or member's record."""
    audit.record(
        actor=actor,
        action=audit.AuditAction.VIEW,
        obj=person,
        organization=home_organization(person),
    )
