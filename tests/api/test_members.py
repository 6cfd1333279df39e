"""/api/members/: personal data, for roles that may see it, within their subtree; reads audited."""

from __future__ import annotations

import pytest

from dangbo.core.dates import full_months_between, today
from dangbo.core.models import AuditAction, AuditEntry
from dangbo.members.models import Member
from tests.api.conftest import (
    INVALID_ID,
    NO_PERSONAL_DATA,
    NOT_FOUND,
    NOT_SIGNED_IN,
    bad_as_of,
)
from tests.conftest import ADMITTED

LIST = "/api/members/"


def detail(member) -> str:
    return f"/api/members/{member.pk}/"


def names(response) -> list[str]:
    return [row["full_name"] for row in response.json()["results"]]


def views_audited() -> int:
    return AuditEntry.objects.filter(action=AuditAction.VIEW).count()


def expected_row(member, tree, **changes) -> dict:
    row = {
        "id": member.pk,
        "full_name": "Trần Thị Bình",
        "surname": "Trần",
        "middle_name": "Thị",
        "given_name": "Bình",
        "sex": "female",
        "date_of_birth": "1990-07-04",
        "citizen_id": "079190001234",
        "status": "full",
        "organization": {"id": tree.a1.pk, "code": "A1", "name": "Chi bộ Phòng 1"},
        "party_age_months": 60,
        "record_number": "",
        "card_number": "",
        "card_number_old": "",
    }
    return {**row, **changes}


# --- Access -----------------------------------------------------------------------------------


def test_anonymous_gets_401(client, member):
    for response in (client.get(LIST), client.get(detail(member))):
        assert response.status_code == 401
        assert response.json() == {"detail": NOT_SIGNED_IN}


@pytest.mark.parametrize("username", ["nobody", "statistician"])
def test_users_without_a_personal_data_role_get_403(login, users, member, username):
    client = login(getattr(users, username))

    list_response = client.get(LIST)
    detail_response = client.get(detail(member))

    for response in (list_response, detail_response):
        assert response.status_code == 403
        assert response.json() == {"detail": NO_PERSONAL_DATA}
    assert views_audited() == 0


@pytest.mark.parametrize("username", ["a2_manager", "gb_manager"])
def test_other_branches_do_not_see_the_member(login, users, member, username):
    client = login(getattr(users, username))

    list_response = client.get(LIST)
    detail_response = client.get(detail(member))

    assert list_response.status_code == 200
    assert list_response.json() == {"count": 0, "next": None, "previous": None, "results": []}
    assert detail_response.status_code == 404
    assert detail_response.json() == NOT_FOUND
    assert views_audited() == 0


@pytest.mark.parametrize("username", ["a1_manager", "gc_viewer", "root_manager", "admin"])
def test_roles_on_the_subtree_list_the_member_with_exact_values(
    login, users, tree, member, username
):
    response = login(getattr(users, username)).get(LIST, {"as_of": "2020-03-02"})

    assert response.status_code == 200
    assert response.json() == {
        "count": 1,
        "next": None,
        "previous": None,
        "results": [expected_row(member, tree)],
    }


def test_detail_has_the_record_and_the_events(login, users, tree, member):
    Member.objects.filter(pk=member.pk).update(
        record_number="123456HCM", card_number="790000001234", card_number_old="12345678"
    )

    response = login(users.gc_viewer).get(detail(member), {"as_of": "2020-03-02"})

    a1 = {"id": tree.a1.pk, "code": "A1", "name": "Chi bộ Phòng 1"}
    assert response.status_code == 200
    assert response.json() == {
        **expected_row(
            member,
            tree,
            record_number="123456HCM",
            card_number="790000001234",
            card_number_old="12345678",
        ),
        "events": [
            {
                "kind": "admission_decision",
                "date": "2015-03-02",
                "organization": a1,
                "document_number": "15-QĐ/ĐU",
            },
            {"kind": "ceremony", "date": "2015-03-20", "organization": a1, "document_number": ""},
            {
                "kind": "recognition",
                "date": "2016-03-20",
                "organization": a1,
                "document_number": "",
            },
        ],
    }


def test_detail_as_of_probation_and_before_admission(login, users, tree, member):
    client = login(users.a1_manager)

    probation = client.get(detail(member), {"as_of": "01/06/2015"}).json()
    before = client.get(detail(member), {"as_of": "2015-03-01"}).json()

    assert (probation["status"], probation["party_age_months"]) == ("probationary", 2)
    assert probation["organization"]["code"] == "A1"
    assert (before["status"], before["organization"], before["party_age_months"]) == (
        "not_member",
        None,
        0,
    )


def test_list_holds_members_registered_on_as_of(login, users, member):
    client = login(users.a1_manager)

    before = client.get(LIST, {"as_of": "2015-03-01"})
    probation = client.get(LIST, {"as_of": "2015-06-01"})

    assert before.json()["count"] == 0
    assert [(r["status"], r["party_age_months"]) for r in probation.json()["results"]] == [
        ("probationary", 2)
    ]


# --- Audit ------------------------------------------------------------------------------------


def test_detail_read_writes_an_audit_row(login, users, tree, member):
    response = login(users.root_manager).get(detail(member))

    assert response.status_code == 200
    entry = AuditEntry.objects.get(action=AuditAction.VIEW)
    assert (
        entry.actor,
        entry.actor_name,
        entry.object_type,
        entry.object_id,
        entry.object_repr,
        entry.organization,
        entry.path,
        entry.request_id,
    ) == (
        users.root_manager,
        "root_manager",
        "members.person",
        str(member.person.pk),
        "Trần Thị Bình",
        tree.a1,
        detail(member),
        response["X-Request-ID"],
    )


