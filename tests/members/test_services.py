"""Services of people and memberships: each write audited, each refusal changes nothing."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangbo.core.models import AuditEntry
from dangbo.members import services
from dangbo.members.models import (
    PROFILE_FIELDS,
    Member,
    MemberProfile,
    MembershipEvent,
    MembershipEventKind,
    MembershipPeriod,
    MemberStatus,
    Person,
)
from dangbo.members.validators import validate_citizen_id
from tests.factories import kinh, make_person


def snapshot_counts():
    return (
        Person.objects.count(),
        Member.objects.count(),
        MembershipEvent.objects.count(),
        MembershipPeriod.objects.count(),
        AuditEntry.objects.count(),
    )


def person_data(**overrides):
    data = {
        "surname": "Lê",
        "middle_name": "Văn",
        "given_name": "Cường",
        "sex": "male",
        "date_of_birth": dt.date(1988, 2, 29),
        "citizen_id": "079088123456",
        "ethnicity_id": kinh().pk,
    }
    data.update(overrides)
    return data


# --- citizen ID -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cid", "sex", "dob"),
    [
        ("079088123456", "male", dt.date(1988, 1, 1)),
        ("001190000001", "female", dt.date(1990, 6, 1)),
        ("079205000001", "male", dt.date(2005, 6, 1)),
        ("096305000001", "female", dt.date(2005, 6, 1)),
        ("123456789", "male", dt.date(1970, 1, 1)),  # legacy 9-digit card
    ],
)
def test_valid_citizen_ids(cid, sex, dob):
    assert validate_citizen_id(cid, sex=sex, date_of_birth=dob) == cid


@pytest.mark.parametrize(
    ("cid", "sex", "dob", "fragment"),
    [
        ("07908812345", "male", dt.date(1988, 1, 1), "12 chữ số"),
        ("07908812345a", "male", dt.date(1988, 1, 1), "12 chữ số"),
        ("000088123456", "male", dt.date(1988, 1, 1), "mã tỉnh"),
        ("003088123456", "male", dt.date(1988, 1, 1), "mã tỉnh"),  # 003 is not a province code
        ("079188123456", "male", dt.date(1988, 1, 1), "chữ số thứ 4 phải là 0"),
        ("079088123456", "female", dt.date(1988, 1, 1), "chữ số thứ 4 phải là 1"),
        ("079288123456", "male", dt.date(1988, 1, 1), "chữ số thứ 4"),
        ("079089123456", "male", dt.date(1988, 1, 1), "phải là 88"),
    ],
)
def test_invalid_citizen_ids_name_the_rule(cid, sex, dob, fragment):
    with pytest.raises(ValidationError) as excinfo:
        validate_citizen_id(cid, sex=sex, date_of_birth=dob)
    assert fragment in excinfo.value.messages[0]


# --- people -----------------------------------------------------------------------------------


def test_create_person_writes_person_employment_and_audit(tree, users):
    person = services.create_person(
        actor=users.a1_manager,
        organization=tree.a1,
        start_date=dt.date(2012, 9, 1),
        **person_data(),
    )
    assert person.full_name == "Lê Văn Cường"
    assert person.search_name == "le van cuong"
    assert person.sort_key
    assert person.employments.get().organization == tree.a1
    entry = AuditEntry.objects.get(action="create", object_type="members.person")
    assert entry.actor == users.a1_manager
    assert entry.organization == tree.a1
    assert entry.changes["citizen_id"] == [None, "079088123456"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"citizen_id": "079188123456"}, "citizen_id"),
        ({"date_of_birth": dt.date(2999, 1, 1)}, "date_of_birth"),
        ({"given_name": ""}, "given_name"),
    ],
)
def test_create_person_refusals_change_nothing(tree, users, overrides, field):
    before = snapshot_counts()
    with pytest.raises(ValidationError) as excinfo:
        services.create_person(
            actor=users.a1_manager,
            organization=tree.a1,
            start_date=dt.date(2012, 9, 1),
            **person_data(**overrides),
        )
    assert field in excinfo.value.message_dict
    assert snapshot_counts() == before


def test_duplicate_citizen_id_is_refused(tree, users, member):
    before = snapshot_counts()
    with pytest.raises(ValidationError) as excinfo:
        services.create_person(
            actor=users.a1_manager,
            organization=tree.a1,
            start_date=dt.date(2012, 9, 1),
            **person_data(
                citizen_id="079190001234", sex="female", date_of_birth=dt.date(1990, 1, 1)
            ),
        )
    assert "đã có trong hồ sơ" in excinfo.value.message_dict["citizen_id"][0]
    assert snapshot_counts() == before


def test_create_person_outside_write_scope_is_denied(tree, users):
    before = snapshot_counts()
    for actor in (users.a2_manager, users.gc_viewer, users.statistician, users.nobody):
        with pytest.raises(PermissionDenied):
            services.create_person(
                actor=actor,
                organization=tree.a1,
                start_date=dt.date(2012, 9, 1),
                **person_data(),
            )
    assert snapshot_counts() == before


def test_update_person_audits_before_and_after(tree, users, member):
    person = member.person
    services.update_person(actor=users.a1_manager, person=person, given_name="Bích")
    person.refresh_from_db()
    assert person.full_name == "Trần Thị Bích"
    assert person.search_name == "tran thi bich"
    entry = AuditEntry.objects.filter(action="update").get()
    assert entry.changes == {"given_name": ["Bình", "Bích"]}


def test_update_person_refused_keeps_record(tree, users, member):
    before = snapshot_counts()
    with pytest.raises(ValidationError):
        services.update_person(
            actor=users.a1_manager, person=member.person, given_name="X", citizen_id="079290001234"
        )
    member.person.refresh_from_db()
    assert member.person.given_name == "Bình"
    assert snapshot_counts() == before


def _copies(member):
    """(date of birth, profile columns) of each of the member's periods."""
    return [
        (period.date_of_birth, *(getattr(period.profile, f) for f in PROFILE_FIELDS))
        for period in MembershipPeriod.objects.filter(member=member)
        .select_related("profile")
        .order_by("valid_from")
    ]


