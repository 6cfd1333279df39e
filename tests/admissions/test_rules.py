"""The eligibility rules at the branch meeting, each on both sides of its boundary; refusals name
the rule (the error code is the rule key) and change nothing; verdicts are stored and kept."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from dangbo.admissions import rules, services
from dangbo.admissions.models import AdmissionStep, Resolution, RuleVerdict
from dangbo.core.models import AuditEntry, Rule
from dangbo.members.models import Member
from tests.admissions.factories import (
    APPLICATION,
    MEETING,
    Kind,
    add_events,
    make_candidate_person,
    make_full_member,
    make_probationary_member,
    pass_branch,
    prepare_dossier,
    start,
)


def state():
    return (
        AdmissionStep.objects.count(),
        Resolution.objects.count(),
        RuleVerdict.objects.count(),
        AuditEntry.objects.count(),
    )


def codes(error: ValidationError) -> dict[str, list[str]]:
    return {field: [e.code for e in errors] for field, errors in error.error_dict.items()}


@pytest.fixture
def ready(tree, users, branch):
    """A candidate of a1 with a dossier ready for MEETING; person and dossier dates adjustable."""

    def make(*, person=None, dossier=None, **person_fields):
        person = person or make_candidate_person(tree.a1, **person_fields)
        case = start(users.a1_manager, person, tree.a1, branch.members[0])
        return prepare_dossier(users.a1_manager, case, branch.introducers, **(dossier or {}))

    return make


def verdict(step, key, subject=""):
    return RuleVerdict.objects.get(step=step, rule_key=key, subject=subject)


# --- age -------------------------------------------------------------------------------------


def test_age_of_17_years_11_months_at_the_meeting_is_refused(users, ready):
    # given a candidate who turns 18 the day after the meeting
    candidate = ready(date_of_birth=dt.date(2006, 6, 15), employed_from=dt.date(2022, 1, 1))
    before = state()

    # when
    with pytest.raises(ValidationError) as excinfo:
        pass_branch(users.a1_manager, candidate)

    # then
    assert codes(excinfo.value) == {"person": ["admission.minimum_age_months"]}
    message = excinfo.value.messages[0]
    assert "17" in message and "11" in message and "Điều lệ Đảng" in message
    assert state() == before


def test_age_of_18_years_0_months_at_the_meeting_passes(users, ready):
    candidate = ready(date_of_birth=dt.date(2006, 6, 14), employed_from=dt.date(2022, 1, 1))

    step = pass_branch(users.a1_manager, candidate)

    stored = verdict(step, "admission.minimum_age_months")
    assert (stored.passed, stored.value, stored.rule.value) == (True, 216, 216)


def test_age_of_60_years_0_months_at_the_meeting_passes(users, ready):
    candidate = ready(date_of_birth=dt.date(1964, 6, 14))

    step = pass_branch(users.a1_manager, candidate)

    stored = verdict(step, "admission.maximum_age_months")
    assert (stored.passed, stored.value, stored.outcome) == (True, 720, "passed")


def test_age_over_60_is_refused_without_an_exception_and_passes_with_one(tree, users, branch):
    # given a candidate aged 60 years 1 month on the meeting date
    person = make_candidate_person(tree.a1, date_of_birth=dt.date(1964, 5, 14))
    candidate = start(users.a1_manager, person, tree.a1, branch.members[0])
    prepare_dossier(users.a1_manager, candidate, branch.introducers)
    with pytest.raises(ValidationError) as excinfo:
        pass_branch(users.a1_manager, candidate)
    assert codes(excinfo.value) == {"person": ["admission.maximum_age_months"]}

    # when the provincial level approves an exception before the meeting
    exception = services.record_exception(
        actor=users.a1_manager,
        candidate=candidate,
        rule_key="admission.maximum_age_months",
        document_number="1234-CV/TU",
        approved_on=dt.date(2024, 6, 1),
    )
    step = pass_branch(users.a1_manager, candidate)

    # then the verdict is stored as passed by exception, with the document
    stored = verdict(step, "admission.maximum_age_months")
    assert (stored.passed, stored.value, stored.exception, stored.outcome) == (
        True,
        721,
        exception,
        "passed_by_exception",
    )
    assert "1234-CV/TU" in stored.message
    assert AuditEntry.objects.filter(object_type="admissions.ruleexception").count() == 1


def test_an_exception_approved_after_the_meeting_does_not_count(tree, users, branch):
    person = make_candidate_person(tree.a1, date_of_birth=dt.date(1964, 5, 14))
    candidate = start(users.a1_manager, person, tree.a1, branch.members[0])
    prepare_dossier(users.a1_manager, candidate, branch.introducers)
    services.record_exception(
        actor=users.a1_manager,
        candidate=candidate,
        rule_key="admission.maximum_age_months",
        document_number="1234-CV/TU",
        approved_on=dt.date(2024, 6, 15),
    )

    with pytest.raises(ValidationError) as excinfo:
        pass_branch(users.a1_manager, candidate)

    assert codes(excinfo.value) == {"person": ["admission.maximum_age_months"]}


def test_the_minimum_age_allows_no_exception(users, candidate):
    before = AuditEntry.objects.count()

    with pytest.raises(ValidationError) as excinfo:
        services.record_exception(
            actor=users.a1_manager,
            candidate=candidate,
            rule_key="admission.minimum_age_months",
            document_number="1-CV",
            approved_on=dt.date(2024, 6, 1),
        )

    assert codes(excinfo.value) == {"rule_key": ["no_exception"]}
    assert AuditEntry.objects.count() == before


# --- education -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("education", "passes"),
    [("primary", False), ("lower_secondary", True), ("upper_secondary", True)],
)
def test_education_at_least_lower_secondary(ready, users, education, passes):
    candidate = ready(general_education=education)

    verdicts = rules.check_eligibility(candidate, MEETING)

    found = [v for v in verdicts if v.key == "admission.minimum_education"]
    assert [v.passed for v in found] == [passes]


def test_education_below_minimum_passes_with_an_exception(ready, users):
    candidate = ready(general_education="primary")
    with pytest.raises(ValidationError) as excinfo:
        pass_branch(users.a1_manager, candidate)
    assert codes(excinfo.value) == {"person": ["admission.minimum_education"]}

    services.record_exception(
        actor=users.a1_manager,
        candidate=candidate,
        rule_key="admission.minimum_education",
        document_number="56-CV/BTCTU",
        approved_on=dt.date(2024, 5, 2),
    )
    step = pass_branch(users.a1_manager, candidate)

    assert verdict(step, "admission.minimum_education").outcome == "passed_by_exception"


# --- papers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("course", "passes"),
    [
        (dt.date(2019, 6, 14), True),  # exactly 60 months before the meeting
        (dt.date(2019, 6, 13), False),  # 60 months and a day
        (dt.date(2019, 5, 14), False),  # 61 months
    ],
)
def test_awareness_certificate_at_most_60_months_old(ready, users, course, passes):
    candidate = ready(dossier={"course": course})
    before = state()

    if passes:
        step = pass_branch(users.a1_manager, candidate)
        assert verdict(step, "admission.certificate_max_age_months").value == 60
    else:
        with pytest.raises(ValidationError) as excinfo:
            pass_branch(users.a1_manager, candidate)
        assert codes(excinfo.value) == {
            "awareness_course": ["admission.certificate_max_age_months"]
        }
        assert state() == before


@pytest.mark.parametrize(
    ("application", "passes"),
    [(dt.date(2023, 6, 14), True), (dt.date(2023, 6, 13), False)],
)
def test_other_papers_at_most_12_months_old(tree, users, branch, application, passes):
    person = make_candidate_person(tree.a1)
    candidate = start(
        users.a1_manager, person, tree.a1, branch.members[0], started_on=dt.date(2023, 1, 2)
    )
    prepare_dossier(
        users.a1_manager,
        candidate,
        branch.introducers,
        course=dt.date(2023, 2, 1),
        application=application,
    )

    if passes:
        step = pass_branch(users.a1_manager, candidate)
        assert verdict(step, "admission.papers_max_age_months", "application").value == 12
    else:
        with pytest.raises(ValidationError) as excinfo:
            pass_branch(users.a1_manager, candidate)
        assert codes(excinfo.value) == {"application": ["admission.papers_max_age_months"]}


# --- introducers -----------------------------------------------------------------------------


@pytest.fixture
def newcomer(tree):
    """A full member of a2 since 2012 who moved to a1 on 10/03/2023 (employment and party
    registration): in the same unit as a1's staff from that day."""
    member = make_full_member(tree.a2, "Tâm", full_from=dt.date(2012, 1, 1))
    employment = member.person.employments.get()
    employment.end_date = dt.date(2023, 3, 10)
    employment.save()
    member.person.employments.create(organization=tree.a1, start_date=dt.date(2023, 3, 10))
    add_events(member, tree.a1, (Kind.TRANSFER, dt.date(2023, 3, 10)))
    return member