def test_list_and_refused_reads_write_no_audit_row(login, users, member):
    login(users.root_manager).get(LIST)
    login(users.root_manager).get(detail(member), {"as_of": "bad"})

    assert views_audited() == 0


# --- Filters and ordering ---------------------------------------------------------------------


def test_filters(login, users, tree, member, more_members):
    client = login(users.root_manager)

    def listed(**params) -> list[str]:
        return names(client.get(LIST, {"as_of": "2020-03-02", **params}))

    assert listed() == [
        "Nguyễn Văn An",
        "Trần Thị Bình",
        "Lê Thị Cúc",
        "Phạm Minh Đức",
        "Võ Thanh Hà",
        "Đỗ Quang Khải",
    ]
    assert listed(organization=tree.a2.pk) == ["Võ Thanh Hà", "Đỗ Quang Khải"]
    assert listed(organization=tree.gb.pk) == []
    assert listed(status="probationary") == ["Đỗ Quang Khải"]
    assert listed(sex="female") == ["Trần Thị Bình"]
    assert listed(age_band="18-30") == ["Trần Thị Bình", "Lê Thị Cúc", "Đỗ Quang Khải"]
    assert listed(age_band="31-40") == ["Nguyễn Văn An", "Võ Thanh Hà"]
    assert listed(age_band="41-50") == ["Phạm Minh Đức"]
    assert listed(political_theory_level="none", q="duc") == ["Phạm Minh Đức"]
    assert listed(q="079190") == ["Trần Thị Bình"]
    assert listed(q="thi") == ["Trần Thị Bình", "Lê Thị Cúc"]


def test_orderings(login, users, member, more_members):
    client = login(users.root_manager)

    by_birth = names(client.get(LIST, {"ordering": "birth"}))
    by_name_desc = names(client.get(LIST, {"ordering": "-name"}))

    assert by_birth == [
        "Phạm Minh Đức",
        "Nguyễn Văn An",
        "Võ Thanh Hà",
        "Trần Thị Bình",
        "Lê Thị Cúc",
        "Đỗ Quang Khải",
    ]
    assert by_name_desc == [
        "Đỗ Quang Khải",
        "Võ Thanh Hà",
        "Phạm Minh Đức",
        "Lê Thị Cúc",
        "Trần Thị Bình",
        "Nguyễn Văn An",
    ]


def test_age_band_71_plus_survives_an_unencoded_plus(login, users, member):
    client = login(users.root_manager)

    encoded = client.get(LIST, {"age_band": "71+"})
    unencoded = client.get(LIST + "?age_band=71+")

    assert (encoded.status_code, encoded.json()["count"]) == (200, 0)
    assert (unencoded.status_code, unencoded.json()["count"]) == (200, 0)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"as_of": "2020-02-30"}, bad_as_of("2020-02-30")),
        ({"organization": "A1"}, {"organization": [INVALID_ID]}),
        (
            {"status": "not_member"},
            {
                "status": [
                    "“not_member” không phải là giá trị hợp lệ; hãy chọn một trong: "
                    "probationary, full."
                ]
            },
        ),
        (
            {"ordering": "age"},
            {
                "ordering": [
                    "“age” không phải là giá trị hợp lệ; hãy chọn một trong: "
                    "name, -name, birth, -birth."
                ]
            },
        ),
        (
            {"sex": "x", "age_band": "10-20"},
            {
                "sex": ["“x” không phải là giá trị hợp lệ; hãy chọn một trong: male, female."],
                "age_band": [
                    "“10-20” không phải là giá trị hợp lệ; hãy chọn một trong: "
                    "18-30, 31-40, 41-50, 51-60, 61-70, 71+."
                ],
            },
        ),
    ],
)
def test_bad_filter_values_are_400_naming_the_field(login, users, member, params, expected):
    response = login(users.root_manager).get(LIST, params)

    assert response.status_code == 400
    assert response.json() == expected


@pytest.mark.parametrize("pk", ["abc", "0", "1e3", "99999999999999999999999"])
def test_bad_ids_are_404(login, users, member, pk):
    response = login(users.root_manager).get(f"/api/members/{pk}/")

    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_missing_member_is_404_like_an_out_of_scope_one(login, users, member):
    response = login(users.root_manager).get(f"/api/members/{member.pk + 1000}/")

    assert response.status_code == 404
    assert response.json() == NOT_FOUND


# --- Queries ----------------------------------------------------------------------------------


def test_list_queries_do_not_grow_with_rows(
    login, users, member, more_members, django_assert_max_num_queries
):
    client = login(users.root_manager)

    # Session, user, role check, grants, count, page (person and organization joined), periods.
    with django_assert_max_num_queries(7):
        response = client.get(LIST)

    assert response.json()["count"] == 6
    assert {row["status"] for row in response.json()["results"]} == {"full", "probationary"}


def test_detail_queries_are_bounded(login, users, member, django_assert_max_num_queries):
    client = login(users.root_manager)

    # Session, user, role check; the member with periods, events and their organizations
    # (get_member's prefetches); where the member belongs now; the audit row.
    with django_assert_max_num_queries(11):
        response = client.get(detail(member))

    assert response.status_code == 200


def test_as_of_is_today_by_default(login, users, member):
    response = login(users.a1_manager).get(detail(member), {"as_of": ""})

    assert response.json()["status"] == "full"
    assert response.json()["party_age_months"] == full_months_between(ADMITTED, today())
