"""factory_boy factories for the models; services are used where derived columns matter."""

from __future__ import annotations

import datetime as dt
import itertools

import factory
from django.contrib.auth import get_user_model

from dangbo.core.models import Role, RoleGrant
from dangbo.members.models import Employment, Ethnicity, Person, Sex
from dangbo.members.services import derive_name_fields
from dangbo.organizations.models import (
    Organization,
    OrganizationKind,
    OrganizationLevel,
    OrganizationLink,
)
from dangbo.organizations.services import derive_text_fields, rebuild_closure

_serial = itertools.count(1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "pw-Test-12345")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def make_organization(
    name: str,
    *,
    parent: Organization | None = None,
    level: str = OrganizationLevel.BRANCH,
    kind: str = OrganizationKind.BRANCH,
    founded_on: dt.date = dt.date(1990, 1, 1),
    code: str | None = None,
    **extra,
) -> Organization:
    """An organization linked under ``parent`` from its founding date, closure rebuilt."""
    org = Organization(
        code=code or f"ORG{next(_serial):05d}",
        name=name,
        level=level,
        kind=kind,
        founded_on=founded_on,
        **extra,
    )
    derive_text_fields(org)
    org.save()
    if parent is not None:
        OrganizationLink.objects.create(child=org, parent=parent, valid_from=founded_on)
    rebuild_closure([org.pk])
    return org


def relink(org: Organization, new_parent: Organization, on: dt.date) -> None:
    """Move ``org`` (and its subtree) under ``new_parent`` from ``on`` (dated-tree tests)."""
    OrganizationLink.objects.filter(child=org, valid_to__isnull=True).update(valid_to=on)
    OrganizationLink.objects.create(child=org, parent=new_parent, valid_from=on)
    rebuild_closure()


def kinh() -> Ethnicity:
    return Ethnicity.objects.get(code="01")


def make_person(
    surname: str = "Nguyễn",
    middle_name: str = "Văn",
    given_name: str = "An",
    *,
    organization: Organization | None = None,
    sex: str = Sex.MALE,
    date_of_birth: dt.date = dt.date(1985, 5, 17),
    citizen_id: str | None = None,
    employed_from: dt.date = dt.date(2010, 1, 1),
    **extra,
) -> Person:
    person = Person(
        surname=surname,
        middle_name=middle_name,
        given_name=given_name,
        sex=sex,
        date_of_birth=date_of_birth,
        citizen_id=citizen_id,
        ethnicity=extra.pop("ethnicity", None) or kinh(),
        **extra,
    )
    derive_name_fields(person)
    person.save()
    if organization is not None:
        Employment.objects.create(
            person=person, organization=organization, start_date=employed_from
        )
    return person


def grant(user, organization: Organization, role: str = Role.MANAGER) -> RoleGrant:
    return RoleGrant.objects.create(user=user, organization=organization, role=role)
