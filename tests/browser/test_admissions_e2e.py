"""End to end, in headless Chromium: a branch manager takes a staff member from candidate to
member through the admission forms, watches the board, is refused votes that do not add up,
finds the new member, with the admission decision in the member's history, and, the 12 months of
probation past (the ceremony was on 01/08/2024), has her recognized as a full member."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from dangbo.admissions.models import AdmissionStep, Candidate
from dangbo.core.dates import today
from dangbo.members.models import MembershipEvent, MembershipEventKind, MemberStatus
from tests.admissions.factories import (
    APPLICATION,
    BACKGROUND,
    CEREMONY,
    COMMITTEE,
    COURSE,
    DECISION,
    INTRODUCTIONS,
    MEETING,
    NEW_MEMBER_CLASS,
    OPINIONS,
    PROBATION_ENDS,
    STARTED,
    VERIFICATION,
    make_candidate_person,
    make_full_member,
)

pytestmark = [
    pytest.mark.browser,
    # serialized_rollback: the migrated rules (ages, thresholds, deadlines) and ethnicities, which
    # the previous transactional test's flush removed.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("audit_log_flushable"),
]


# After the 12 months of probation (ceremony 01/08/2024, ended 01/08/2025), within the 30
# working days the branch has to review it, and all in the past of any day the suite runs.
RECOGNITION_REVIEW = dt.date(2025, 8, 5)
RECOGNITION = dt.date(2025, 8, 20)


def iso(day: dt.date) -> str:
    return day.isoformat()


@pytest.fixture
def branch(tree, member):
    """Branch a1 with nine full members: Bình (the ``member`` fixture) and eight more."""
    others = [make_full_member(tree.a1) for _ in range(8)]
    return [member, *others]


def record_step(page, url: str, kind: str, day: dt.date, **fields) -> None:
    """Fill the step form: the kind, the date, then the extra fields by their ids."""
    page.goto(url)
    page.select_option("#id_kind", kind)
    page.fill("#id_date", iso(day))
    for name, value in fields.items():
        page.fill(f"#id_{name}", str(value))
    with page.expect_navigation():
        page.click("#main form.card button[type=submit]")


def stage(page) -> str:
    return page.locator("#stage").get_attribute("data-stage")


def board_stage_of(page, live_server, candidate_pk: int) -> str:
    """The board column (stage) whose table lists the candidate."""
    page.goto(live_server.url + reverse("admissions:board"))
    row = page.locator(f'section[id^="stage-"]:has(tr[data-candidate="{candidate_pk}"])')
    assert row.count() == 1, page.content()
    return row.get_attribute("id").removeprefix("stage-")


def test_branch_manager_walks_a_candidate_to_membership(log_in, live_server, users, tree, branch):
    person = make_candidate_person(tree.a1)  # Phạm Thị Lan, on a1's staff, not a member
    helper, introducers = branch[0], branch[:2]

    # given a1's manager, logged in through the form
    page = log_in(users.a1_manager.username)

    # when starting the candidate from the person
    page.goto(live_server.url + reverse("admissions:candidate_create") + f"?person={person.pk}")
    page.select_option("#id_organization", str(tree.a1.pk))
    page.select_option("#id_source", "youth_union")
    page.fill("#id_helper", str(helper.pk))
    page.fill("#id_started_on", iso(STARTED))
    page.fill("#id_notes", "Đoàn viên xuất sắc")
    with page.expect_navigation():
        page.click("#main form.card button[type=submit]")

    # then the dossier page, in the first stage, with the helper
    candidate = Candidate.objects.get(person=person)
    detail = live_server.url + reverse("admissions:candidate_detail", args=[candidate.pk])
    steps_url = live_server.url + reverse("admissions:step_create", args=[candidate.pk])
    assert page.url == detail
    assert stage(page) == "dossier"
    assert page.locator("#helper").inner_text() == "Trần Thị Bình"
    assert board_stage_of(page, live_server, candidate.pk) == "dossier"

    # when recording the dossier, step by step
    record_step(page, steps_url, "awareness_course", COURSE)
    record_step(page, steps_url, "application", APPLICATION)
    record_step(page, steps_url, "background", BACKGROUND)
    record_step(page, steps_url, "verification", VERIFICATION, conclusion="Lý lịch rõ ràng")
    for introducer in introducers:
        record_step(page, steps_url, "introduction", INTRODUCTIONS, introducer=introducer.pk)
    record_step(page, steps_url, "opinions", OPINIONS)

    # then every paper is on the page, and the case is still being prepared
    assert page.url == detail
    assert stage(page) == "dossier"
    assert page.locator("#steps li[data-step]").count() == 7
    assert page.locator('#steps li[data-step="introduction"]').count() == 2

    # when the branch resolution has more votes than members present
    before = AdmissionStep.objects.count()
    page.goto(steps_url)
    page.select_option("#id_kind", "branch_resolution")
    page.fill("#id_date", iso(MEETING))
    page.fill("#id_present", "5")
    page.fill("#id_votes_for", "7")
    page.fill("#id_votes_against", "0")
    with page.expect_navigation():
        page.click("#main form.card button[type=submit]")

    # then the form again, the error on the field, nothing saved, the stage unchanged
    assert page.url == steps_url
    assert page.get_by_role("alert").is_visible()
    error = page.locator("#id_votes_for-errors").inner_text()
    assert "7" in error and "5" in error, error
    assert page.locator("#id_present").input_value() == "5"
    assert AdmissionStep.objects.count() == before
    page.goto(detail)
    assert stage(page) == "dossier"
    assert page.locator('#steps li[data-step="branch_resolution"]').count() == 0

    # when the branch resolution passes, with the right votes
    record_step(
        page, steps_url, "branch_resolution", MEETING, present=8, votes_for=8, votes_against=0
    )

    # then it waits for the decision, with the votes and the rule verdicts shown
    assert stage(page) == "awaiting_decision"
    votes = page.locator('#steps li[data-step="branch_resolution"] .votes').inner_text()
    assert "9" in votes and "8" in votes, votes
    verdict = page.locator('tr[data-rule="admission.minimum_age_months"]').first
    assert verdict.get_attribute("data-outcome") == "passed"
    assert board_stage_of(page, live_server, candidate.pk) == "awaiting_decision"

    # when the committee resolves and the competent level decides
    record_step(
        page,
        steps_url,
        "committee_resolution",
        COMMITTEE,
        eligible_members=9,
        present=9,
        votes_for=9,
        votes_against=0,
    )
    record_step(page, steps_url, "decision", DECISION, document_number="125-QĐ/ĐU")

    # then it waits for the ceremony
    assert stage(page) == "awaiting_ceremony"
    assert board_stage_of(page, live_server, candidate.pk) == "awaiting_ceremony"

    # when the ceremony is held
    record_step(page, steps_url, "ceremony", CEREMONY)

    # then probation, and the steps in the order of the procedure
    assert stage(page) == "probation"
    assert [li.get_attribute("data-step") for li in page.locator("#steps li[data-step]").all()] == [
        "awareness_course",
        "application",
        "background",
        "verification",
        "introduction",
        "introduction",
        "opinions",
        "branch_resolution",
        "committee_resolution",
        "decision",
        "ceremony",
    ]
    assert board_stage_of(page, live_server, candidate.pk) == "probation"

    # when searching the member list without accents
    page.goto(live_server.url + reverse("members:member_list"))
    page.fill("input[name=q]", "pham thi lan")
    with page.expect_navigation():
        page.press("input[name=q]", "Enter")

    # then only the new member is listed
    rows = page.locator("table tbody tr")
    assert rows.count() == 1
    link = rows.get_by_role("link", name="Phạm Thị Lan")

    # when opening her record
    with page.expect_navigation():
        link.click()

    # then the admission decision is in her membership history, with its number and date
    new_member = MembershipEvent.objects.get(
        member__person=person, kind=MembershipEventKind.ADMISSION_DECISION
    ).member
    assert page.url.startswith(
        live_server.url + reverse("members:member_detail", args=[new_member.pk])
    )
    assert "Phạm Thị Lan" in page.locator("h1").inner_text()
    with translation.override("vi"):
        decision_label = str(MembershipEventKind.ADMISSION_DECISION.label)
    timeline = page.locator("ol.timeline li").all_inner_texts()
    assert any(
        DECISION.strftime("%d/%m/%Y") in line and decision_label in line and "125-QĐ/ĐU" in line
        for line in timeline
    ), timeline

    # when, probation over, the branch reviews her and the committee recognizes her
    assert today() > RECOGNITION > RECOGNITION_REVIEW > PROBATION_ENDS
    record_step(page, steps_url, "new_member_class", NEW_MEMBER_CLASS)
    record_step(page, steps_url, "recognition_review", RECOGNITION_REVIEW)
    record_step(page, steps_url, "recognition", RECOGNITION, document_number="301-QĐ/ĐU")

    # then the case is closed as recognized, on the dossier and on the board
    assert page.url == detail
    assert stage(page) == "recognized"
    assert [li.get_attribute("data-step") for li in page.locator("#steps li[data-step]").all()][
        -3:
    ] == ["new_member_class", "recognition_review", "recognition"]
    assert board_stage_of(page, live_server, candidate.pk) == "recognized"

    # and her record shows a full member since the end of probation, with the decision
    page.goto(live_server.url + reverse("members:member_detail", args=[new_member.pk]))
    badge = page.locator("h1 .badge")
    with translation.override("vi"):
        full_label = str(MemberStatus.FULL.label)
        recognition_label = str(MembershipEventKind.RECOGNITION.label)
    assert "badge-full" in badge.get_attribute("class")
    assert badge.inner_text() == full_label
    timeline = page.locator("ol.timeline li").all_inner_texts()
    assert any(
        PROBATION_ENDS.strftime("%d/%m/%Y") in line
        and recognition_label in line
        and "301-QĐ/ĐU" in line
        for line in timeline
    ), timeline
