"""/api/admissions/…: candidates, one case, due steps, counts per stage and the eligibility dry
run; scoped like the web pages, personal data closed to statisticians."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from dangbo.admissions.models import AdmissionStep, RuleVerdict
from dangbo.core.models import AuditEntry
from tests.admissions.factories import (
    MEETING,
    make_candidate_person,
    make_full_member,
    pass_branch,
    prepare_dossier,
    start,
)
from tests.api.conftest import INVALID_ID, NO_PERSONAL_DATA, NO_ROLE, NOT_FOUND, NOT_SIGNED_IN

LIST = "/api/admissions/candidates/"
DUE = "/api/admissions/due/"
STAGES = "/api/admissions/stages/"
AS_OF = "2024-06-20"


def detail(pk) -> str:
    return f"/api/admissions/candidates/{pk}/"


def eligibility(pk) -> str:
    return f"/api/admissions/eligibility/{pk}/"


@pytest.fixture
def cases(tree, users, member):
    """Lan in a1 (branch passed on MEETING, 14/06/2024, 9 of 9 for) and Phạm Thị Mai in a2,
    started on 01/09/2023 with nothing more."""
    others = [make_full_member(tree.a1) for _ in range(8)]
    lan = start(users.a1_manager, make_candidate_person(tree.a1), tree.a1, member)
    prepare_dossier(users.a1_manager, lan, [member, others[0]])
    pass_branch(users.a1_manager, lan)
    helper_a2 = make_full_member(tree.a2)
    mai = start(
        users.a2_manager,
        make_candidate_person(tree.a2, given_name="Mai", citizen_id="079195009999"),
        tree.a2,
        helper_a2,
    )
    return SimpleNamespace(lan=lan, mai=mai)


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


# --- access -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", [LIST, DUE, STAGES, detail(1), eligibility(1)], ids=lambda u: u.split("/")[3]
)
def test_anonymous_gets_401(client, tree, url):
    response = client.get(url)

    assert response.status_code == 401
    assert response.json() == {"detail": NOT_SIGNED_IN}


@pytest.mark.parametrize("url", [LIST, DUE, STAGES], ids=lambda u: u.split("/")[3])
def test_user_without_role_gets_403(login, users, url):
    response = login(users.nobody).get(url)

    assert response.status_code == 403
    assert response.json() == {"detail": NO_ROLE if url == STAGES else NO_PERSONAL_DATA}


def test_statistician_gets_403_on_personal_endpoints_and_counts_on_stages(login, users, cases):
    client = login(users.statistician)

    for url in (LIST, DUE, detail(cases.lan.pk), eligibility(cases.lan.pk)):
        response = client.get(url)
        assert response.status_code == 403, url
        assert response.json() == {"detail": NO_PERSONAL_DATA}
    response = client.get(STAGES, {"as_of": AS_OF})
    assert response.status_code == 200
    assert response.json()["stages"] == {
        "dossier": 1,
        "awaiting_decision": 1,
        "awaiting_ceremony": 0,
        "probation": 0,
        "recognized": 0,
        "removed": 0,
        "withdrawn": 0,
    }


def test_other_branch_gets_404_on_detail_and_eligibility_and_sees_none_in_lists(
    login, users, cases
):
    client = login(users.a2_manager)

    assert client.get(detail(cases.lan.pk)).json() == NOT_FOUND
    assert client.get(detail(cases.lan.pk)).status_code == 404
    assert client.get(eligibility(cases.lan.pk)).status_code == 404
    assert ids(client.get(LIST, {"as_of": AS_OF})) == [cases.mai.pk]
    assert client.get(DUE, {"as_of": AS_OF}).json() == []
    stages = client.get(STAGES, {"as_of": AS_OF}).json()
    assert stages["stages"]["dossier"] == 1 and stages["stages"]["awaiting_decision"] == 0
    for url in (STAGES, LIST, DUE):
        response = client.get(url, {"organization": cases.lan.organization_id})
        assert response.status_code == 404, url


@pytest.mark.parametrize("url", ["/api/admissions/candidates/abc/", detail(0), eligibility("x")])
def test_bad_ids_get_404(login, users, url):
    assert login(users.root_manager).get(url).status_code == 404


# --- candidates -------------------------------------------------------------------------------


def test_list_with_exact_values_for_the_subtree(login, users, tree, cases):
    response = login(users.root_manager).get(LIST, {"as_of": AS_OF})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    lan = next(row for row in body["results"] if row["id"] == cases.lan.pk)
    assert lan == {
        "id": cases.lan.pk,
        "person": {"id": cases.lan.person_id, "name": "Phạm Thị Lan"},
        "organization": {"id": tree.a1.pk, "name": str(tree.a1)},
        "source": "youth_union",
        "helper": {"id": cases.lan.helper.person_id, "name": "Trần Thị Bình"},
        "started_on": "2023-09-01",
        "stage": "awaiting_decision",
    }


def test_list_filters_by_organization_stage_date_and_name(login, users, tree, cases):
    client = login(users.root_manager)

    assert ids(client.get(LIST, {"organization": tree.a2.pk})) == [cases.mai.pk]
    assert ids(client.get(LIST, {"stage": "awaiting_decision", "as_of": AS_OF})) == [cases.lan.pk]
    assert ids(client.get(LIST, {"stage": "dossier", "as_of": "2024-06-13"})) == sorted(
        [cases.lan.pk, cases.mai.pk], key=lambda pk: pk != cases.lan.pk
    )
    assert ids(client.get(LIST, {"as_of": "2023-08-31"})) == []
    assert ids(client.get(LIST, {"q": "mai"})) == [cases.mai.pk]


def test_a1_manager_sees_the_case_with_steps_votes_verdicts_and_deadline(login, users, cases):
    response = login(users.a1_manager).get(detail(cases.lan.pk), {"as_of": AS_OF})

    assert response.status_code == 200
    body = response.json()
    assert body["stage"] == "awaiting_decision"
    assert [s["kind"] for s in body["steps"]] == [
        "awareness_course",
        "application",
        "background",
        "verification",
        "introduction",
        "introduction",
        "opinions",
        "branch_resolution",
    ]
    branch = body["steps"][-1]
    assert branch["date"] == MEETING.isoformat()
    assert branch["resolution"] == {
        "eligible_members": 9,
        "present": 8,
        "votes_for": 8,
        "votes_against": 0,
        "passed": True,
    }
    stored = RuleVerdict.objects.filter(step__kind="branch_resolution")
    assert len(branch["verdicts"]) == stored.count() > 5
    age = next(v for v in branch["verdicts"] if v["rule_key"] == "admission.minimum_age_months")
    assert (
        age["outcome"] == "passed"
        and age["value"] == stored.get(rule_key="admission.minimum_age_months").value
    )
    assert age["rule"]["value"] == 216 and age["rule"]["source_document"]
    assert body["steps"][4]["introducer"]["name"] == "Trần Thị Bình"
    deadline = body["deadline"]
    assert deadline["step_kind"] == "decision" and deadline["working_days"] == 60
    assert deadline["starts_on"] == MEETING.isoformat() and deadline["overdue"] is False
    assert AuditEntry.objects.filter(action="view", object_id=str(cases.lan.person_id)).exists()


def test_detail_as_of_an_earlier_date_hides_later_steps(login, users, cases):
    body = login(users.a1_manager).get(detail(cases.lan.pk), {"as_of": "2024-01-20"}).json()

    assert [s["kind"] for s in body["steps"]] == ["awareness_course", "application"]
    assert body["stage"] == "dossier" and body["deadline"] is None


# --- due and stages ---------------------------------------------------------------------------


def test_due_lists_the_decision_and_marks_it_overdue_later(login, users, cases):
    client = login(users.root_manager)

    soon = client.get(DUE, {"as_of": AS_OF, "within_days": 120}).json()
    late = client.get(DUE, {"as_of": "2024-12-31", "within_days": 0}).json()
    none = client.get(DUE, {"as_of": AS_OF, "within_days": 5}).json()

    assert [(d["candidate"]["id"], d["step_kind"], d["overdue"]) for d in soon] == [
        (cases.lan.pk, "decision", False)
    ]
    assert [(d["candidate"]["id"], d["overdue"]) for d in late] == [(cases.lan.pk, True)]
    assert late[0]["due_on"] == soon[0]["due_on"]
    assert none == []


def test_stages_for_a_subtree_with_overdue_count(login, users, tree, cases):
    response = login(users.a1_manager).get(STAGES, {"as_of": "2024-12-31"})

    assert response.status_code == 200
    assert response.json() == {
        "organization": {"id": tree.a1.pk, "name": str(tree.a1)},
        "as_of": "2024-12-31",
        "stages": {
            "dossier": 0,
            "awaiting_decision": 1,
            "awaiting_ceremony": 0,
            "probation": 0,
            "recognized": 0,
            "removed": 0,
            "withdrawn": 0,
        },
        "overdue": 1,
    }


# --- eligibility --------------------------------------------------------------------------------


def test_eligibility_dry_run_records_nothing(login, users, cases):
    steps = AdmissionStep.objects.count()
    verdicts = RuleVerdict.objects.count()

    response = login(users.a2_manager).get(
        eligibility(cases.mai.pk), {"meeting_date": "2024-06-14"}
    )

    assert response.status_code == 200
    body = response.json()
    assert body["candidate"] == cases.mai.pk and body["meeting_date"] == "2024-06-14"
    assert body["eligible"] is False
    failed = {v["rule_key"] for v in body["verdicts"] if v["outcome"] == "failed"}
    assert "admission.certificate_max_age_months" in failed
    age = next(v for v in body["verdicts"] if v["rule_key"] == "admission.minimum_age_months")
    assert age["outcome"] == "passed" and age["rule"]["value"] == 216
    assert (AdmissionStep.objects.count(), RuleVerdict.objects.count()) == (steps, verdicts)


def test_eligibility_of_a_ready_dossier_passes(login, users, cases):
    body = (
        login(users.a1_manager)
        .get(eligibility(cases.lan.pk), {"meeting_date": "14/06/2024"})
        .json()
    )

    assert body["eligible"] is True
    assert {v["outcome"] for v in body["verdicts"]} == {"passed"}
    stored = RuleVerdict.objects.filter(step__kind="branch_resolution")
    # The stored verdicts of the meeting also hold the vote's, which the dry run does not judge.
    assert len(body["verdicts"]) == stored.exclude(rule_key="admission.vote_threshold").count()


# --- bad parameters ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "params", "field"),
    [
        (LIST, {"stage": "nowhere"}, "stage"),
        (LIST, {"organization": "x"}, "organization"),
        (LIST, {"as_of": "31-12-2019"}, "as_of"),
        (DUE, {"within_days": "-1"}, "within_days"),
        (DUE, {"within_days": "many"}, "within_days"),
        (STAGES, {"organization": "0"}, "organization"),
        ("eligibility", {"meeting_date": "2024-13-01"}, "meeting_date"),
    ],
)
def test_bad_parameters_get_400_naming_the_field(login, users, cases, url, params, field):
    if url == "eligibility":
        url = eligibility(cases.lan.pk)

    response = login(users.root_manager).get(url, params)

    assert response.status_code == 400
    assert list(response.json()) == [field]
    if field == "organization":
        assert response.json()[field] == [INVALID_ID]


# --- query counts -------------------------------------------------------------------------------


def test_query_counts_do_not_grow_with_the_cases(
    login, users, tree, cases, django_assert_max_num_queries
):
    client = login(users.root_manager)
    client.get(LIST)  # warm the session

    with django_assert_max_num_queries(8):
        client.get(LIST, {"as_of": AS_OF})
    with django_assert_max_num_queries(14):
        client.get(DUE, {"as_of": AS_OF})
    with django_assert_max_num_queries(14):
        client.get(STAGES, {"as_of": AS_OF})
    with django_assert_max_num_queries(25):
        client.get(detail(cases.lan.pk), {"as_of": AS_OF})


def test_detail_lists_the_transitions_the_procedure_allows(login, users, cases):
    client = login(users.a1_manager)
    # After the branch resolution: the committee's resolution may come, a new application not.
    lan = client.get(detail(cases.lan.pk), {"as_of": AS_OF}).json()["next_steps"]
    assert "committee_resolution" in lan
    assert "branch_resolution" not in lan and "ceremony" not in lan
    # A case just started: the dossier steps, not the resolutions.
    mai = login(users.a2_manager).get(detail(cases.mai.pk), {"as_of": AS_OF}).json()["next_steps"]
    assert "application" in mai
    assert "committee_resolution" not in mai and "decision" not in mai
