"""Admission pages: the access matrix, the board, the dossier, the forms walked end to end, a
refused step that changes nothing, the due list, the dashboard count and a query ceiling."""

import datetime as dt

import pytest

from dangbo.admissions.models import AdmissionStep, Candidate, DeadlineExtension, RuleException
from dangbo.core.models import AuditEntry
from dangbo.members.models import MembershipEvent
from tests.admissions.factories import (
    APPLICATION,
    BACKGROUND,
    CEREMONY,
    COMMITTEE,
    COURSE,
    DECISION,
    INTRODUCTIONS,
    MEETING,
    OPINIONS,
    STARTED,
    VERIFICATION,
    admit,
    make_candidate_person,
    pass_branch,
    prepare_dossier,
    start,
)


def state():
    return (
        Candidate.objects.count(),
        AdmissionStep.objects.count(),
        RuleException.objects.count(),
        DeadlineExtension.objects.count(),
        MembershipEvent.objects.count(),
        AuditEntry.objects.count(),
    )


def iso(day: dt.date) -> str:
    return day.isoformat()


# --- access matrix ----------------------------------------------------------------------------

PAGES = [
    "/admissions/",
    "/admissions/due/",
    "/admissions/{candidate}/",
    "/admissions/{candidate}/steps/new/",
    "/admissions/{candidate}/exceptions/new/",
    "/admissions/{candidate}/extensions/new/",
    "/admissions/new/?person={person}",
]


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_is_sent_to_login(client, candidate, path):
    person = make_candidate_person(candidate.organization, given_name="Hoa")

    response = client.get(path.format(candidate=candidate.pk, person=person.pk))

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("admin", 200),
        ("root_manager", 200),
        ("a1_manager", 200),
        ("gc_viewer", 200),
        ("a2_manager", 200),
        ("gb_manager", 200),
        ("statistician", 403),
        ("nobody", 403),
    ],
)
@pytest.mark.parametrize("path", ["/admissions/", "/admissions/due/"])
def test_board_and_due_list_access(login, users, candidate, username, status, path):
    response = login(getattr(users, username)).get(path)

    assert response.status_code == status


@pytest.mark.parametrize(
    ("username", "sees"),
    [
        ("a1_manager", True),
        ("gc_viewer", True),
        ("root_manager", True),
        ("a2_manager", False),
        ("gb_manager", False),
    ],
)
def test_board_lists_only_the_scope(login, users, candidate, username, sees):
    response = login(getattr(users, username)).get("/admissions/")

    rows = [c.pk for column in response.context["columns"] for c, _d in column["rows"]]
    assert rows == ([candidate.pk] if sees else [])
    assert ("Phạm Thị Lan" in response.content.decode()) is sees


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("admin", 200),
        ("root_manager", 200),
        ("a1_manager", 200),
        ("gc_viewer", 200),
        ("a2_manager", 404),
        ("gb_manager", 404),
        ("statistician", 404),
        ("nobody", 404),
    ],
)
def test_candidate_page_access(login, users, candidate, username, status):
    response = login(getattr(users, username)).get(f"/admissions/{candidate.pk}/")

    assert response.status_code == status


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("admin", 200),
        ("root_manager", 200),
        ("a1_manager", 200),
        ("gc_viewer", 403),
        ("a2_manager", 404),
        ("gb_manager", 404),
        ("statistician", 404),
        ("nobody", 404),
    ],
)
@pytest.mark.parametrize("action", ["steps", "exceptions", "extensions"])
def test_candidate_forms_access(login, users, candidate, username, status, action):
    client = login(getattr(users, username))
    before = state()

    get = client.get(f"/admissions/{candidate.pk}/{action}/new/")
    post = client.post(f"/admissions/{candidate.pk}/{action}/new/", {})

    assert get.status_code == status
    assert post.status_code == (400 if status == 200 else status)
    assert state() == before


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("admin", 200),
        ("a1_manager", 200),
        ("gc_viewer", 403),
        ("a2_manager", 404),
        ("gb_manager", 404),
        ("statistician", 404),
        ("nobody", 404),
    ],
)
def test_start_form_access(login, users, tree, username, status):
    person = make_candidate_person(tree.a1)

    response = login(getattr(users, username)).get(f"/admissions/new/?person={person.pk}")

    assert response.status_code == status


def test_missing_or_bad_ids_answer_404(login, users, candidate):
    client = login(users.a1_manager)

    assert client.get("/admissions/999999/").status_code == 404
    assert client.get("/admissions/abc/").status_code == 404
    assert client.get("/admissions/new/").status_code == 404
    assert client.get("/admissions/?organization=abc").status_code == 404
    assert (
        client.get(f"/admissions/?organization={candidate.organization.pk + 999}").status_code
        == 404
    )