def test_periods_carry_the_persons_profile(member):
    person = member.person
    expected = (
        dt.date(1990, 7, 4),
        "female",
        person.ethnicity_id,
        person.religion,
        person.general_education,
        person.professional_level,
        person.political_theory_level,
        person.occupation,
    )
    # Probationary, then full: both periods hold the person's columns.
    assert _copies(member) == [expected, expected]


def test_people_alike_share_a_profile(tree, users, member):
    twin = make_person(
        "Trần",
        "Thị",
        "Bích",
        organization=tree.a1,
        sex="female",
        date_of_birth=dt.date(1991, 1, 2),
        citizen_id="079191001234",
    )
    other = services.admit_member(
        actor=users.root_manager,
        person=twin,
        organization=tree.a1,
        decision_date=dt.date(2020, 5, 4),
        ceremony_date=dt.date(2020, 5, 14),
    )
    profiles = set(
        MembershipPeriod.objects.filter(member__in=[member, other]).values_list(
            "profile_id", flat=True
        )
    )
    assert len(profiles) == 1 and MemberProfile.objects.count() == 1


def test_update_person_updates_the_copies_on_every_period(tree, users, member):
    old_profile = MembershipPeriod.objects.filter(member=member).first().profile
    services.update_person(
        actor=users.a1_manager,
        person=member.person,
        date_of_birth=dt.date(1990, 7, 5),
        religion="buddhism",
        political_theory_level="intermediate",
        occupation="Giáo viên",
    )
    rows = _copies(member)
    assert len(rows) == 2
    assert {(r[0], r[3], r[6], r[7]) for r in rows} == {
        (dt.date(1990, 7, 5), "buddhism", "intermediate", "Giáo viên")
    }
    # Profiles are never changed: the old one is left as it was.
    old_profile.refresh_from_db()
    assert old_profile.religion == "none"


def test_a_change_of_name_leaves_the_periods_alone(tree, users, member):
    with CaptureQueriesContext(connection) as captured:
        services.update_person(actor=users.a1_manager, person=member.person, given_name="Bích")
    writes = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("UPDATE")]
    assert writes and not [sql for sql in writes if "membershipperiod" in sql]


def test_update_person_refused_keeps_the_copies(tree, users, member):
    before = _copies(member)
    profiles = MemberProfile.objects.count()
    with pytest.raises(ValidationError):
        services.update_person(
            actor=users.a1_manager, person=member.person, religion="buddhism", citizen_id="1"
        )
    assert _copies(member) == before
    assert MemberProfile.objects.count() == profiles


def test_legacy_id_is_flagged(tree, users):
    person = services.create_person(
        actor=users.a1_manager,
        organization=tree.a1,
        start_date=dt.date(2012, 9, 1),
        **person_data(citizen_id="023456789"),
    )
    assert person.has_legacy_id


