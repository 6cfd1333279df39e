"""Member and staff pages: the access matrix, filters, forms, audit and query ceilings."""

import datetime as dt
import re

import pytest

from dangbo.core.models import AuditEntry
from dangbo.members import services
from dangbo.members.models import Member, MembershipEvent, Person
from tests.factories import make_person


@pytest.fixture
def other_member(tree, users):
    """Đỗ Văn Dũng, probationary member of the grassroots branch gb (another subtree)."""
    person = make_person(
        "Đỗ",
        "Văn",
        "Dũng",
        organization=tree.gb,
        date_of_birth=dt.date(1992, 3, 3),
        citizen_id="001092000077",
    )
    return services.admit_member(
        actor=users.root_manager,
        person=person,
        organization=tree.gb,
        decision_date=dt.date(2025, 1, 6),
        ceremony_date=dt.date(2025, 1, 20),
    )


def member_url(m):
    return f"/members/{m.pk}/"


# --- access matrix ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/members/",
        "/members/{member}/",
        "/members/people/",
        "/members/people/{person}/",
        "/members/{member}/edit/",
        "/members/people/new/",
        "/members/people/{person}/edit/",
    ],
)
def test_anonymous_is_sent_to_login(client, member, path):
    response = client.get(path.format(member=member.pk, person=member.person.pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


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
def test_member_page_access_matrix(login, users, member, username, status):
    response = login(getattr(users, username)).get(member_url(member))
    assert response.status_code == status
    if status == 404:
        assert "Không tìm thấy" in response.content.decode()


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("root_manager", 200),
        ("a1_manager", 200),
        ("gc_viewer", 302),
        ("a2_manager", 404),
        ("nobody", 404),
    ],
)
def test_person_page_access_matrix(login, users, tree, username, status):
    person = make_person("Hồ", "Thị", "Lan", organization=tree.a1, sex="female")
    response = login(getattr(users, username)).get(f"/members/people/{person.pk}/")
    # A member's person page redirects to the member page; Lan is not a member: 200.
    assert response.status_code == (200 if status == 302 else status)


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("a1_manager", 200),
        ("root_manager", 200),
        ("gc_viewer", 403),
        ("a2_manager", 404),
        ("statistician", 404),
    ],
)
def test_edit_pages_need_write_role(login, users, member, username, status):
    client = login(getattr(users, username))
    for path in (f"/members/{member.pk}/edit/", f"/members/people/{member.person.pk}/edit/"):
        assert client.get(path).status_code == status


def test_tampered_ids_are_404(login, users, member):
    client = login(users.root_manager)
    for path in (
        "/members/abc/",
        "/members/99999999/",
        "/members/people/x1/",
        "/members/1%27%20or%201=1/",
    ):
        assert client.get(path).status_code == 404


def test_member_list_shows_only_scope(login, users, member, other_member):
    body = login(users.a1_manager).get("/members/").content.decode()
    assert "Trần Thị Bình" in body
    assert "Đỗ Văn Dũng" not in body
    body = login(users.root_manager).get("/members/").content.decode()
    assert "Trần Thị Bình" in body and "Đỗ Văn Dũng" in body


def test_member_list_refused_to_statistician(login, users, member):
    response = login(users.statistician).get("/members/")
    assert response.status_code == 403
    assert "Trần Thị Bình" not in response.content.decode()


# --- list filters -----------------------------------------------------------------------------


def test_search_ignores_diacritics(login, users, member, other_member):
    client = login(users.root_manager)
    body = client.get("/members/", {"q": "tran thi binh"}).content.decode()
    assert "Trần Thị Bình" in body and "Đỗ Văn Dũng" not in body
    body = client.get("/members/", {"q": "do dung"}).content.decode()
    assert "Đỗ Văn Dũng" in body and "Trần Thị Bình" not in body
    body = client.get("/members/", {"q": "0791900"}).content.decode()  # citizen ID prefix
    assert "Trần Thị Bình" in body and "Đỗ Văn Dũng" not in body


