"""The admission services: starting a case, the order of the procedure, three failed votes, and
the steps that write the membership events. Each write audited, each refusal changes nothing."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dangbo.admissions import services
from dangbo.admissions.models import (
    AdmissionStep,
    Candidate,
    DeadlineExtension,
    Resolution,
    RuleVerdict,
    Verification,
)
from dangbo.admissions.selectors import stage_of
from dangbo.core.models import AuditEntry
from dangbo.members.models import MembershipEvent, MembershipEventKind, MemberStatus
from dangbo.members.services import status_on
from dangbo.organizations.models import OrganizationKind, OrganizationLevel
from tests.admissions.factories import (
    CEREMONY,
    COMMITTEE,
    DECISION,
    MEETING,
    NEW_MEMBER_CLASS,
    PROBATION_ENDS,
    STARTED,
    admit,
    make_candidate_person,
    pass_branch,
    prepare_dossier,
    start,
)
from tests.factories import make_organization, relink


def state():
    return (
        Candidate.objects.count(),
        AdmissionStep.objects.count(),
        Resolution.objects.count(),
        RuleVerdict.objects.count(),
        MembershipEvent.objects.count(),
        DeadlineExtension.objects.count(),
        AuditEntry.objects.count(),
    )


def codes(error: ValidationError) -> dict[str, list[str]]:
    return {field: [e.code for e in errors] for field, errors in error.error_dict.items()}


def steps_of(candidate):
    return list(candidate.steps.order_by("date", "id").values_list("kind", flat=True))


# --- starting a case -------------------------------------------------------------------------


def test_start_candidate_writes_the_case_and_its_audit(tree, users, member):
    person = make_candidate_person(tree.a1)

    candidate = start(users.a1_manager, person, tree.a1, member, notes=" Đoàn viên xuất sắc ")

    assert (candidate.person, candidate.organization, candidate.helper, candidate.started_on) == (
        person,
        tree.a1,
        member,
        STARTED,
    )
    assert candidate.notes == "Đoàn viên xuất sắc"
    assert candidate.created_by == users.a1_manager
    entry = AuditEntry.objects.get(object_type="admissions.candidate")
    assert (entry.actor, entry.organization) == (users.a1_manager, tree.a1)
    assert entry.changes["source"] == [None, "youth_union"]


def test_a_person_who_is_already_a_member_cannot_be_a_candidate(tree, users, member, branch):
    before = state()

    with pytest.raises(ValidationError) as excinfo:
        start(users.a1_manager, member.person, tree.a1, branch.members[1])

    assert codes(excinfo.value) == {"person": ["admission.not_a_member"]}
    assert state() == before


def test_helper_must_be_a_full_member_on_the_start_date(tree, users, member):
    person = make_candidate_person(tree.a1, employed_from=dt.date(2014, 1, 1))
    before = state()

    with pytest.raises(ValidationError) as excinfo:
        # Bình is full from 20/03/2016 only
        start(users.a1_manager, person, tree.a1, member, started_on=dt.date(2016, 3, 19))

    assert codes(excinfo.value) == {"helper": ["helper_not_full_member"]}
    assert state() == before


@pytest.mark.parametrize(
    ("where", "field", "code"),
    [("gc", "organization", "not_a_branch"), ("a2", "person", "not_on_staff")],
)
def test_a_case_belongs_to_the_branch_where_the_candidate_works(
    tree, users, member, where, field, code
):
    person = make_candidate_person(tree.a1)
    before = state()

    with pytest.raises(ValidationError) as excinfo:
        start(users.root_manager, person, getattr(tree, where), member)

    assert codes(excinfo.value) == {field: [code]}
    assert state() == before


def test_one_open_case_per_person(tree, users, member):
    person = make_candidate_person(tree.a1)
    start(users.a1_manager, person, tree.a1, member)
    before = state()

    with pytest.raises(ValidationError) as excinfo:
        start(users.a1_manager, person, tree.a1, member, started_on=dt.date(2023, 10, 1))

    assert codes(excinfo.value) == {"person": ["open_case"]}
    assert state() == before


def test_a_withdrawn_case_can_be_started_again(tree, users, member):
    person = make_candidate_person(tree.a1)
    first = start(users.a1_manager, person, tree.a1, member)
    services.record_step(
        actor=users.a1_manager, candidate=first, kind="withdrawn", date=dt.date(2023, 12, 1)
    )

    second = start(users.a1_manager, person, tree.a1, member, started_on=dt.date(2024, 2, 1))

    assert second.pk != first.pk


def test_writes_outside_the_write_scope_are_denied(tree, users, member, candidate):
    person = make_candidate_person(tree.a1)
    before = state()

    for actor in (users.a2_manager, users.gc_viewer, users.statistician, users.nobody):
        with pytest.raises(PermissionDenied):
            start(actor, person, tree.a1, member)
        with pytest.raises(PermissionDenied):
            pass_branch(actor, candidate)

    assert state() == before


# --- order of the procedure ------------------------------------------------------------------


def test_the_branch_cannot_vote_before_the_opinions_are_gathered(tree, users, branch):
    person = make_candidate_person(tree.a1)
    candidate = start(users.a1_manager, person, tree.a1, branch.members[0])
    prepare_dossier(users.a1_manager, candidate, branch.introducers, opinions=dt.date(2024, 6, 17))
    before = state()

    with pytest.raises(ValidationError) as excinfo:
        pass_branch(users.a1_manager, candidate)  # on 14/06, three days before the opinions

    assert codes(excinfo.value) == {"kind": ["order"]}
    assert "Opinions" in excinfo.value.messages[0] or "ý kiến" in excinfo.value.messages[0]
    assert state() == before


def test_one_member_introducing_is_not_enough(tree, users, branch):
    person = make_candidate_person(tree.a1)
    candidate = start(users.a1_manager, person, tree.a1, branch.members[0])
    prepare_dossier(users.a1_manager, candidate, branch.introducers[:1])
    before = state()

    with pytest.raises(ValidationError) as excinfo:
        pass_branch(users.a1_manager, candidate)

    assert codes(excinfo.value) == {"introduction": ["introductions"]}
    assert state() == before


def test_background_before_the_application_is_refused(tree, users, member):
    candidate = start(users.a1_manager, make_candidate_person(tree.a1), tree.a1, member)
    before = state()

    with pytest.raises(ValidationError) as excinfo:
        services.record_step(
            actor=users.a1_manager, candidate=candidate, kind="background", date=MEETING
        )

    assert codes(excinfo.value) == {"kind": ["order"]}
    assert state() == before


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (
            lambda actor, c: services.record_decision(actor=actor, candidate=c, date=DECISION),
            {"kind": ["order"]},
        ),
        (
            lambda actor, c: services.record_ceremony_step(actor=actor, candidate=c, date=CEREMONY),
            {"kind": ["order"]},
        ),
        (
            lambda actor, c: services.record_step(
                actor=actor, candidate=c, kind="application", date=COMMITTEE
            ),
            {"kind": ["dossier_closed"]},
        ),
        (
            lambda actor, c: services.record_step(
                actor=actor, candidate=c, kind="new_member_class", date=COMMITTEE
            ),
            {"kind": ["order"]},
        ),
        (
            lambda actor, c: services.record_step(
                actor=actor, candidate=c, kind="decision", date=COMMITTEE
            ),
            {"kind": ["invalid_choice"]},
        ),
        (
            lambda actor, c: services.record_committee_resolution(
                actor=actor,
                candidate=c,
                date=dt.date(2024, 6, 13),  # the day before the branch meeting
                eligible_members=9,
                present=9,
                votes_for=9,
                votes_against=0,
            ),
            {"kind": ["order"]},
        ),
        (
            lambda actor, c: services.record_step(
                actor=actor, candidate=c, kind="opinions", date=dt.date(2999, 1, 1)
            ),
            {"date": ["future_date"]},
        ),
    ],
)
def test_steps_out_of_order_are_refused_and_change_nothing(users, candidate, call, expected):
    # given a case whose branch resolution passed on MEETING, and nothing after it
    pass_branch(users.a1_manager, candidate)
    before = state()

    # when
    with pytest.raises(ValidationError) as excinfo:
        call(users.a1_manager, candidate)

    # then
    assert codes(excinfo.value) == expected
    assert state() == before


def test_a_branch_under_a_subordinate_committee_needs_its_appraisal(tree, users, candidate):
    # given a1 moved under a subordinate committee of gc from 20/06/2024
    sub = make_organization(
        "Đảng bộ bộ phận Khối 1",
        parent=tree.gc,
        level=OrganizationLevel.SUB_COMMITTEE,
        kind=OrganizationKind.COMMITTEE,
    )
    relink(tree.a1, sub, dt.date(2024, 6, 20))
    pass_branch(users.a1_manager, candidate)
    vote = {"eligible_members": 9, "present": 9, "votes_for": 9, "votes_against": 0}
    before = state()

    # when the committee votes without the appraisal, then it is refused
    with pytest.raises(ValidationError) as excinfo:
        services.record_committee_resolution(
            actor=users.a1_manager, candidate=candidate, date=COMMITTEE, **vote
        )
    assert codes(excinfo.value) == {"kind": ["order"]}
    assert state() == before

    # when the subordinate committee appraised it first, then the committee may vote
    services.record_step(
        actor=users.a1_manager,
        candidate=candidate,
        kind="sub_committee_appraisal",
        date=dt.date(2024, 6, 25),
    )
    step = services.record_committee_resolution(
        actor=users.a1_manager, candidate=candidate, date=COMMITTEE, **vote
    )
    assert step.resolution.passed


def test_before_the_move_the_tree_had_no_subordinate_committee(tree, users, candidate):
    sub = make_organization(
        "Đảng bộ bộ phận Khối 1",
        parent=tree.gc,
        level=OrganizationLevel.SUB_COMMITTEE,
        kind=OrganizationKind.COMMITTEE,
    )
    relink(tree.a1, sub, dt.date(2024, 7, 10))  # after the committee meeting of 01/07
    pass_branch(users.a1_manager, candidate)

    step = services.record_committee_resolution(
        actor=users.a1_manager,
        candidate=candidate,
        date=COMMITTEE,
        eligible_members=9,
        present=9,
        votes_for=9,
        votes_against=0,
    )

    assert step.resolution.passed


def test_a_grassroots_branch_goes_from_its_resolution_to_the_decision(tree, users, member):
    # given a grassroots branch (chi bộ cơ sở) with two full members who introduce
    from tests.admissions.factories import make_full_member

    introducers = [make_full_member(tree.gb) for _ in range(2)]
    person = make_candidate_person(tree.gb)
    candidate = start(users.gb_manager, person, tree.gb, introducers[0])
    prepare_dossier(users.gb_manager, candidate, introducers)
    services.record_branch_resolution(
        actor=users.gb_manager,
        candidate=candidate,
        date=MEETING,
        present=2,
        votes_for=2,
        votes_against=0,
    )

    services.record_decision(actor=users.gb_manager, candidate=candidate, date=DECISION)

    assert status_on(person.member, DECISION) == MemberStatus.PROBATIONARY


def test_a_failed_committee_vote_holds_the_decision(users, candidate):
    pass_branch(users.a1_manager, candidate)
    services.record_committee_resolution(
        actor=users.a1_manager,
        candidate=candidate,
        date=COMMITTEE,
        eligible_members=9,
        present=9,
        votes_for=5,
        votes_against=4,
    )
    before = state()

    with pytest.raises(ValidationError) as excinfo:
        services.record_decision(actor=users.a1_manager, candidate=candidate, date=DECISION)

    assert codes(excinfo.value) == {"kind": ["order"]}
    assert state() == before


# --- three failed votes ----------------------------------------------------------------------


def failed_vote(actor, candidate, date):
    return services.record_branch_resolution(
        actor=actor, candidate=candidate, date=date, present=9, votes_for=5, votes_against=4
    )


def test_three_failed_votes_refer_the_case_to_the_level_above(users, candidate):
    # given two failed votes: the case stays with the branch
    failed_vote(users.a1_manager, candidate, MEETING)
    failed_vote(users.a1_manager, candidate, dt.date(2024, 7, 12))
    assert "referred_up" not in steps_of(candidate)
    assert stage_of(candidate.steps.all(), dt.date(2024, 7, 12)) == "dossier"

    # when the third fails
    failed_vote(users.a1_manager, candidate, dt.date(2024, 8, 9))

    # then the case goes to the level above on that day, which may now decide on it
    referred = candidate.steps.get(kind="referred_up")
    assert referred.date == dt.date(2024, 8, 9)
    assert stage_of(candidate.steps.all(), dt.date(2024, 8, 9)) == "awaiting_decision"
    before = state()
    with pytest.raises(ValidationError) as excinfo:
        failed_vote(users.a1_manager, candidate, dt.date(2024, 9, 6))
    assert codes(excinfo.value) == {"kind": ["referred_up"]}
    assert state() == before
    services.record_committee_resolution(
        actor=users.a1_manager,
        candidate=candidate,
        date=dt.date(2024, 9, 6),
        eligible_members=9,
        present=9,
        votes_for=9,
        votes_against=0,
    )
    services.record_decision(actor=users.a1_manager, candidate=candidate, date=dt.date(2024, 9, 20))
    assert stage_of(candidate.steps.all(), dt.date(2024, 9, 20)) == "awaiting_ceremony"


def test_a_passed_vote_cannot_be_held_again(users, candidate):
    pass_branch(users.a1_manager, candidate)
    before = state()

    with pytest.raises(ValidationError) as excinfo:
        pass_branch(users.a1_manager, candidate, dt.date(2024, 6, 20))

    assert codes(excinfo.value) == {"kind": ["already_recorded"]}
    assert state() == before


# --- decision, ceremony, recognition, removal ------------------------------------------------


def test_the_decision_writes_the_membership_events(tree, users, candidate):
    pass_branch(users.a1_manager, candidate)
    services.record_committee_resolution(
        actor=users.a1_manager,
        candidate=candidate,
        date=COMMITTEE,
        eligible_members=9,
        present=9,
        votes_for=9,
        votes_against=0,
    )

    services.record_decision(
        actor=users.a1_manager,
        candidate=candidate,
        date=DECISION,
        document_number="125-QĐ/ĐU",
        record_number="123456hcm",
    )

    member = candidate.person.member
    assert member.record_number == "123456HCM"
    event = member.events.get()
    assert (event.kind, event.date, event.organization, event.document_number) == (
        "admission_decision",
        DECISION,
        tree.a1,
        "125-QĐ/ĐU",
    )
    assert status_on(member, DECISION - dt.timedelta(days=1)) == MemberStatus.NOT_MEMBER
    assert status_on(member, DECISION) == MemberStatus.PROBATIONARY
    assert steps_of(candidate)[-1] == "decision"
    assert AuditEntry.objects.filter(
        object_type="admissions.admissionstep", changes__kind=[None, "decision"]
    ).exists()


def test_ceremony_and_recognition_effective_the_day_probation_ends(users, candidate):
    # given an admitted candidate whose ceremony was on 01/08/2024
    admit(users.a1_manager, candidate)
    member = candidate.person.member
    assert [e.kind for e in member.events.order_by("date")] == ["admission_decision", "ceremony"]

    # the review is held after probation ends, not before
    before = state()
    with pytest.raises(ValidationError) as excinfo:
        services.record_step(
            actor=users.a1_manager,
            candidate=candidate,
            kind="recognition_review",
            date=PROBATION_ENDS - dt.timedelta(days=1),
        )
    assert codes(excinfo.value) == {"date": ["membership.probation_months"]}
    assert state() == before

    # when the class, the review and the recognition decision (signed 20/08/2025) are recorded
    services.record_step(
        actor=users.a1_manager, candidate=candidate, kind="new_member_class", date=NEW_MEMBER_CLASS
    )
    services.record_step(
        actor=users.a1_manager,
        candidate=candidate,
        kind="recognition_review",
        date=dt.date(2025, 8, 5),
    )
    services.record_recognition(
        actor=users.a1_manager,
        candidate=candidate,
        date=dt.date(2025, 8, 20),
        document_number="300-QĐ/ĐU",
    )

    # then the member is full from the day the 12 months ended
    assert status_on(member, PROBATION_ENDS - dt.timedelta(days=1)) == MemberStatus.PROBATIONARY
    assert status_on(member, PROBATION_ENDS) == MemberStatus.FULL
    recognition = member.events.get(kind="recognition")
    assert (recognition.date, recognition.document_date) == (PROBATION_ENDS, dt.date(2025, 8, 20))
    assert stage_of(candidate.steps.all(), dt.date(2025, 8, 20)) == "recognized"


def test_recognition_needs_the_new_member_class(users, candidate):
    admit(users.a1_manager, candidate)
    services.record_step(
        actor=users.a1_manager,
        candidate=candidate,
        kind="recognition_review",
        date=dt.date(2025, 8, 5),
    )
    before = state()

    with pytest.raises(ValidationError) as excinfo:
        services.record_recognition(
            actor=users.a1_manager, candidate=candidate, date=dt.date(2025, 8, 20)
        )

    assert codes(excinfo.value) == {"kind": ["order"]}
    assert state() == before


def test_removal_from_the_probationary_list_ends_the_membership_and_the_case(users, candidate):
    admit(users.a1_manager, candidate)
    member = candidate.person.member

    services.record_probation_removal(
        actor=users.a1_manager,
        candidate=candidate,
        date=dt.date(2025, 3, 3),
        document_number="40-QĐ/ĐU",
    )

    event = member.events.get(kind=MembershipEventKind.PROBATION_REMOVED)
    assert (event.date, event.document_number) == (dt.date(2025, 3, 3), "40-QĐ/ĐU")
    assert status_on(member, dt.date(2025, 3, 2)) == MemberStatus.PROBATIONARY
    assert status_on(member, dt.date(2025, 3, 3)) == MemberStatus.NOT_MEMBER
    assert stage_of(candidate.steps.all(), dt.date(2025, 3, 3)) == "removed"
    before = state()
    with pytest.raises(ValidationError) as excinfo:
        services.record_step(
            actor=users.a1_manager,
            candidate=candidate,
            kind="new_member_class",
            date=dt.date(2025, 3, 10),
        )
    assert codes(excinfo.value) == {"kind": ["case_closed"]}
    assert state() == before


def test_remove_from_probation_refuses_a_full_member(users, member):
    from dangbo.members import services as member_services

    before = state()

    with pytest.raises(ValidationError) as excinfo:
        member_services.remove_from_probation(
            actor=users.a1_manager, member=member, date=dt.date(2020, 1, 1)
        )

    assert "date" in excinfo.value.message_dict
    assert state() == before


def test_withdrawal_after_the_decision_is_refused(users, candidate):
    admit(users.a1_manager, candidate)
    before = state()

    with pytest.raises(ValidationError) as excinfo:
        services.record_step(
            actor=users.a1_manager, candidate=candidate, kind="withdrawn", date=dt.date(2024, 9, 2)
        )

    assert codes(excinfo.value) == {"kind": ["order"]}
    assert state() == before


def test_verification_keeps_the_relatives_checked(users, candidate):
    verification = Verification.objects.get(step__candidate=candidate)

    assert verification.relatives == [{"relation": "Cha", "name": "Phạm Văn Hùng", "result": "Tốt"}]


def test_verification_refuses_a_relative_without_a_name(tree, users, member):
    candidate = start(users.a1_manager, make_candidate_person(tree.a1), tree.a1, member)
    for kind, day in (("application", dt.date(2024, 1, 2)), ("background", dt.date(2024, 1, 3))):
        services.record_step(actor=users.a1_manager, candidate=candidate, kind=kind, date=day)
    before = state()

    with pytest.raises(ValidationError) as excinfo:
        services.record_verification(
            actor=users.a1_manager,
            candidate=candidate,
            date=dt.date(2024, 2, 1),
            relatives=[{"relation": "Mẹ", "name": " "}],
        )

    assert codes(excinfo.value) == {"relatives": ["relatives"]}
    assert state() == before