@pytest.fixture
def applied(tree, users, branch):
    person = make_candidate_person(tree.a1)
    candidate = start(users.a1_manager, person, tree.a1, branch.members[0])
    services.record_step(
        actor=users.a1_manager, candidate=candidate, kind="application", date=APPLICATION
    )
    return candidate


def test_introducer_12_months_less_a_day_in_the_unit_is_refused(users, applied, newcomer):
    before = state()

    with pytest.raises(ValidationError) as excinfo:
        services.record_introduction(
            actor=users.a1_manager,
            candidate=applied,
            date=dt.date(2024, 3, 9),
            introducer=newcomer,
        )

    assert codes(excinfo.value) == {"introducer": ["admission.introducer_min_months_in_unit"]}
    assert "Tâm" in excinfo.value.messages[0]
    assert state() == before


def test_introducer_12_months_in_the_unit_is_accepted(users, applied, newcomer):
    step = services.record_introduction(
        actor=users.a1_manager, candidate=applied, date=dt.date(2024, 3, 10), introducer=newcomer
    )

    assert step.introduction.introducer == newcomer
    assert rules.months_together(applied.person, newcomer, dt.date(2024, 3, 10)) == 12


def test_introducer_who_is_not_a_full_member_is_refused(tree, users, applied):
    probationary = make_probationary_member(tree.a1, dt.date(2020, 1, 1))  # in a1 since 2020
    before = state()

    with pytest.raises(ValidationError) as excinfo:
        services.record_introduction(
            actor=users.a1_manager,
            candidate=applied,
            date=dt.date(2024, 3, 10),
            introducer=probationary,
        )

    assert codes(excinfo.value) == {"introducer": ["admission.introducer_full_member"]}
    assert state() == before