# --- board ------------------------------------------------------------------------------------


def test_board_groups_by_stage_as_of_and_marks_overdue(login, users, tree, branch, candidate):
    pass_branch(users.a1_manager, candidate)
    other = start(
        users.a1_manager,
        make_candidate_person(tree.a1, given_name="Hoa"),
        tree.a1,
        branch.members[0],
    )
    client = login(users.a1_manager)

    before = client.get(f"/admissions/?as_of={iso(MEETING - dt.timedelta(days=1))}")
    after = client.get(f"/admissions/?as_of={iso(MEETING)}&organization={tree.a1.pk}")
    late = client.get("/admissions/?as_of=2024-12-31")

    def stages(response):
        return {
            column["stage"].value: [c.pk for c, _d in column["rows"]]
            for column in response.context["columns"]
            if column["rows"]
        }

    assert stages(before) == {
        "dossier": sorted(
            [candidate.pk, other.pk], key=lambda pk: Candidate.objects.get(pk=pk).person.sort_key
        )
    }
    assert stages(after) == {"dossier": [other.pk], "awaiting_decision": [candidate.pk]}
    counts = {c["stage"].value: c["count"] for c in after.context["columns"]}
    assert (counts["dossier"], counts["awaiting_decision"], counts["probation"]) == (1, 1, 0)
    assert after.context["overdue"] == 0
    assert late.context["overdue"] == 1
    assert 'class="badge msg-error overdue"' in late.content.decode()


def test_board_of_another_subtree_is_empty(login, users, tree, candidate):
    response = login(users.root_manager).get(f"/admissions/?organization={tree.gb.pk}")

    assert response.status_code == 200
    assert response.context["total"] == 0


def test_board_query_ceiling(login, users, tree, branch, candidate, django_assert_max_num_queries):
    pass_branch(users.a1_manager, candidate)
    for name in ("Hoa", "Mai", "Đào", "Cúc"):
        case = start(
            users.a1_manager,
            make_candidate_person(tree.a1, given_name=name),
            tree.a1,
            branch.members[0],
        )
        prepare_dossier(users.a1_manager, case, branch.introducers)
    client = login(users.root_manager)
    client.get("/admissions/")  # warm the session and the grants

    with django_assert_max_num_queries(14):
        response = client.get("/admissions/?as_of=2024-12-31")

    assert response.context["total"] == 5


# --- candidate page ---------------------------------------------------------------------------


def test_candidate_page_shows_the_dossier_votes_verdicts_and_deadline(login, users, candidate):
    pass_branch(users.a1_manager, candidate)
    client = login(users.gc_viewer)

    response = client.get(f"/admissions/{candidate.pk}/?as_of=2024-12-31")

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["stage"] == "awaiting_decision"
    assert [s.kind for s in response.context["steps"]][-1] == "branch_resolution"
    assert "Phạm Thị Lan" in html and "Trần Thị Bình" in html
    resolution = response.context["steps"][-1].resolution
    assert (resolution.eligible_members, resolution.present, resolution.votes_for) == (9, 8, 8)
    assert resolution.passed is True
    assert 'data-rule="admission.minimum_age_months" data-outcome="passed"' in html
    deadline = response.context["deadline"]
    assert (deadline.step_kind, deadline.starts_on, deadline.working_days) == (
        "decision",
        MEETING,
        60,
    )
    assert response.context["overdue"] is True
    assert response.context["can_write"] is False
    assert f"/admissions/{candidate.pk}/steps/new/" not in html


def test_candidate_page_query_ceiling(login, users, candidate, django_assert_max_num_queries):
    admit(users.a1_manager, candidate)
    client = login(users.a1_manager)
    client.get("/admissions/")  # warm the session and the grants

    with django_assert_max_num_queries(16):
        response = client.get(f"/admissions/{candidate.pk}/")

    assert response.context["stage"] == "probation"


def test_manager_sees_the_actions(login, users, candidate):
    response = login(users.a1_manager).get(f"/admissions/{candidate.pk}/")

    assert response.context["can_write"] is True
    assert f"/admissions/{candidate.pk}/steps/new/" in response.content.decode()


# --- forms ------------------------------------------------------------------------------------


