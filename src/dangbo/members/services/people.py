"""Writes to a person's record and a member's numbers: the record fields, creating a person on
a unit's staff with their first employment, where a person belongs on a day, and the audit of
opening a record. Each service checks access, validates, writes and audits in one transaction,
so a refusal changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from dangbo.core import access, audit
from dangbo.core.dates import add_months, today
from dangbo.core.text import fold, name_sort_key, normalize_name
from dangbo.members.models import PROFILE_FIELDS, Employment, Member, MembershipPeriod, Person
from dangbo.members.services._common import _validate_member_numbers
from dangbo.members.services.periods import profile_of
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
    counted_before = _counted(person)
    for field, value in _clean_names(dict(changes)).items():
        setattr(person, field, value)
    _validate_person(person)
    derive_name_fields(person)
    person.save()
    if _counted(person) != counted_before:
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


def _counted(person: Person) -> tuple:
    """The person's columns copied onto their registration periods."""
    return (person.date_of_birth, *(getattr(person, field) for field in PROFILE_FIELDS))


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


def record_view(*, actor, person: Person) -> None:
    """Audit that ``actor`` opened a person's or member's record."""
    audit.record(
        actor=actor,
        action=audit.AuditAction.VIEW,
        obj=person,
        organization=home_organization(person),
    )
