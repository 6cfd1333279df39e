"""The term pages: the list, one term, and the forms to add a term and set a target."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from dangbo.targets.models import Target, Term
from tests.targets.conftest import END, MIDTERM, START, counts

LIST = "/terms/"
NEW = "/terms/new/"
AS_OF = {"as_of": MIDTERM.isoformat()}


def detail(term) -> str:
    return f"/terms/{term.pk}/"


def target_url(term) -> str:
    return f"/terms/{term.pk}/target/"


def rows(response) -> list[tuple[str, str]]:
    """(data-term, data-org) of the table rows."""
    return re.findall(r'<tr data-term="(\d+)" data-org="(\d+)">', response.content.decode())


def field_errors(response, name: str) -> list[str]:
    body = response.content.decode()
    match = re.search(rf'<ul class="errorlist" id="id_{name}-errors">(.*?)</ul>', body, re.S)
    return re.findall(r"<li>(.*?)</li>", match.group(1)) if match else []


@pytest.fixture
def a2_term(tree):
    return Term.objects.create(
        organization=tree.a2, name="Nhiệm kỳ Chi bộ Phòng 2", starts_on=START, ends_on=END
    )


@pytest.fixture
def gc_term(tree):
    return Term.objects.create(
        organization=tree.gc, name="Nhiệm kỳ Đảng bộ Sở A", starts_on=START, ends_on=END
    )


# --- Access ---------------------------------------------------------------------------------------

PAGES = {
    "list": lambda term: LIST,
    "detail": lambda term: detail(term),
    "new": lambda term: NEW,
    "target": lambda term: target_url(term),
}


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_is_sent_to_login(client, term, page):
    response = client.get(PAGES[page](term))

    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/terms/")


@pytest.mark.parametrize(
    ("username", "term_of", "status"),
    [
        ("nobody", "root", 404),
        ("a1_manager", "a2", 404),  # another branch's term
        ("gb_manager", "gc", 404),  # another grassroots organization's term
        ("a1_manager", "root", 200),  # the committee's term applies to the branch
        ("a1_manager", "a1", 200),
        ("gc_viewer", "gc", 200),
        ("statistician", "a2", 200),
        ("root_manager", "a2", 200),
        ("admin", "a2", 200),
    ],
)
def test_detail_access_matrix(tree, users, login, username, term_of, status):
    term = Term.objects.create(
        organization=getattr(tree, term_of), name="Nhiệm kỳ", starts_on=START, ends_on=END
    )

    response = login(getattr(users, username)).get(detail(term), AS_OF)

    assert response.status_code == status


@pytest.mark.parametrize(
    ("username", "organization", "status"),
    [
        ("a1_manager", "a2", 404),  # not in the scope
        ("a1_manager", "root", 404),
        ("gc_viewer", "gb", 404),
        ("gc_viewer", "a2", 200),
        ("root_manager", "gb", 200),
    ],
)
def test_detail_for_an_organization_within_the_scope_only(
    tree, users, login, term, username, organization, status
):
    pk = getattr(tree, organization).pk

    response = login(getattr(users, username)).get(detail(term), {"organization": pk})

    assert response.status_code == status


def test_detail_of_a_term_for_an_organization_it_does_not_cover_is_404(tree, users, login, a2_term):
    client = login(users.root_manager)

    assert client.get(detail(a2_term), {"organization": tree.a1.pk}).status_code == 404
    assert client.get("/terms/abc/").status_code == 404
    assert client.get("/terms/999999/").status_code == 404


@pytest.mark.parametrize(
    ("username", "organization", "status"),
    [
        ("nobody", None, 200),  # the page says there is no role yet
        ("a1_manager", "a2", 404),
        ("gb_manager", "gc", 404),
        ("a1_manager", "a1", 200),
        ("statistician", "gc", 200),
        ("root_manager", None, 200),
    ],
)
def test_list_access_matrix(tree, users, login, term, username, organization, status):
    query = {"organization": getattr(tree, organization).pk} if organization else {}

    response = login(getattr(users, username)).get(LIST, query)

    assert response.status_code == status


@pytest.mark.parametrize(
    ("username", "organization", "status"),
    [
        ("nobody", None, 404),
        ("a1_manager", "a2", 404),  # another branch
        ("a1_manager", "gc", 404),  # above the grant
        ("gc_viewer", "gc", 403),  # sees it, may not change it
        ("gc_viewer", None, 403),
        ("statistician", "root", 403),
        ("a1_manager", "a1", 200),
        ("a1_manager", None, 200),
        ("root_manager", "gc", 200),
    ],
)
def test_create_access_matrix(tree, users, login, username, organization, status):
    # given
    before = counts()
    client = login(getattr(users, username))
    query = f"?organization={getattr(tree, organization).pk}" if organization else ""
    # when
    shown = client.get(NEW + query)
    posted = client.post(
        NEW + query,
        {
            "organization": getattr(tree, organization or "a1").code,
            "name": "Nhiệm kỳ mới",
            "starts_on": "01/10/2025",
            "ends_on": "30/09/2030",
        },
    )
    # then
    assert shown.status_code == status
    if status != 200:
        assert posted.status_code == status
        assert counts() == before


@pytest.mark.parametrize(
    ("username", "term_of", "organization", "status"),
    [
        ("nobody", "root", None, 404),
        ("a1_manager", "a2", None, 404),  # another branch's term
        ("a1_manager", "root", "a2", 404),  # another branch
        ("gc_viewer", "gc", None, 403),
        ("gc_viewer", "gc", "a1", 403),
        ("statistician", "root", "root", 403),
        ("a1_manager", "root", "a1", 200),
        ("a1_manager", "root", None, 200),
        ("root_manager", "gc", "a2", 200),
    ],
)
def test_target_access_matrix(tree, users, login, username, term_of, organization, status):
    # given
    term = Term.objects.create(
        organization=getattr(tree, term_of), name="Nhiệm kỳ", starts_on=START, ends_on=END
    )
    before = counts()
    client = login(getattr(users, username))
    query = f"?organization={getattr(tree, organization).pk}" if organization else ""
    # when
    shown = client.get(target_url(term) + query)
    posted = client.post(
        target_url(term) + query,
        {"organization": getattr(tree, organization or term_of).code, "new_members": "5"},
    )
    # then
    assert shown.status_code == status
    if status != 200:
        assert posted.status_code == status
        assert counts() == before


# --- The list -------------------------------------------------------------------------------------


def test_list_shows_the_terms_of_the_scope_with_target_and_verdict(
    tree, users, login, term, gc_term, a2_term, admit
):
    # given
    Target.objects.create(term=term, organization=tree.root, new_members=10)
    admit(tree.a1, dt.date(2021, 3, 1), n=4)
    # when
    response = login(users.root_manager).get(LIST, AS_OF)
    # then: the highest level first
    assert rows(response) == [
        (str(term.pk), str(tree.root.pk)),
        (str(gc_term.pk), str(tree.gc.pk)),
        (str(a2_term.pk), str(tree.a2.pk)),
    ]
    body = response.content.decode()
    assert re.findall(r'data-count="admitted">(\d+)</td>', body) == ["4", "4", "0"]
    assert 'data-count="target">10</td>' in body
    assert (
        '40% <span class="badge badge-probationary" data-verdict="behind">chậm tiến độ</span>'
        in (body)
    )


def test_a_branch_sees_the_committee_term_with_its_own_target(tree, users, login, term, admit):
    # given
    Target.objects.create(term=term, organization=tree.a1, new_members=2)
    admit(tree.a1, dt.date(2021, 3, 1), n=2)
    admit(tree.a2, dt.date(2021, 3, 1))
    # when
    response = login(users.a1_manager).get(LIST, AS_OF)
    # then
    assert rows(response) == [(str(term.pk), str(tree.a1.pk))]
    body = response.content.decode()
    assert "nhiệm kỳ của Đảng bộ Khối Dân – Chính – Đảng" in body
    assert 'data-count="admitted">2</td>' in body
    assert 'data-verdict="exceeded">vượt chỉ tiêu</span>' in body
    assert f'href="/terms/{term.pk}/?organization={tree.a1.pk}&amp;as_of=2022-05-15"' in body


def test_list_for_one_organization(tree, users, login, term, gc_term, a2_term):
    response = login(users.root_manager).get(LIST, {"organization": tree.gc.pk, **AS_OF})

    assert rows(response) == [
        (str(term.pk), str(tree.gc.pk)),  # the root's term, for gc
        (str(gc_term.pk), str(tree.gc.pk)),
        (str(a2_term.pk), str(tree.a2.pk)),
    ]


def test_list_without_a_role_says_so(users, login, term):
    response = login(users.nobody).get(LIST)

    assert rows(response) == []
    assert "Chưa được phân quyền" in response.content.decode()


def test_list_query_count_does_not_grow_with_the_terms(
    tree, users, login, term, admit, django_assert_max_num_queries
):
    # given a target and a term for every organization
    admit(tree.a1, dt.date(2021, 3, 1))
    for organization in (tree.gc, tree.a1, tree.a2, tree.gb):
        other = Term.objects.create(
            organization=organization, name="Nhiệm kỳ", starts_on=START, ends_on=END
        )
        Target.objects.create(term=other, organization=organization, new_members=3)
    client = login(users.a1_manager)
    client.get(LIST)  # the session is read once
    # when / then
    with django_assert_max_num_queries(10):
        assert client.get(LIST, AS_OF).status_code == 200
    client = login(users.root_manager)
    with django_assert_max_num_queries(10):
        response = client.get(LIST, AS_OF)
    assert len(rows(response)) == 5


# --- One term -------------------------------------------------------------------------------------


def test_detail_shows_progress_years_and_targets(tree, users, login, term, admit):
    # given
    Target.objects.create(
        term=term, organization=tree.root, new_members=10, resolution="Nghị quyết số 1"
    )
    Target.objects.create(term=term, organization=tree.gc, new_members=2)
    Target.objects.create(term=term, organization=tree.gb, yearly_rate_percent=Decimal("3.5"))
    admit(tree.a1, dt.date(2021, 3, 1), n=3)
    admit(tree.gb, dt.date(2022, 1, 3), n=2)
    # when
    response = login(users.root_manager).get(detail(term), AS_OF)
    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert (
        '<span class="value">5</span><span class="label">đảng viên mới kết nạp trong nhiệm kỳ'
        in (body)
    )
    assert "50,0% chỉ tiêu; đã qua 50,0% thời gian nhiệm kỳ" in body
    assert 'data-verdict="on_track">đúng tiến độ</span>' in body
    assert "Chỉ tiêu theo: Nghị quyết số 1" in body
    years = re.findall(r'<tr data-year="(\d+)">.*?data-count="admitted">(\d+)</td>', body, re.S)
    assert years == [("2021", "3"), ("2022", "2")]
    targets = re.findall(r'<tr data-org="(\d+)">.*?data-count="admitted">(\d+)</td>', body, re.S)
    assert targets == [  # in Vietnamese alphabetical order
        (str(tree.gb.pk), "2"),
        (str(tree.root.pk), "5"),
        (str(tree.gc.pk), "3"),
    ]


def test_detail_of_the_branch_in_the_committee_term(tree, users, login, term, admit):
    admit(tree.a1, dt.date(2021, 3, 1))
    admit(tree.a2, dt.date(2021, 3, 1))
    Target.objects.create(term=term, organization=tree.root, new_members=10)

    response = login(users.a1_manager).get(detail(term), AS_OF)

    body = response.content.decode()
    assert "Kết nạp đảng viên mới của Chi bộ Phòng 1" in body
    assert '<span class="value">1</span>' in body
    assert "Chưa đặt chỉ tiêu cho Chi bộ Phòng 1 trong nhiệm kỳ này." in body
    assert "Chưa có chỉ tiêu nào trong nhiệm kỳ này thuộc phạm vi của bạn." in body


def test_detail_with_a_yearly_rate_shows_the_expected_counts(tree, users, login, term, admit):
    admit(tree.a1, dt.date(2010, 3, 1), n=4)
    Target.objects.create(term=term, organization=tree.root, yearly_rate_percent=Decimal("25"))
    admit(tree.a1, dt.date(2021, 3, 1))

    body = login(users.root_manager).get(detail(term), AS_OF).content.decode()

    assert re.findall(r'data-count="members">(\d+)</td>', body) == ["4", "5"]
    assert re.findall(r'data-count="expected">([\d,]+)</td>', body) == ["1,0", "1,3"]
    assert "trong năm 2022:" in body


def test_detail_query_count_does_not_grow_with_the_targets(
    tree, users, login, term, admit, django_assert_max_num_queries
):
    admit(tree.a1, dt.date(2021, 3, 1))
    for organization in (tree.root, tree.gc, tree.a1, tree.a2, tree.gb):
        Target.objects.create(
            term=term, organization=organization, new_members=3, yearly_rate_percent=Decimal(2)
        )
    client = login(users.root_manager)

    with django_assert_max_num_queries(14):
        response = client.get(detail(term), AS_OF)

    assert len(re.findall(r'<tr data-org="', response.content.decode())) == 5


# --- Add a term -----------------------------------------------------------------------------------


def test_create_term_through_the_form(tree, users, login):
    # when
    response = login(users.root_manager).post(
        f"{NEW}?organization={tree.gc.pk}",
        {
            "organization": "GC",
            "name": "Nhiệm kỳ 2025–2030",
            "starts_on": "01/10/2025",
            "ends_on": "2030-09-30",
            "resolution": "Nghị quyết Đại hội lần thứ III",
        },
    )
    # then
    term = Term.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/terms/{term.pk}/"
    assert (term.organization, term.starts_on, term.ends_on) == (
        tree.gc,
        dt.date(2025, 10, 1),
        dt.date(2030, 9, 30),
    )


def test_create_term_choices_are_the_writable_organizations(tree, users, login):
    body = login(users.a1_manager).get(NEW).content.decode()

    select = re.search(r'<select name="organization"[^>]*>(.*?)</select>', body, re.S).group(1)
    assert re.findall(r'<option value="([^"]*)"', select) == ["", "A1"]


def test_create_term_refusal_names_the_field_and_changes_nothing(tree, users, login, term):
    # given
    before = counts()
    # when
    response = login(users.root_manager).post(
        NEW,
        {"organization": "ROOT", "name": "Trùng", "starts_on": "01/01/2023", "ends_on": "x"},
    )
    second = login(users.root_manager).post(
        NEW,
        {
            "organization": "ROOT",
            "name": "Trùng",
            "starts_on": "01/01/2023",
            "ends_on": "31/12/2027",
        },
    )
    third = login(users.a1_manager).post(
        NEW,
        {"organization": "A2", "name": "Khác", "starts_on": "01/01/2023", "ends_on": "31/12/2027"},
    )
    # then
    assert response.status_code == 400
    assert field_errors(response, "ends_on") == [
        "Ngày không hợp lệ: hãy nhập theo dạng dd/mm/yyyy."
    ]
    assert second.status_code == 400
    assert field_errors(second, "starts_on") == [
        "Nhiệm kỳ trùng thời gian với nhiệm kỳ “Nhiệm kỳ 2021–2023” của cùng tổ chức "
        "(01/01/2021 – 27/09/2023)."
    ]
    assert third.status_code == 400
    assert field_errors(third, "organization") == [
        "Tổ chức này không thuộc các tổ chức bạn được cập nhật."
    ]
    assert counts() == before


# --- Set a target ---------------------------------------------------------------------------------


def test_set_target_through_the_form(tree, users, login, term):
    # given
    client = login(users.root_manager)
    # when: a rate typed the Vietnamese way
    shown = client.get(f"{target_url(term)}?organization={tree.gc.pk}")
    response = client.post(
        f"{target_url(term)}?organization={tree.gc.pk}",
        {"organization": "GC", "new_members": "120", "yearly_rate_percent": "3,5"},
    )
    # then
    assert shown.status_code == 200
    target = Target.objects.get()
    assert (target.organization, target.new_members, target.yearly_rate_percent) == (
        tree.gc,
        120,
        Decimal("3.50"),
    )
    assert response.status_code == 302
    assert response["Location"] == f"/terms/{term.pk}/?organization={tree.gc.pk}"
    edit = client.get(f"{target_url(term)}?organization={tree.gc.pk}").content.decode()
    assert 'name="yearly_rate_percent" value="3,50"' in edit
    assert 'name="new_members" value="120"' in edit


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"new_members": "0"},
            "new_members",
            "Số đảng viên mới phải là một số nguyên dương.",
        ),
        (
            {"new_members": "abc"},
            "new_members",
            "Số đảng viên mới phải là một số nguyên dương.",
        ),
        (
            {"yearly_rate_percent": "150"},
            "yearly_rate_percent",
            "Tỷ lệ hằng năm phải lớn hơn 0 và không quá 100 (phần trăm số đảng viên).",
        ),
        (
            {"yearly_rate_percent": "-2"},
            "yearly_rate_percent",
            "Tỷ lệ hằng năm phải lớn hơn 0 và không quá 100 (phần trăm số đảng viên).",
        ),
        (
            {"yearly_rate_percent": "ba phần trăm"},
            "yearly_rate_percent",
            "Hãy nhập tỷ lệ là một số, ví dụ 3,5.",
        ),
        (
            {},
            "new_members",
            "Hãy nhập số đảng viên mới cả nhiệm kỳ, tỷ lệ hằng năm, hoặc cả hai.",
        ),
    ],
)
def test_bad_targets_are_refused_in_vietnamese(tree, users, login, term, data, field, message):
    # given
    Target.objects.create(term=term, organization=tree.root, new_members=10)
    before = counts()
    # when
    response = login(users.root_manager).post(target_url(term), {"organization": "ROOT", **data})
    # then
    assert response.status_code == 400
    assert field_errors(response, field) == [message]
    assert Target.objects.get().new_members == 10
    assert counts() == before


def test_target_form_starts_from_the_term_organization_and_its_target(tree, users, login, term):
    Target.objects.create(term=term, organization=tree.root, new_members=10)

    body = login(users.root_manager).get(target_url(term)).content.decode()

    assert '<option value="ROOT" selected>' in body
    assert 'name="new_members" value="10"' in body


def test_detail_links_to_the_target_form_of_a_writable_organization(
    tree, users, login, term, gc_term
):
    manager = login(users.root_manager).get(detail(term)).content.decode()
    viewer = login(users.gc_viewer).get(detail(gc_term)).content.decode()

    assert f'href="/terms/{term.pk}/target/?organization={tree.root.pk}"' in manager
    assert "/target/" not in viewer