def test_union_committee_and_one_member_introduce(users, branch, applied):
    services.record_step(
        actor=users.a1_manager, candidate=applied, kind="awareness_course", date=dt.date(2024, 1, 2)
    )
    services.record_step(
        actor=users.a1_manager, candidate=applied, kind="background", date=dt.date(2024, 1, 22)
    )
    services.record_verification(
        actor=users.a1_manager, candidate=applied, date=dt.date(2024, 3, 1)
    )
    services.record_introduction(
        actor=users.a1_manager,
        candidate=applied,
        date=dt.date(2024, 3, 11),
        union_committee="youth_union",
        resolution_number="12-NQ/ĐTN",
    )
    services.record_introduction(
        actor=users.a1_manager,
        candidate=applied,
        date=dt.date(2024, 3, 11),
        introducer=branch.members[0],
    )
    services.record_step(
        actor=users.a1_manager, candidate=applied, kind="opinions", date=dt.date(2024, 4, 1)
    )

    step = pass_branch(users.a1_manager, applied)

    assert step.resolution.passed


# --- votes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("votes_for", "passed"),
    [(6, True), (5, False)],  # 6 of 9 is exactly two thirds; 5 of 9 is just under
)
def test_vote_threshold_two_thirds_of_the_full_members(users, candidate, votes_for, passed):
    step = services.record_branch_resolution(
        actor=users.a1_manager,
        candidate=candidate,
        date=MEETING,
        present=8,
        votes_for=votes_for,
        votes_against=8 - votes_for,
    )

    resolution = step.resolution
    assert (resolution.eligible_members, resolution.votes_for, resolution.passed) == (
        9,
        votes_for,
        passed,
    )
    stored = verdict(step, "admission.vote_threshold")
    assert (stored.passed, stored.value) == (passed, {"eligible": 9, "votes_for": votes_for})


def test_probationary_members_are_not_counted_among_those_entitled_to_vote(tree, users, candidate):
    make_probationary_member(tree.a1, dt.date(2024, 1, 5))
    make_full_member(tree.a2)  # another branch

    step = pass_branch(users.a1_manager, candidate)

    assert step.resolution.eligible_members == 9


@pytest.mark.parametrize(
    ("present", "votes_for", "votes_against", "field", "code"),
    [
        (10, 7, 0, "present", "present_exceeds_members"),
        (8, 6, 3, "votes_for", "votes_exceed_present"),
        (8, -1, 0, "votes_for", "negative"),
    ],
)
def test_votes_that_do_not_add_up_are_refused(
    users, candidate, present, votes_for, votes_against, field, code
):
    before = state()

    with pytest.raises(ValidationError) as excinfo:
        services.record_branch_resolution(
            actor=users.a1_manager,
            candidate=candidate,
            date=MEETING,
            present=present,
            votes_for=votes_for,
            votes_against=votes_against,
        )

    assert codes(excinfo.value) == {field: [code]}
    assert state() == before