def test_filters_by_status_sex_and_subtree(login, users, member, other_member, tree):
    client = login(users.root_manager)
    body = client.get("/members/", {"status": "probationary"}).content.decode()
    assert "Đỗ Văn Dũng" in body and "Trần Thị Bình" not in body
    body = client.get("/members/", {"sex": "female"}).content.decode()
    assert "Trần Thị Bình" in body and "Đỗ Văn Dũng" not in body
    body = client.get("/members/", {"organization": tree.gc.pk}).content.decode()
    assert "Trần Thị Bình" in body and "Đỗ Văn Dũng" not in body


def test_age_band_filter(login, users, member, other_member):
    # On 31/12/2025 Bình (born 4/7/1990) is 35, Dũng (born 3/3/1992) is 33: both 31–40.
    client = login(users.root_manager)
    body = client.get("/members/", {"age_band": "31-40", "as_of": "2025-12-31"}).content.decode()
    assert "Trần Thị Bình" in body and "Đỗ Văn Dũng" in body
    body = client.get("/members/", {"age_band": "18-30", "as_of": "2025-12-31"}).content.decode()
    assert "Trần Thị Bình" not in body and "Đỗ Văn Dũng" not in body
    # On 3/7/2020 Bình is 29 (one day before her birthday).
    body = client.get("/members/", {"age_band": "18-30", "as_of": "2020-07-03"}).content.decode()
    assert "Trần Thị Bình" in body


def test_as_of_before_admission_lists_nobody(login, users, member):
    body = login(users.root_manager).get("/members/", {"as_of": "2015-03-01"}).content.decode()
    assert "Trần Thị Bình" not in body