def test_full_walk_through_the_forms(login, users, tree, branch):
    person = make_candidate_person(tree.a1)
    client = login(users.a1_manager)

    response = client.post(
        f"/admissions/new/?person={person.pk}",
        {
            "organization": tree.a1.pk,
            "source": "youth_union",
            "helper": branch.members[0].pk,
            "started_on": iso(STARTED),
            "notes": "Đoàn viên xuất sắc",
        },
    )
    assert response.status_code == 302
    candidate = Candidate.objects.get(person=person)
    assert response["Location"] == f"/admissions/{candidate.pk}/"
    assert (candidate.organization, candidate.helper, candidate.source) == (
        tree.a1,
        branch.members[0],
        "youth_union",
    )

    steps = [
        {"kind": "awareness_course", "date": iso(COURSE)},
        {"kind": "application", "date": iso(APPLICATION)},
        {"kind": "background", "date": iso(BACKGROUND)},
        {"kind": "verification", "date": iso(VERIFICATION), "conclusion": "Lý lịch rõ ràng"},
        {
            "kind": "introduction",
            "date": iso(INTRODUCTIONS),
            "introducer": branch.introducers[0].pk,
        },
        {
            "kind": "introduction",
            "date": iso(INTRODUCTIONS),
            "introducer": branch.introducers[1].pk,
        },
        {"kind": "opinions", "date": iso(OPINIONS)},
        {
            "kind": "branch_resolution",
            "date": iso(MEETING),
            "present": 8,
            "votes_for": 8,
            "votes_against": 0,
        },
        {
            "kind": "committee_resolution",
            "date": iso(COMMITTEE),
            "eligible_members": 9,
            "present": 9,
            "votes_for": 9,
            "votes_against": 0,
        },
        {"kind": "decision", "date": iso(DECISION), "document_number": "125-QĐ/ĐU"},
        {"kind": "ceremony", "date": iso(CEREMONY)},
    ]
    for data in steps:
        response = client.post(f"/admissions/{candidate.pk}/steps/new/", data)
        assert response.status_code == 302, (data, response.context["form"].errors)

    assert list(candidate.steps.order_by("date", "id").values_list("kind", flat=True)) == [
        s["kind"] for s in steps
    ]
    page = client.get(f"/admissions/{candidate.pk}/")
    assert page.context["stage"] == "probation"
    members = client.get("/members/")
    assert "Phạm Thị Lan" in members.content.decode()
    board = client.get("/admissions/")
    assert [c.pk for c, _d in board.context["columns"][3]["rows"]] == [candidate.pk]


def test_a_refused_step_changes_nothing(login, users, candidate):
    client = login(users.a1_manager)
    before = state()

    # Votes that exceed the members present.
    response = client.post(
        f"/admissions/{candidate.pk}/steps/new/",
        {
            "kind": "branch_resolution",
            "date": iso(MEETING),
            "present": 5,
            "votes_for": 7,
            "votes_against": 0,
        },
    )

    assert response.status_code == 400
    assert response.context["form"].errors
    assert 'class="msg msg-error"' in response.content.decode()
    assert state() == before


def test_a_step_out_of_order_is_refused_on_the_form(login, users, candidate):
    client = login(users.a1_manager)
    before = state()

    response = client.post(
        f"/admissions/{candidate.pk}/steps/new/", {"kind": "ceremony", "date": iso(MEETING)}
    )

    assert response.status_code == 400
    assert response.context["form"].errors
    assert state() == before


def test_resolution_needs_its_votes(login, users, candidate):
    client = login(users.a1_manager)
    before = state()

    response = client.post(
        f"/admissions/{candidate.pk}/steps/new/",
        {"kind": "branch_resolution", "date": iso(MEETING)},
    )

    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"present", "votes_for", "votes_against"}
    assert state() == before


def test_introducer_out_of_scope_is_refused(login, users, tree, candidate):
    from tests.admissions.factories import make_full_member

    stranger = make_full_member(tree.gb)
    client = login(users.a1_manager)
    before = state()

    response = client.post(
        f"/admissions/{candidate.pk}/steps/new/",
        {"kind": "introduction", "date": iso(INTRODUCTIONS), "introducer": stranger.pk},
    )

    assert response.status_code == 400
    assert "introducer" in response.context["form"].errors
    assert state() == before


def test_union_committee_introduction(login, users, tree, branch):
    case = start(users.a1_manager, make_candidate_person(tree.a1), tree.a1, branch.members[0])
    client = login(users.a1_manager)
    for kind, day in (
        ("awareness_course", COURSE),
        ("application", APPLICATION),
        ("background", BACKGROUND),
    ):
        client.post(f"/admissions/{case.pk}/steps/new/", {"kind": kind, "date": iso(day)})
    client.post(
        f"/admissions/{case.pk}/steps/new/", {"kind": "verification", "date": iso(VERIFICATION)}
    )

    response = client.post(
        f"/admissions/{case.pk}/steps/new/",
        {
            "kind": "introduction",
            "date": iso(INTRODUCTIONS),
            "union_committee": "youth_union",
            "resolution_number": "12-NQ/ĐTN",
        },
    )

    assert response.status_code == 302, response.context["form"].errors
    step = case.steps.get(kind="introduction")
    assert (step.introduction.union_committee, step.introduction.resolution_number) == (
        "youth_union",
        "12-NQ/ĐTN",
    )