# --- a rule changed after the case was judged -------------------------------------------------


def test_a_rule_changed_after_the_meeting_keeps_the_stored_verdict(users, candidate):
    # given a case judged at the meeting with the minimum age of 18
    step = pass_branch(users.a1_manager, candidate)
    first = Rule.objects.get(key="admission.minimum_age_months", valid_to__isnull=True)

    # when a new regulation raises the minimum to 30 years from 01/07/2024
    first.valid_to = dt.date(2024, 7, 1)
    first.save()
    Rule.objects.create(
        key="admission.minimum_age_months",
        value=360,
        valid_from=dt.date(2024, 7, 1),
        source_document="Quy định mới",
    )

    # then the stored verdict still says passed, by the version in force on the meeting day
    stored = verdict(step, "admission.minimum_age_months")
    assert (stored.passed, stored.rule, stored.value) == (True, first, 351)
    # while the same case judged today would fail under the new version
    again = [
        v
        for v in rules.check_eligibility(candidate, dt.date(2024, 7, 1))
        if v.key == "admission.minimum_age_months"
    ]
    assert [(v.passed, v.rule.value) for v in again] == [(False, 360)]


# --- membership and readmission --------------------------------------------------------------


def test_a_candidate_who_became_a_member_meanwhile_is_refused(tree, users, candidate):
    from dangbo.members import services as member_services

    member_services.admit_member(
        actor=users.a1_manager,
        person=candidate.person,
        organization=tree.a1,
        decision_date=dt.date(2024, 5, 2),
    )
    before = state()

    with pytest.raises(ValidationError) as excinfo:
        pass_branch(users.a1_manager, candidate)

    assert codes(excinfo.value) == {"person": ["admission.not_a_member"]}
    assert state() == before


@pytest.fixture
def former_member(tree):
    """Someone admitted in 2015 in a1, full in 2016, whose name was removed on ``left``."""

    def make(left: dt.date, kind: str = Kind.REMOVED):
        person = make_candidate_person(tree.a1, employed_from=dt.date(2014, 1, 1))
        member = Member.objects.create(person=person)
        add_events(
            member,
            tree.a1,
            (Kind.ADMISSION_DECISION, dt.date(2015, 1, 5)),
            (Kind.CEREMONY, dt.date(2015, 1, 20)),
            (Kind.RECOGNITION, dt.date(2016, 1, 20)),
            (kind, left),
        )
        return person

    return make


@pytest.mark.parametrize(
    ("left", "passes"),
    [(dt.date(2021, 6, 14), True), (dt.date(2021, 6, 15), False)],  # 36 months / less a day
)
def test_readmission_after_36_months(ready, users, former_member, left, passes):
    candidate = ready(person=former_member(left))

    if passes:
        step = pass_branch(users.a1_manager, candidate)
        assert verdict(step, "admission.readmission_min_months", "waiting").passed
    else:
        with pytest.raises(ValidationError) as excinfo:
            pass_branch(users.a1_manager, candidate)
        assert codes(excinfo.value) == {"person": ["admission.readmission_min_months"]}


@pytest.mark.parametrize("kind", [Kind.RESIGNED, Kind.EXPELLED])
def test_never_readmitted_after_leaving_on_request_or_expulsion(
    tree, users, branch, former_member, kind
):
    person = former_member(dt.date(2015, 6, 1), kind)
    before = state()

    with pytest.raises(ValidationError) as excinfo:
        start(users.a1_manager, person, tree.a1, branch.members[0])

    assert codes(excinfo.value) == {"person": ["admission.readmission_min_months"]}
    assert state() == before


def test_verdicts_of_a_passed_meeting_name_every_rule_and_version(users, candidate):
    step = pass_branch(users.a1_manager, candidate)

    keys = sorted({(v.rule_key, v.rule_id is not None) for v in step.verdicts.all()})
    assert keys == [
        ("admission.certificate_max_age_months", True),
        ("admission.introducer_full_member", False),
        ("admission.introducer_min_months_in_unit", True),
        ("admission.maximum_age_months", True),
        ("admission.minimum_age_months", True),
        ("admission.minimum_education", True),
        ("admission.not_a_member", False),
        ("admission.papers_max_age_months", True),
        ("admission.vote_threshold", True),
    ]
    assert all(v.passed and v.message for v in step.verdicts.all())
    # four papers and two introductions, two introducers with two checks each
    assert step.verdicts.filter(rule_key="admission.papers_max_age_months").count() == 6
    assert step.verdicts.filter(rule_key__startswith="admission.introducer").count() == 4