def test_bad_filter_values_give_messages_not_errors(login, users, member):
    client = login(users.root_manager)
    response = client.get(
        "/members/", {"status": "bogus", "as_of": "2019-02-30", "organization": "abc", "page": "zz"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ngày xem (as_of)" in body
    assert "Loại đảng viên" in body
    assert "Trần Thị Bình" in body


def test_out_of_scope_organization_filter_is_refused(login, users, member, tree):
    body = login(users.a1_manager).get("/members/", {"organization": tree.gb.pk}).content.decode()
    assert "không tìm thấy tổ chức này trong phạm vi" in body


def test_sorting_is_vietnamese(login, users, tree):
    for surname, given in (("Lê", "Đức"), ("Lê", "Dung"), ("Lê", "An"), ("Lê", "Ân")):
        person = make_person(surname, "Văn", given, organization=tree.a1)
        services.admit_member(
            actor=users.a1_manager,
            person=person,
            organization=tree.a1,
            decision_date=dt.date(2020, 1, 1),
        )
    body = login(users.a1_manager).get("/members/").content.decode()
    positions = [body.index(f"Lê Văn {g}") for g in ("An", "Ân", "Dung", "Đức")]
    assert positions == sorted(positions)
    body = login(users.a1_manager).get("/members/", {"ordering": "-name"}).content.decode()
    positions = [body.index(f"Lê Văn {g}") for g in ("Đức", "Dung", "Ân", "An")]
    assert positions == sorted(positions)


def test_member_list_query_count_does_not_grow(login, users, tree, django_assert_max_num_queries):
    for i in range(60):
        person = make_person("Ngô", "Văn", f"Tên{i:02d}", organization=tree.a1)
        services.admit_member(
            actor=users.a1_manager,
            person=person,
            organization=tree.a1,
            decision_date=dt.date(2020, 1, 1),
        )
    client = login(users.root_manager)
    with django_assert_max_num_queries(10):
        response = client.get("/members/", {"page_size": "100"})
    assert response.content.decode().count("Ngô Văn Tên") == 60


# --- member page ------------------------------------------------------------------------------


def test_member_page_shows_record_timeline_and_party_age(login, users, member):
    response = login(users.a1_manager).get(member_url(member), {"as_of": "2020-03-02"})
    body = response.content.decode()
    assert "Trần Thị Bình" in body
    assert "079190001234" in body
    assert "Quyết định kết nạp" in body and "Lễ kết nạp" in body
    assert "Công nhận đảng viên chính thức" in body
    assert "5 năm 0 tháng" in body
    assert "02/03/2015" in body


def test_member_page_view_is_audited(login, users, member):
    login(users.gc_viewer).get(member_url(member))
    entry = AuditEntry.objects.filter(action="view").get()
    assert entry.actor == users.gc_viewer
    assert entry.object_id == str(member.person.pk)
    assert entry.organization_id == member.periods.last().organization_id
    assert entry.request_id


def test_refused_member_page_is_not_audited_as_view(login, users, member):
    login(users.a2_manager).get(member_url(member))
    assert not AuditEntry.objects.filter(action="view").exists()


# --- forms ------------------------------------------------------------------------------------


def person_form_data(tree, **overrides):
    data = {
        "surname": "Lý",
        "middle_name": "Thị",
        "given_name": "Mai",
        "sex": "female",
        "date_of_birth": "15/08/1994",
        "citizen_id": "079194000321",
        "ethnicity": "1",
        "religion": "none",
        "general_education": "upper_secondary",
        "professional_level": "bachelor",
        "political_theory_level": "none",
        "organization": str(tree.a1.pk),
        "start_date": "2018-09-01",
    }
    from dangbo.members.models import Ethnicity

    data["ethnicity"] = str(Ethnicity.objects.get(code="01").pk)
    data.update(overrides)
    return data


def test_create_person_through_the_form(login, users, tree):
    response = login(users.a1_manager).post("/members/people/new/", person_form_data(tree))
    assert response.status_code == 302
    person = Person.objects.get(citizen_id="079194000321")
    assert person.date_of_birth == dt.date(1994, 8, 15)
    assert AuditEntry.objects.filter(action="create", object_type="members.person").count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"citizen_id": "079094000321"}, "chữ số thứ 4 phải là 1"),
        ({"date_of_birth": "31/02/1994"}, "Ngày sinh"),
        ({"date_of_birth": "01/01/2999"}, "không được sau ngày hôm nay"),
        ({"start_date": "2999-01-01"}, "Ngày bắt đầu công tác không được sau"),
        ({"given_name": ""}, "Tên"),
    ],
)
def test_create_person_form_refusals(login, users, tree, overrides, message):
    client = login(users.a1_manager)
    before = (Person.objects.count(), AuditEntry.objects.count())
    response = client.post("/members/people/new/", person_form_data(tree, **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert (Person.objects.count(), AuditEntry.objects.count()) == before


def test_create_person_in_another_branch_is_refused(login, users, tree):
    before = Person.objects.count()
    response = login(users.a1_manager).post(
        "/members/people/new/", person_form_data(tree, organization=str(tree.a2.pk))
    )
    assert response.status_code == 400
    assert Person.objects.count() == before


def test_viewer_cannot_create_people(login, users, tree):
    response = login(users.gc_viewer).post("/members/people/new/", person_form_data(tree))
    assert response.status_code == 403
    assert not Person.objects.filter(citizen_id="079194000321").exists()


def test_admission_form_then_ceremony_then_recognition(login, users, tree):
    person = make_person(
        "Hoàng", "Minh", "Tuấn", organization=tree.a1, date_of_birth=dt.date(1997, 4, 4)
    )
    client = login(users.a1_manager)
    response = client.post(
        f"/members/people/{person.pk}/admit/",
        {
            "organization": tree.a1.pk,
            "decision_date": "2023-02-01",
            "document_number": "12-QĐ/ĐU",
        },
    )
    assert response.status_code == 302
    member = Member.objects.get(person=person)
    response = client.post(f"/members/{member.pk}/ceremony/", {"ceremony_date": "2023-02-10"})
    assert response.status_code == 302
    form = client.get(f"/members/{member.pk}/recognize/").content.decode()
    assert "2024-02-10" in form  # proposed: the day 12 months end
    response = client.post(f"/members/{member.pk}/recognize/", {"effective_date": "2024-02-09"})
    assert response.status_code == 400
    assert "Chưa đủ 12 tháng dự bị" in response.content.decode()
    assert MembershipEvent.objects.filter(member=member).count() == 2
    response = client.post(f"/members/{member.pk}/recognize/", {"effective_date": "2024-02-10"})
    assert response.status_code == 302
    assert services.status_on(member, dt.date(2024, 2, 10)) == "full"


def test_ceremony_before_decision_in_form(login, users, tree):
    person = make_person(
        "Hoàng", "Minh", "Tuấn", organization=tree.a1, date_of_birth=dt.date(1997, 4, 4)
    )
    client = login(users.a1_manager)
    response = client.post(
        f"/members/people/{person.pk}/admit/",
        {
            "organization": tree.a1.pk,
            "decision_date": "2023-02-01",
            "ceremony_date": "2023-01-01",
        },
    )
    assert response.status_code == 400
    assert "Lễ kết nạp không được trước ngày quyết định kết nạp" in response.content.decode()
    assert not Member.objects.filter(person=person).exists()


def test_member_numbers_form(login, users, member):
    client = login(users.a1_manager)
    response = client.post(
        f"/members/{member.pk}/edit/",
        {"record_number": "1234", "card_number_old": "", "card_number": ""},
    )
    assert response.status_code == 400
    assert "6 chữ số" in response.content.decode()
    response = client.post(
        f"/members/{member.pk}/edit/",
        {"record_number": "654321HCM", "card_number_old": "87654321", "card_number": ""},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.record_number == "654321HCM"


def test_edit_person_form(login, users, member, tree):
    client = login(users.a1_manager)
    data = person_form_data(
        tree,
        surname="Trần",
        middle_name="Thị",
        given_name="Bình Minh",
        sex="female",
        date_of_birth="04/07/1990",
        citizen_id="079190001234",
    )
    response = client.post(f"/members/people/{member.person.pk}/edit/", data)
    assert response.status_code == 302
    member.person.refresh_from_db()
    assert member.person.given_name == "Bình Minh"


def test_organization_picker_lists_the_scope(login, users, member, tree):
    body = login(users.gc_viewer).get("/members/").content.decode()
    picker = re.search(r'<select[^>]*name="organization".*?</select>', body, re.S).group(0)
    assert f'<option value="{tree.a1.pk}"' in picker
    assert f'<option value="{tree.gb.pk}"' not in picker


def test_organization_picker_by_code_in_large_scopes(login, users, member, other_member, tree):
    body = login(users.root_manager).get("/members/", {"organization_code": "GB"}).content.decode()
    assert "Đỗ Văn Dũng" in body and "Trần Thị Bình" not in body
    body = login(users.a1_manager).get("/members/", {"organization_code": "GB"}).content.decode()
    assert "Đỗ Văn Dũng" not in body


def test_person_page_offers_member_development(login, users, tree):
    person = make_person("Hồ", "Thị", "Lan", organization=tree.a1, sex="female")
    body = login(users.a1_manager).get(f"/members/people/{person.pk}/").content.decode()
    assert f"/admissions/new/?person={person.pk}" in body
    body = login(users.gc_viewer).get(f"/members/people/{person.pk}/").content.decode()
    assert "/admissions/new/" not in body


def test_member_list_filters_of_the_statistics(login, users, member, tree):
    """The categories the statistics count by filter the list too (drill-down)."""
    client = login(users.root_manager)

    def names(**params):
        return client.get("/members/", params).content.decode()

    assert "Trần Thị Bình" in names(ethnicity="1", religion="none", occupation="")
    assert "Trần Thị Bình" not in names(ethnicity="minority")
    assert "Trần Thị Bình" not in names(religion="any")
    assert "Trần Thị Bình" not in names(political_theory_level="advanced_bachelor")
    assert "Trần Thị Bình" not in names(occupation="-", general_education="primary")
    body = names(ethnicity="nowhere", age_band="40-30")
    assert "Trần Thị Bình" in body  # invalid filters are reported and ignored
    assert body.count('class="msg msg-error"') == 2