# --- membership events ------------------------------------------------------------------------


def test_member_fixture_status_over_time(member):
    assert services.status_on(member, dt.date(2015, 3, 1)) == MemberStatus.NOT_MEMBER
    assert services.status_on(member, dt.date(2015, 3, 2)) == MemberStatus.PROBATIONARY
    assert services.status_on(member, dt.date(2016, 3, 19)) == MemberStatus.PROBATIONARY
    assert services.status_on(member, dt.date(2016, 3, 20)) == MemberStatus.FULL


def test_party_age_counts_whole_months_from_decision(member):
    assert services.party_age_months(member, dt.date(2015, 3, 1)) == 0
    assert services.party_age_months(member, dt.date(2016, 3, 1)) == 11
    assert services.party_age_months(member, dt.date(2016, 3, 2)) == 12
    assert services.party_age_months(member, dt.date(2025, 3, 2)) == 120


def test_party_age_subtracts_gaps(tree, users, member):
    # Left on 2/3/2017, readmitted on 2/3/2020: three years are not counted.
    MembershipEvent.objects.create(
        member=member,
        kind=MembershipEventKind.LOST_CONTACT,
        date=dt.date(2017, 3, 2),
        organization=tree.a1,
    )
    MembershipEvent.objects.create(
        member=member,
        kind=MembershipEventKind.ADMISSION_DECISION,
        date=dt.date(2020, 3, 2),
        organization=tree.a1,
    )
    services.rebuild_periods(member)
    assert services.status_on(member, dt.date(2018, 1, 1)) == MemberStatus.NOT_MEMBER
    assert services.party_age_months(member, dt.date(2018, 3, 2)) == 24
    assert services.party_age_months(member, dt.date(2021, 3, 2)) == 36


def test_admit_member_creates_member_events_and_periods(tree, users):
    person = make_person(
        "Phạm", "Minh", "Châu", organization=tree.a2, date_of_birth=dt.date(1995, 1, 1)
    )
    member = services.admit_member(
        actor=users.a2_manager,
        person=person,
        organization=tree.a2,
        decision_date=dt.date(2024, 5, 10),
        ceremony_date=dt.date(2024, 6, 1),
        record_number="123456hcm",
    )
    assert member.record_number == "123456HCM"
    assert [e.kind for e in member.events.order_by("date")] == ["admission_decision", "ceremony"]
    period = member.periods.get()
    assert (period.status, period.organization, period.valid_from, period.valid_to) == (
        "probationary",
        tree.a2,
        dt.date(2024, 5, 10),
        None,
    )
    assert AuditEntry.objects.filter(object_type="members.membershipevent").count() == 2


@pytest.mark.parametrize(
    ("kwargs", "field", "fragment"),
    [
        ({"decision_date": dt.date(2999, 1, 1)}, "decision_date", "sau ngày hôm nay"),
        ({"decision_date": dt.date(2012, 12, 31)}, "decision_date", "đủ 18 tuổi"),
        ({"ceremony_date": dt.date(2024, 5, 1)}, "ceremony_date", "trước ngày quyết định"),
        ({"record_number": "12AB"}, "record_number", "6 chữ số"),
    ],
)
def test_admit_member_refusals_change_nothing(tree, users, kwargs, field, fragment):
    person = make_person(
        "Phạm", "Minh", "Châu", organization=tree.a2, date_of_birth=dt.date(1995, 1, 1)
    )
    before = snapshot_counts()
    args = {"decision_date": dt.date(2024, 5, 10), **kwargs}
    with pytest.raises(ValidationError) as excinfo:
        services.admit_member(actor=users.a2_manager, person=person, organization=tree.a2, **args)
    assert fragment in " ".join(excinfo.value.message_dict[field])
    assert snapshot_counts() == before


def test_admitting_a_member_again_is_refused(tree, users, member):
    before = snapshot_counts()
    with pytest.raises(ValidationError) as excinfo:
        services.admit_member(
            actor=users.a1_manager,
            person=member.person,
            organization=tree.a1,
            decision_date=dt.date(2020, 1, 1),
        )
    assert "đã là đảng viên" in excinfo.value.message_dict["decision_date"][0]
    assert snapshot_counts() == before


