"""The member list reads a long list person-first and a short one registration-first: both
shapes must give the same rows in the same order, and both honour the access rule."""

import datetime as dt

import pytest

from dangbo.members import selectors, services
from dangbo.members.selectors import MemberFilters, list_member_periods
from tests.factories import make_person, relink

NAMES = [
    ("Lê", "Văn", "An"),
    ("Lê", "Thị", "Ân"),
    ("Phạm", "Văn", "Dung"),
    ("Ngô", "Thị", "Đào"),
    ("Vũ", "Văn", "An"),
    ("Đỗ", "Minh", "Yến"),
]


@pytest.fixture
def many(tree, users, member):
    for i, (surname, middle, given) in enumerate(NAMES):
        organization = tree.a2 if i % 2 else tree.gb
        person = make_person(
            surname,
            middle,
            given,
            organization=organization,
            sex="female" if middle == "Thị" else "male",
            date_of_birth=dt.date(1980 + i, 1, 1),
        )
        services.admit_member(
            actor=users.admin,
            person=person,
            organization=organization,
            decision_date=dt.date(2020, 1, 1 + i),
        )


def rows(user, as_of=dt.date(2024, 1, 1), **filters):
    result = list_member_periods(user=user, as_of=as_of, filters=MemberFilters(**filters))
    return result.count(), [p.member.person.full_name for p in result[0:50]]


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"ordering": "-name"},
        {"ordering": "birth"},
        {"ordering": "-birth"},
        {"sex": "female"},
        {"q": "an"},
        {"status": "full"},
        {"organization_id": None},
    ],
)
def test_both_shapes_agree(monkeypatch, users, many, filters):
    short = rows(users.root_manager, **filters)
    monkeypatch.setattr(selectors, "LARGE_LIST", 0)
    long = rows(users.root_manager, **filters)
    assert short == long
    assert short[0] == len(short[1])


def test_both_shapes_respect_scope(monkeypatch, tree, users, many):
    short = rows(users.a2_manager)
    monkeypatch.setattr(selectors, "LARGE_LIST", 0)
    assert rows(users.a2_manager) == short
    assert short[1] == ["Lê Thị Ân", "Ngô Thị Đào", "Đỗ Minh Yến"]


def test_subtree_filter_keeps_scope_after_a_move(monkeypatch, tree, users, many):
    # On 1/6/2024 branch a2 moves out of gc. Asked for gc as of 1/1/2024, the tree of that day
    # holds a1 and a2, but gc's viewer no longer covers a2: only a1's member is listed.
    from dangbo.organizations.models import OrganizationKind, OrganizationLevel
    from tests.factories import make_organization

    other = make_organization(
        "Đảng bộ khác",
        level=OrganizationLevel.GRASSROOTS,
        kind=OrganizationKind.COMMITTEE,
        parent=tree.root,
    )
    relink(tree.a2, other, dt.date(2024, 6, 1))
    for large in (10_000, 0):
        monkeypatch.setattr(selectors, "LARGE_LIST", large)
        count, names = rows(users.gc_viewer, organization_id=tree.gc.pk)
        # a2's members lay in gc on 1/1/2024, but a2 is no longer in the viewer's scope.
        assert names == ["Trần Thị Bình"]
        count, names = rows(users.root_manager, organization_id=tree.gc.pk)
        assert names == ["Lê Thị Ân", "Trần Thị Bình", "Ngô Thị Đào", "Đỗ Minh Yến"]


def test_search_count_is_capped(monkeypatch, users, many):
    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", 2)
    result = list_member_periods(
        user=users.root_manager, as_of=dt.date(2024, 1, 1), filters=MemberFilters(q="an")
    )
    assert result.count() == 2 and result.capped
    assert [p.member.person.full_name for p in result[0:2]] == ["Lê Văn An", "Vũ Văn An"]
    result = list_member_periods(
        user=users.root_manager, as_of=dt.date(2024, 1, 1), filters=MemberFilters(q="dao")
    )
    assert result.count() == 1 and not result.capped


def test_capped_search_says_so_on_the_page(monkeypatch, login, users, many):
    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", 2)
    body = login(users.root_manager).get("/members/", {"q": "an", "as_of": "2024-01-01"})
    assert "Hơn 2 đảng viên" in body.content.decode()


def test_search_words_match_the_beginning_of_name_words(users, many):
    count, names = rows(users.root_manager, q="an")
    # An, Ân (folded "an") match; Văn, Dung and Đào do not, though "an" lies inside "van".
    assert names == ["Lê Văn An", "Vũ Văn An", "Lê Thị Ân"]
    assert rows(users.root_manager, q="dao")[1] == ["Ngô Thị Đào"]
    assert rows(users.root_manager, q="ngo thi d")[1] == ["Ngô Thị Đào"]
    assert rows(users.root_manager, q="guyen")[1] == []