def test_start_refused_for_a_member_changes_nothing(login, users, tree, member, branch):
    client = login(users.a1_manager)
    before = state()

    response = client.post(
        f"/admissions/new/?person={member.person.pk}",
        {
            "organization": tree.a1.pk,
            "source": "youth_union",
            "helper": branch.members[1].pk,
            "started_on": iso(STARTED),
        },
    )

    assert response.status_code == 400
    assert response.context["form"].errors
    assert state() == before


def test_record_exception(login, users, candidate):
    response = login(users.a1_manager).post(
        f"/admissions/{candidate.pk}/exceptions/new/",
        {
            "rule_key": "admission.maximum_age_months",
            "document_number": "45-CV/TU",
            "approved_on": iso(OPINIONS),
        },
    )

    assert response.status_code == 302
    exception = candidate.rule_exceptions.get()
    assert (exception.rule_key, exception.document_number) == (
        "admission.maximum_age_months",
        "45-CV/TU",
    )


def test_extend_deadline_moves_the_due_date(login, users, candidate):
    pass_branch(users.a1_manager, candidate)
    client = login(users.a1_manager)
    due_before = client.get(f"/admissions/{candidate.pk}/").context["deadline"].due_on

    response = client.post(
        f"/admissions/{candidate.pk}/extensions/new/",
        {
            "step_kind": "decision",
            "working_days": 10,
            "reason": "Chờ xác minh",
            "granted_on": "2024-08-01",
        },
    )

    assert response.status_code == 302, response.context["form"].errors
    deadline = client.get(f"/admissions/{candidate.pk}/").context["deadline"]
    assert deadline.extension_days == 10
    assert deadline.due_on > due_before


def test_extension_beyond_the_rule_is_refused(login, users, candidate):
    pass_branch(users.a1_manager, candidate)
    client = login(users.a1_manager)
    before = state()

    response = client.post(
        f"/admissions/{candidate.pk}/extensions/new/",
        {"step_kind": "decision", "working_days": 31, "reason": "Chờ", "granted_on": "2024-08-01"},
    )

    assert response.status_code == 400
    assert state() == before


# --- due list and dashboard -------------------------------------------------------------------


def test_due_list_has_due_and_overdue_steps(login, users, candidate):
    pass_branch(users.a1_manager, candidate)
    client = login(users.gc_viewer)

    due = client.get("/admissions/due/?as_of=2024-08-20")
    late = client.get("/admissions/due/?as_of=2024-12-31")
    elsewhere = login(users.gb_manager).get("/admissions/due/?as_of=2024-12-31")

    assert [d.candidate.pk for d in due.context["due"]] == [candidate.pk]
    assert due.context["overdue"] == []
    assert late.context["due"] == []
    assert [d.candidate.pk for d in late.context["overdue"]] == [candidate.pk]
    assert elsewhere.context["overdue"] == [] and elsewhere.context["due"] == []


def test_dashboard_shows_the_overdue_count(login, users, tree, candidate):
    pass_branch(users.a1_manager, candidate)

    mine = login(users.root_manager).get("/?as_of=2024-12-31")
    other = login(users.gb_manager).get("/?as_of=2024-12-31")

    assert mine.context["admissions_overdue"] == 1
    assert "/admissions/due/" in mine.content.decode()
    assert other.context["admissions_overdue"] == 0


def test_statistician_sees_the_count_without_the_link(login, users, candidate):
    pass_branch(users.a1_manager, candidate)

    response = login(users.statistician).get("/?as_of=2024-12-31")

    assert response.context["admissions_overdue"] == 1
    assert "/admissions/due/" not in response.content.decode()


def test_nav_link_only_with_personal_scope(login, users, candidate):
    assert 'href="/admissions/"' in login(users.a1_manager).get("/").content.decode()
    assert 'href="/admissions/"' not in login(users.statistician).get("/").content.decode()


def test_admitted_candidate_is_on_the_board_in_probation(login, users, candidate):
    admit(users.a1_manager, candidate)

    response = login(users.a1_manager).get("/admissions/?as_of=2024-12-31")

    counts = {c["stage"].value: c["count"] for c in response.context["columns"]}
    assert counts["probation"] == 1