def test_admit_outside_write_scope_is_denied(tree, users):
    person = make_person(organization=tree.a1)
    before = snapshot_counts()
    with pytest.raises(PermissionDenied):
        services.admit_member(
            actor=users.a2_manager,
            person=person,
            organization=tree.a1,
            decision_date=dt.date(2020, 1, 1),
        )
    assert snapshot_counts() == before


def _probationary(tree, users, ceremony=dt.date(2023, 4, 15)):
    person = make_person(
        "Vũ", "Thu", "Hà", organization=tree.a1, sex="female", date_of_birth=dt.date(1996, 1, 1)
    )
    return services.admit_member(
        actor=users.a1_manager,
        person=person,
        organization=tree.a1,
        decision_date=dt.date(2023, 4, 1),
        ceremony_date=ceremony,
    )


def test_recognition_one_day_before_twelve_months_is_refused(tree, users):
    member = _probationary(tree, users)
    before = snapshot_counts()
    with pytest.raises(ValidationError) as excinfo:
        services.recognize_full_member(
            actor=users.a1_manager, member=member, effective_date=dt.date(2024, 4, 14)
        )
    message = excinfo.value.message_dict["effective_date"][0]
    assert "15/04/2024" in message and "Điều lệ Đảng" in message
    assert snapshot_counts() == before


def test_recognition_on_the_day_twelve_months_end(tree, users):
    member = _probationary(tree, users)
    services.recognize_full_member(
        actor=users.a1_manager,
        member=member,
        effective_date=dt.date(2024, 4, 15),
        document_number="9-QĐ",
    )
    assert services.status_on(member, dt.date(2024, 4, 14)) == MemberStatus.PROBATIONARY
    assert services.status_on(member, dt.date(2024, 4, 15)) == MemberStatus.FULL


def test_recognition_without_ceremony_is_refused(tree, users):
    member = _probationary(tree, users, ceremony=None)
    before = snapshot_counts()
    with pytest.raises(ValidationError):
        services.recognize_full_member(
            actor=users.a1_manager, member=member, effective_date=dt.date(2024, 6, 1)
        )
    assert snapshot_counts() == before


def test_ceremony_before_decision_is_refused(tree, users):
    member = _probationary(tree, users, ceremony=None)
    before = snapshot_counts()
    with pytest.raises(ValidationError) as excinfo:
        services.record_ceremony(
            actor=users.a1_manager, member=member, ceremony_date=dt.date(2023, 3, 31)
        )
    assert "01/04/2023" in excinfo.value.message_dict["ceremony_date"][0]
    assert snapshot_counts() == before


def test_second_ceremony_is_refused(tree, users):
    member = _probationary(tree, users)
    with pytest.raises(ValidationError):
        services.record_ceremony(
            actor=users.a1_manager, member=member, ceremony_date=dt.date(2023, 5, 1)
        )


def test_update_member_numbers(tree, users, member):
    services.update_member(
        actor=users.a1_manager,
        member=member,
        card_number_old="12345678",
        card_number="123456789012",
    )
    member.refresh_from_db()
    assert (member.card_number_old, member.card_number) == ("12345678", "123456789012")


@pytest.mark.parametrize(
    ("field", "value"),
    [("card_number_old", "1234567"), ("card_number", "12345678901"), ("record_number", "ABC")],
)
def test_update_member_numbers_refused(tree, users, member, field, value):
    before = snapshot_counts()
    with pytest.raises(ValidationError) as excinfo:
        services.update_member(actor=users.a1_manager, member=member, **{field: value})
    assert field in excinfo.value.message_dict
    member.refresh_from_db()
    assert getattr(member, field) == ""
    assert snapshot_counts() == before


def test_audit_log_refuses_update_and_delete(member):
    from django.db import DatabaseError, transaction

    entry = AuditEntry.objects.first()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(action="delete")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.filter(pk=entry.pk, action=entry.action).exists()


def test_employments_of_a_person_may_not_overlap(tree, member):
    from dangbo.members.models import Employment

    # Bình works in a1 since 1/1/2010 (open-ended): a second job from 2020 would overlap.
    second = Employment(organization=tree.a2, start_date=dt.date(2020, 1, 1))
    with pytest.raises(ValidationError) as excinfo:
        services._validate_employment(second, member.person)
    assert "đang công tác tại một đơn vị" in excinfo.value.message_dict["start_date"][0]
    Employment.objects.filter(person=member.person).update(end_date=dt.date(2019, 12, 31))
    services._validate_employment(second, member.person)  # after the first one ended: fine
