"""Reads of the pipeline: stages as of a date, scope, and the working-day deadlines."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from dangbo.admissions import selectors, services
from dangbo.admissions.models import AdmissionStep, Candidate, DeadlineExtension
from dangbo.core.models import AuditEntry
from tests.admissions.factories import (
    CEREMONY,
    COMMITTEE,
    DECISION,
    MEETING,
    PROBATION_ENDS,
    admit,
    make_candidate_person,
    pass_branch,
    start,
)


def codes(error: ValidationError) -> dict[str, list[str]]:
    return {field: [e.code for e in errors] for field, errors in error.error_dict.items()}


def stages(user, as_of, organization=None):
    return {
        c.person.given_name: c.stage
        for c in selectors.list_candidates(user=user, organization=organization, as_of=as_of)
    }


# --- stages ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "stage"),
    [
        (dt.date(2023, 8, 31), None),  # not started yet
        (MEETING - dt.timedelta(days=1), "dossier"),
        (MEETING, "awaiting_decision"),
        (DECISION, "awaiting_ceremony"),
        (CEREMONY, "probation"),
    ],
)
def test_the_stage_is_derived_from_the_steps_as_of_the_date(users, candidate, as_of, stage):
    admit(users.a1_manager, candidate)

    found = stages(users.root_manager, as_of)

    assert found == ({} if stage is None else {"Lan": stage})
    assert selectors.stage_of(candidate.steps.all(), as_of) == (stage or "dossier")


def test_list_candidates_filters_by_stage(tree, users, candidate, member):
    other = start(
        users.a1_manager, make_candidate_person(tree.a1, given_name="Mai"), tree.a1, member
    )
    admit(users.a1_manager, candidate)

    in_probation = selectors.list_candidates(
        user=users.a1_manager, organization=tree.a1, as_of=CEREMONY, stage="probation"
    )
    in_dossier = selectors.list_candidates(
        user=users.a1_manager, organization=tree.a1, as_of=CEREMONY, stage="dossier"
    )

    assert list(in_probation) == [candidate]
    assert list(in_dossier) == [other]


def test_candidates_are_scoped_like_everything_else(tree, users, candidate):
    for user in (users.admin, users.root_manager, users.a1_manager, users.gc_viewer):
        assert stages(user, MEETING) == {"Lan": "dossier"}
    for user in (users.a2_manager, users.gb_manager, users.statistician, users.nobody):
        assert stages(user, MEETING) == {}
    assert stages(users.root_manager, MEETING, organization=tree.a2) == {}


def test_counts_by_stage_are_open_to_statisticians(tree, users, candidate):
    pass_branch(users.a1_manager, candidate)

    counts = selectors.count_by_stage(
        user=users.statistician, organization=tree.root, as_of=MEETING
    )

    assert counts["awaiting_decision"] == 1
    assert sum(counts.values()) == 1
    assert sum(selectors.count_by_stage(user=users.a2_manager, as_of=MEETING).values()) == 0


def test_get_candidate_answers_404_out_of_scope(users, candidate):
    from django.http import Http404

    assert selectors.get_candidate(user=users.a1_manager, pk=candidate.pk) == candidate
    for pk in (candidate.pk, 999999, "x"):
        with pytest.raises(Http404):
            selectors.get_candidate(user=users.a2_manager, pk=pk)


# --- deadlines -------------------------------------------------------------------------------


def test_decision_due_60_working_days_after_the_branch_resolution(users, candidate):
    # 14/06/2024 + 60 working days: the National Day holidays 02–03/09 push it to 10/09
    pass_branch(users.a1_manager, candidate)

    deadline = selectors.next_deadline(candidate, MEETING)

    assert (deadline.step_kind, deadline.starts_on, deadline.working_days) == (
        "decision",
        MEETING,
        60,
    )
    assert deadline.due_on == dt.date(2024, 9, 10)
    assert deadline.rule.key == "admission.decision_deadline_working_days"


def test_ceremony_deadline_across_tet():
    # given a decision on Monday 20/01/2025, a week before Tết (27/01–01/02 off)
    steps = [AdmissionStep(kind="decision", date=dt.date(2025, 1, 20))]

    deadline = selectors.next_deadline(
        Candidate(), dt.date(2025, 1, 20), steps=steps, extensions=[]
    )

    # then 30 working days end on 10/03, a week later than without the holidays
    assert (deadline.step_kind, deadline.due_on) == ("ceremony", dt.date(2025, 3, 10))


def test_recognition_review_due_30_working_days_after_probation_ends(users, candidate):
    admit(users.a1_manager, candidate)

    deadline = selectors.next_deadline(candidate, PROBATION_ENDS)

    # 01/08/2025 + 30 working days, over the National Day holidays of 01–02/09
    assert (deadline.step_kind, deadline.starts_on, deadline.due_on) == (
        "recognition_review",
        PROBATION_ENDS,
        dt.date(2025, 9, 16),
    )


def test_no_deadline_while_the_dossier_is_prepared_or_after_the_case_ends(users, candidate):
    assert selectors.next_deadline(candidate, MEETING) is None
    services.record_step(
        actor=users.a1_manager, candidate=candidate, kind="withdrawn", date=dt.date(2024, 5, 2)
    )
    assert selectors.next_deadline(candidate, dt.date(2024, 5, 2)) is None


def test_due_list_and_overdue_count(tree, users, candidate):
    # given the branch passed the case on 14/06/2024: the decision is due by 10/09/2024
    pass_branch(users.a1_manager, candidate)

    def due(as_of, user=users.a1_manager):
        return [
            d.candidate for d in selectors.list_due(user=user, organization=tree.a1, as_of=as_of)
        ]

    # then it is due within 30 days from 11/08, not on 10/08; overdue from 11/09
    assert due(dt.date(2024, 8, 10)) == []
    assert due(dt.date(2024, 8, 11)) == [candidate]
    assert due(dt.date(2024, 9, 10)) == [candidate]
    assert due(dt.date(2024, 9, 11)) == []
    assert selectors.count_overdue(user=users.a1_manager, as_of=dt.date(2024, 9, 10)) == 0
    assert selectors.count_overdue(user=users.a1_manager, as_of=dt.date(2024, 9, 11)) == 1
    # scoped: another branch sees nothing, statisticians see the count only
    assert due(dt.date(2024, 9, 10), users.a2_manager) == []
    assert selectors.count_overdue(user=users.a2_manager, as_of=dt.date(2024, 9, 11)) == 0
    assert selectors.count_overdue(user=users.statistician, as_of=dt.date(2024, 9, 11)) == 1
    assert due(dt.date(2024, 9, 10), users.statistician) == []


def test_a_decided_case_is_no_longer_due_for_a_decision(tree, users, candidate):
    admit(users.a1_manager, candidate)

    found = selectors.list_deadlines(user=users.a1_manager, as_of=DECISION)

    assert [(d.step_kind, d.starts_on) for d in found] == [("ceremony", DECISION)]
    assert found[0].due_on == dt.date(2024, 8, 26)


def test_an_extension_moves_the_deadline(users, candidate):
    pass_branch(users.a1_manager, candidate)

    services.extend_deadline(
        actor=users.a1_manager,
        candidate=candidate,
        step_kind="decision",
        working_days=20,
        reason="Chờ kết quả thẩm tra bổ sung",
        granted_on=dt.date(2024, 9, 2),
    )

    deadline = selectors.next_deadline(candidate, dt.date(2024, 9, 3))
    assert (deadline.extension_days, deadline.due_on) == (20, dt.date(2024, 10, 8))
    # the extension counts from the day it was granted only
    assert selectors.next_deadline(candidate, dt.date(2024, 9, 1)).due_on == dt.date(2024, 9, 10)
    assert AuditEntry.objects.filter(object_type="admissions.deadlineextension").count() == 1


@pytest.mark.parametrize(
    ("step_kind", "working_days", "reason", "field", "code"),
    [
        ("decision", 31, "Lý do", "working_days", "admission.deadline_extension_max_working_days"),
        ("ceremony", 10, "Lý do", "step_kind", "no_deadline"),
        ("decision", 10, " ", "reason", "required"),
    ],
)
def test_extensions_beyond_the_rule_or_without_a_deadline_are_refused(
    users, candidate, step_kind, working_days, reason, field, code
):
    pass_branch(users.a1_manager, candidate)
    before = (DeadlineExtension.objects.count(), AuditEntry.objects.count())

    with pytest.raises(ValidationError) as excinfo:
        services.extend_deadline(
            actor=users.a1_manager,
            candidate=candidate,
            step_kind=step_kind,
            working_days=working_days,
            reason=reason,
            granted_on=COMMITTEE,
        )

    assert codes(excinfo.value) == {field: [code]}
    assert (DeadlineExtension.objects.count(), AuditEntry.objects.count()) == before


def test_extensions_of_one_deadline_add_up_to_the_maximum(users, candidate):
    pass_branch(users.a1_manager, candidate)
    extend = {
        "actor": users.a1_manager,
        "candidate": candidate,
        "step_kind": "decision",
        "reason": "Lý do",
        "granted_on": COMMITTEE,
    }
    services.extend_deadline(working_days=20, **extend)
    services.extend_deadline(working_days=10, **extend)

    with pytest.raises(ValidationError) as excinfo:
        services.extend_deadline(working_days=1, **extend)

    assert codes(excinfo.value) == {
        "working_days": ["admission.deadline_extension_max_working_days"]
    }


def test_deadline_list_takes_a_bounded_number_of_queries(
    tree, users, candidate, member, django_assert_max_num_queries
):
    pass_branch(users.a1_manager, candidate)
    for name in ("Mai", "Hoa", "Cúc", "Đào", "Huệ", "Lê"):
        other = start(
            users.a1_manager, make_candidate_person(tree.a1, given_name=name), tree.a1, member
        )
        AdmissionStep.objects.create(candidate=other, kind="referred_up", date=MEETING)

    with django_assert_max_num_queries(6):
        found = selectors.list_deadlines(user=users.a1_manager, as_of=MEETING)

    assert len(found) == 7
