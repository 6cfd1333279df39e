"""The synthetic data generator and the demo built with it."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client

from dangbo.core.dates import EARLIEST_DATE, add_months, full_months_between
from dangbo.core.models import AuditEntry, Role, RoleGrant
from dangbo.demo.builder import DEMO, build_demo, demo_exists
from dangbo.demo.generator import generate
from dangbo.demo.plan import RootSpec, Scale, TermSpec, apportion
from dangbo.members.models import (
    PROFILE_FIELDS,
    Employment,
    Member,
    MembershipEvent,
    MembershipEventKind,
    MembershipPeriod,
    Person,
)
from dangbo.members.services import derive_name_fields, derive_periods
from dangbo.members.validators import validate_citizen_id
from dangbo.organizations.models import (
    Organization,
    OrganizationClosure,
    OrganizationKind,
    OrganizationLevel,
    OrganizationLink,
)
from dangbo.organizations.selectors import place_of_issue
from dangbo.reports.selectors import headline_figures
from tests.factories import UserFactory

AS_OF = dt.date(2019, 12, 31)
TERM = TermSpec(
    name="Nhiệm kỳ thử",
    starts_on=dt.date(2015, 7, 15),
    ends_on=dt.date(2020, 9, 30),
    resolution="Nghị quyết thử",
)
BLOC = Scale(
    key="test-bloc",
    root=RootSpec(
        code="T-BLOC",
        name="Đảng bộ Khối thử",
        short_name="",
        level=OrganizationLevel.UPPER,
        founded_on=dt.date(1975, 6, 1),
        place_name="Hà Nội",
    ),
    term=TERM,
    as_of=AS_OF,
    horizon=dt.date(2021, 6, 30),
    members=420,
    staff=1000,
    admitted_in_term=105,
    grassroots=9,
)
CITY = Scale(
    key="test-city",
    root=RootSpec(
        code="T-CITY",
        name="Đảng bộ thành phố thử",
        short_name="",
        level=OrganizationLevel.PROVINCIAL,
        founded_on=dt.date(1975, 5, 30),
    ),
    term=TERM,
    as_of=AS_OF,
    horizon=AS_OF,
    members=600,
    staff=1440,
    admitted_in_term=40,
    grassroots=18,
    upper_committees=3,
    early_founding_share=0.45,
)


def _superuser():
    return UserFactory(username="root-admin", is_superuser=True, is_staff=True)


def _snapshot() -> dict[str, list[tuple]]:
    """Every generated row, for comparing two runs."""
    return {
        "organizations": list(
            Organization.objects.order_by("id").values_list(
                "id", "code", "name", "level", "kind", "founded_on", "sort_key", "place_name"
            )
        ),
        "people": list(
            Person.objects.order_by("id").values_list(
                "id",
                "surname",
                "middle_name",
                "given_name",
                "sex",
                "date_of_birth",
                "citizen_id",
                "ethnicity_id",
                "residence",
                "sort_key",
                "search_name",
            )
        ),
        "employments": list(
            Employment.objects.order_by("id").values_list(
                "id", "person_id", "organization_id", "start_date", "end_date", "position"
            )
        ),
        "members": list(
            Member.objects.order_by("id").values_list(
                "id", "person_id", "record_number", "card_number_old"
            )
        ),
        "events": list(
            MembershipEvent.objects.order_by("id").values_list(
                "id", "member_id", "kind", "date", "organization_id", "document_number"
            )
        ),
        "periods": list(
            MembershipPeriod.objects.order_by("id").values_list(
                "id", "member_id", "organization_id", "status", "valid_from", "valid_to"
            )
        ),
    }


def test_apportion_keeps_the_total_and_the_caps():
    parts = apportion(100, [1, 2, 3, 4], caps=[50, 5, 50, 50])

    assert sum(parts) == 100
    assert parts[1] == 5
    assert parts == [13, 5, 35, 47]


@pytest.mark.django_db
@pytest.mark.parametrize("scale", [BLOC, CITY], ids=["bloc", "city"])
def test_generate_gives_the_exact_figures(scale):
    generated = generate(scale=scale, seed=11)

    root = Organization.objects.get(code=scale.root.code)
    figures = headline_figures(user=_superuser(), organization=root, as_of=scale.as_of)
    assert figures.grassroots_organizations == scale.grassroots == generated.grassroots
    assert figures.staff == scale.staff
    assert figures.members == scale.members
    assert figures.admitted_in_term == scale.admitted_in_term
    assert figures.term is not None and figures.term.name == scale.term.name


@pytest.mark.django_db
@pytest.mark.parametrize("scale", [BLOC, CITY], ids=["bloc", "city"])
def test_generated_periods_are_those_the_events_imply(scale):
    generate(scale=scale, seed=12)

    events = defaultdict(list)
    for event in MembershipEvent.objects.all():
        events[event.member_id].append(event)
    stored = defaultdict(list)
    for period in MembershipPeriod.objects.order_by("valid_from", "id"):
        stored[period.member_id].append(
            (period.organization_id, period.status, period.valid_from, period.valid_to)
        )
    assert set(events) == set(Member.objects.values_list("id", flat=True))
    for member_id, member_events in events.items():
        derived = [
            (p.organization_id, p.status, p.valid_from, p.valid_to)
            for p in derive_periods(member_events)
        ]
        assert stored[member_id] == derived
    # Every period carries its person's date of birth and profile.
    fields = ("date_of_birth", *PROFILE_FIELDS)
    people = {
        p["member__id"]: tuple(p[f] for f in fields)
        for p in Person.objects.filter(member__isnull=False).values("member__id", *fields)
    }
    copied = ("date_of_birth", *(f"profile__{f}" for f in PROFILE_FIELDS))
    for row in MembershipPeriod.objects.values("member_id", *copied):
        assert tuple(row[f] for f in copied) == people[row["member_id"]]


@pytest.mark.django_db
def test_generated_histories_follow_the_rules():
    generate(scale=BLOC, seed=13)

    kinds = defaultdict(dict)
    for member_id, kind, day in MembershipEvent.objects.values_list("member_id", "kind", "date"):
        kinds[member_id][kind] = day
    births = dict(Member.objects.values_list("id", "person__date_of_birth"))
    for member_id, days in kinds.items():
        decision = days[MembershipEventKind.ADMISSION_DECISION]
        assert full_months_between(births[member_id], decision) >= 18 * 12
        assert decision >= dt.date(1977, 1, 1)
        ceremony = days.get(MembershipEventKind.CEREMONY)
        assert ceremony is not None and 0 < (ceremony - decision).days <= 45
        recognition = days.get(MembershipEventKind.RECOGNITION)
        if recognition is not None:
            assert recognition == add_months(ceremony, 12)


@pytest.mark.django_db
def test_generated_people_have_valid_unique_ids_and_name_keys():
    generate(scale=CITY, seed=14)

    people = list(Person.objects.all())
    ids = [p.citizen_id for p in people]
    assert len(ids) == len(set(ids)) >= CITY.staff
    for person in people:
        assert (
            validate_citizen_id(
                person.citizen_id, sex=person.sex, date_of_birth=person.date_of_birth
            )
            == person.citizen_id
        )
        stored = (person.sort_key, person.search_name)
        derive_name_fields(person)
        assert stored == (person.sort_key, person.search_name) and all(stored)
    assert not Organization.objects.filter(sort_key="").exists()
    records = list(Member.objects.values_list("record_number", flat=True))
    assert len(records) == len(set(records))


@pytest.mark.django_db
def test_generated_closure_matches_the_links():
    generate(scale=CITY, seed=15)

    parent_of = {link.child_id: link for link in OrganizationLink.objects.all()}
    expected = set()
    for org in Organization.objects.all():
        expected.add((org.id, org.id, 0, EARLIEST_DATE))
        node, depth, since = org.id, 0, EARLIEST_DATE
        while node in parent_of:
            link = parent_of[node]
            depth, since = depth + 1, max(since, link.valid_from)
            expected.add((link.parent_id, org.id, depth, since))
            node = link.parent_id
    stored = set(
        OrganizationClosure.objects.values_list(
            "ancestor_id", "descendant_id", "depth", "valid_from"
        )
    )
    assert stored == expected
    assert not OrganizationClosure.objects.exclude(valid_to=None).exists()


@pytest.mark.django_db
def test_generate_is_deterministic_and_the_fast_writer_writes_the_same_rows():
    def run(sink: str) -> dict[str, list[tuple]]:
        with transaction.atomic():
            generate(scale=BLOC, seed=16, sink=sink)
            rows = _snapshot()
            transaction.set_rollback(True)
        return rows

    assert run("orm") == run("fast")


@pytest.mark.django_db
def test_generate_refuses_a_root_that_exists():
    generate(scale=BLOC, seed=17)
    people = Person.objects.count()

    with pytest.raises(ValueError):
        generate(scale=BLOC, seed=17)
    assert Person.objects.count() == people


@pytest.mark.django_db
def test_build_demo_reproduces_the_article():
    assert not demo_exists()

    # Its time is measured in bench/ and printed by `dangbo demo`, never asserted here.
    summary = build_demo()

    assert demo_exists()
    users = get_user_model()
    admin = users.objects.get(username="demo-admin")
    assert admin.check_password("demo")
    root = Organization.objects.get(code="DCD-HCM")
    # The administrator of the whole committee: the rules and template pages are theirs too.
    assert RoleGrant.objects.get(user=admin).role == Role.ADMINISTRATOR
    client = Client()
    client.force_login(admin)
    assert client.get("/admissions/templates/").status_code == 200
    assert client.get("/rules/").status_code == 200
    assert root.name == "Đảng bộ Khối Dân – Chính – Đảng TP Hồ Chí Minh"
    assert root.place_name == "TP Hồ Chí Minh"
    figures = headline_figures(user=admin, organization=root, as_of=dt.date(2019, 12, 31))
    assert (
        figures.grassroots_organizations,
        figures.staff,
        figures.members,
        figures.admitted_in_term,
    ) == (69, 20463, 8445, 2106)
    assert figures.term.name == "Nhiệm kỳ 2015–2020"
    assert summary["members"] == 8445 and summary["seconds"] > 0
    grassroots = Organization.objects.filter(level=OrganizationLevel.GRASSROOTS)
    assert {g.functional_group for g in grassroots} == {
        "party_advisory",
        "state_management",
        "internal_affairs",
        "mass_mobilization",
        "press",
    }
    assert grassroots.filter(kind=OrganizationKind.BRANCH).exists()
    assert grassroots.filter(kind=OrganizationKind.COMMITTEE).exists()

    branch_user = users.objects.get(username="demo-branch")
    assert branch_user.check_password("demo")
    grant = RoleGrant.objects.get(user=branch_user)
    assert grant.role == Role.MANAGER and grant.organization.level == OrganizationLevel.BRANCH
    parent = OrganizationLink.objects.get(child=grant.organization).parent
    assert parent.kind == OrganizationKind.COMMITTEE
    branch_figures = headline_figures(
        user=branch_user, organization=grant.organization, as_of=dt.date(2019, 12, 31)
    )
    assert 25 <= branch_figures.members <= 60
    # The branch names no place of its own: its documents carry the demo root's.
    assert grant.organization.place_name == ""
    assert place_of_issue(grant.organization, dt.date(2019, 12, 31)) == "TP Hồ Chí Minh"
    assert RoleGrant.objects.get(user=admin).organization == root
    assert AuditEntry.objects.filter(object_repr="Dữ liệu mẫu", actor=None).count() == 1
    assert DEMO.members == 8445
