"""Dashboard: headline figures of the user's subtree as of a date, across a reorganization."""

import datetime as dt
from decimal import Decimal

import pytest

from dangbo.members import services
from dangbo.members.models import Employment
from dangbo.organizations.models import OrganizationKind, OrganizationLevel
from dangbo.reports.selectors import headline_figures
from dangbo.targets import services as target_services
from dangbo.targets.models import Target, Term
from tests.factories import make_organization, make_person, relink


@pytest.fixture
def figures_tree(tree, users):
    """Two members in a1 (one probationary since 2025), one in gb; four staff; a term."""
    Term.objects.create(
        organization=tree.root,
        name="Nhiệm kỳ 2020–2025",
        starts_on=dt.date(2020, 10, 1),
        ends_on=dt.date(2025, 9, 30),
    )
    people = [
        make_person("Trần", "Thị", "Bình", organization=tree.a1, sex="female"),
        make_person("Lê", "Văn", "Cường", organization=tree.a1),
        make_person("Đỗ", "Văn", "Dũng", organization=tree.gb),
        make_person("Phan", "Thị", "Hoa", organization=tree.gb, sex="female"),
    ]
    services.admit_member(
        actor=users.admin,
        person=people[0],
        organization=tree.a1,
        decision_date=dt.date(2010, 5, 5),
        ceremony_date=dt.date(2010, 6, 1),
    )
    services.recognize_full_member(
        actor=users.admin, member=people[0].member, effective_date=dt.date(2011, 6, 1)
    )
    services.admit_member(
        actor=users.admin,
        person=people[1],
        organization=tree.a1,
        decision_date=dt.date(2025, 3, 3),
        ceremony_date=dt.date(2025, 3, 10),
    )
    services.admit_member(
        actor=users.admin,
        person=people[2],
        organization=tree.gb,
        decision_date=dt.date(2021, 1, 4),
        ceremony_date=dt.date(2021, 1, 20),
    )
    services.recognize_full_member(
        actor=users.admin, member=people[2].member, effective_date=dt.date(2022, 1, 20)
    )
    return people


def test_headline_figures_for_the_root(tree, users, figures_tree):
    f = headline_figures(
        user=users.root_manager, organization=tree.root, as_of=dt.date(2025, 6, 30)
    )
    assert (f.grassroots_organizations, f.staff, f.members, f.probationary, f.full) == (
        2,
        4,
        3,
        1,
        2,
    )
    assert f.admitted_in_term == 2
    assert f.term.name == "Nhiệm kỳ 2020–2025"


def test_headline_figures_as_of_an_earlier_date(tree, users, figures_tree):
    f = headline_figures(user=users.root_manager, organization=tree.root, as_of=dt.date(2015, 1, 1))
    assert (f.members, f.probationary, f.full, f.admitted_in_term) == (1, 0, 1, 0)
    assert f.term is None


def test_headline_figures_limited_to_scope(tree, users, figures_tree):
    # A statistician on the root sees counts; a branch manager only their branch.
    f = headline_figures(
        user=users.statistician, organization=tree.root, as_of=dt.date(2025, 6, 30)
    )
    assert f.members == 3
    f = headline_figures(user=users.a1_manager, organization=tree.a1, as_of=dt.date(2025, 6, 30))
    assert (f.members, f.staff, f.grassroots_organizations) == (2, 2, 0)


def test_staff_who_left_are_not_counted(tree, users, figures_tree):
    Employment.objects.filter(person=figures_tree[3]).update(end_date=dt.date(2024, 1, 1))
    f = headline_figures(
        user=users.root_manager, organization=tree.root, as_of=dt.date(2025, 6, 30)
    )
    assert f.staff == 3


def test_counts_follow_the_tree_of_the_date(tree, users, figures_tree):
    # On 1/1/2024 the grassroots branch gb moves to a new upper committee.
    other = make_organization(
        "Đảng bộ Khối Doanh nghiệp",
        level=OrganizationLevel.UPPER,
        kind=OrganizationKind.COMMITTEE,
        founded_on=dt.date(1980, 1, 1),
    )
    relink(tree.gb, other, dt.date(2024, 1, 1))
    before = headline_figures(user=users.admin, organization=tree.root, as_of=dt.date(2023, 12, 31))
    after = headline_figures(user=users.admin, organization=tree.root, as_of=dt.date(2024, 1, 1))
    moved = headline_figures(user=users.admin, organization=other, as_of=dt.date(2024, 1, 1))
    assert (before.grassroots_organizations, before.members, before.staff) == (2, 2, 4)
    assert (after.grassroots_organizations, after.members, after.staff) == (1, 1, 2)
    assert (moved.grassroots_organizations, moved.members, moved.staff) == (1, 1, 2)


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("admin", 200),
        ("root_manager", 200),
        ("statistician", 200),
        ("a1_manager", 200),
        ("nobody", 200),
    ],
)
def test_dashboard_access(login, users, tree, figures_tree, username, status):
    response = login(getattr(users, username)).get("/", {"as_of": "2025-06-30"})
    assert response.status_code == status


def test_dashboard_shows_vietnamese_numbers(login, users, tree, figures_tree):
    body = login(users.root_manager).get("/", {"as_of": "2025-06-30"}).content.decode()
    assert tree.root.name in body
    assert 'data-figure="members"><span class="value">3</span>' in body
    assert "Nhiệm kỳ 2020–2025" in body


def test_dashboard_for_user_without_role_says_so(login, users, figures_tree):
    body = login(users.nobody).get("/").content.decode()
    assert "Chưa được phân quyền" in body


def test_dashboard_other_organization_out_of_scope_is_404(login, users, tree, figures_tree):
    client = login(users.a1_manager)
    assert client.get("/", {"organization": tree.gb.pk}).status_code == 404
    assert client.get("/", {"organization": "abc"}).status_code == 404
    assert client.get("/", {"organization": tree.a1.pk}).status_code == 200


def test_bad_as_of_is_a_message(login, users, figures_tree):
    response = login(users.root_manager).get("/", {"as_of": "31-31-2019"})
    assert response.status_code == 200
    assert "Ngày xem (as_of)" in response.content.decode()


def test_anonymous_dashboard_redirects_to_login(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_dashboard_query_count(login, users, tree, figures_tree, django_assert_max_num_queries):
    client = login(users.root_manager)
    # Figures (cached), term and target, the overdue admission steps (3), and the members at
    # each of the six year ends of the chart: a fixed cost.
    with django_assert_max_num_queries(25):
        client.get("/", {"as_of": "2025-06-30"})


def test_figures_are_recomputed_after_a_change(tree, users, figures_tree):
    day = dt.date(2025, 6, 30)
    before = headline_figures(user=users.root_manager, organization=tree.root, as_of=day)
    person = make_person("Bùi", "Văn", "Khoa", organization=tree.gb)
    services.admit_member(
        actor=users.admin, person=person, organization=tree.gb, decision_date=dt.date(2025, 2, 3)
    )
    after = headline_figures(user=users.root_manager, organization=tree.root, as_of=day)
    assert (before.members, after.members) == (3, 4)
    assert (before.admitted_in_term, after.admitted_in_term) == (2, 3)


def test_cached_figures_are_not_shared_across_scopes(tree, users, figures_tree):
    day = dt.date(2025, 6, 30)
    whole = headline_figures(user=users.root_manager, organization=tree.root, as_of=day)
    # The gb manager may ask about the root only through the API/dashboard scope checks; the
    # selector still limits the counts to gb.
    part = headline_figures(user=users.gb_manager, organization=tree.root, as_of=day)
    assert (whole.members, part.members) == (3, 1)


# --- The term's target next to the admissions -----------------------------------------------------


def admitted_figure(body: str) -> str:
    start = body.index('data-figure="admitted"')
    return body[start : body.index("</div>", start)]


@pytest.mark.parametrize(
    ("new_members", "shown"),
    [
        (2, "2 / 2 — vượt chỉ tiêu"),
        # 2/3 = 67 % of the target, with 1,734 of the term's 1,826 days gone (95 %)
        (3, "2 / 3 — chậm tiến độ"),
        (1500, "2 / 1.500 — chậm tiến độ"),
    ],
)
def test_dashboard_shows_the_target_and_the_verdict(
    login, users, tree, figures_tree, new_members, shown
):
    # given
    Target.objects.create(term=Term.objects.get(), organization=tree.root, new_members=new_members)
    # when
    body = login(users.root_manager).get("/", {"as_of": "2025-06-30"}).content.decode()
    # then
    figure = admitted_figure(body)
    assert '<span class="value">2</span>' in figure
    assert shown in figure
    assert f'href="/terms/{Term.objects.get().pk}/?organization={tree.root.pk}&amp;' in figure


def test_dashboard_shows_a_yearly_rate_for_the_current_year(login, users, tree, figures_tree):
    # given 50 % a year: 2 members on 1/1/2025 and 273 days of 2025 in the term, so
    # 0.5 × 2 × 273/365 = 0.75 expected, and 1 admitted in 2025
    Target.objects.create(
        term=Term.objects.get(), organization=tree.root, yearly_rate_percent=Decimal("50")
    )
    # when
    body = login(users.root_manager).get("/", {"as_of": "2025-06-30"}).content.decode()
    # then
    assert "50%/năm: 1 / 1 trong năm 2025 — vượt chỉ tiêu" in admitted_figure(body)


def test_dashboard_shows_only_the_organization_own_target(login, users, tree, figures_tree):
    Target.objects.create(term=Term.objects.get(), organization=tree.root, new_members=10)

    body = login(users.a1_manager).get("/", {"as_of": "2025-06-30"}).content.decode()

    assert 'data-figure="target"' not in admitted_figure(body)
    assert "Nhiệm kỳ 2020–2025" in admitted_figure(body)


def test_dashboard_without_target_shows_no_verdict(login, users, tree, figures_tree):
    body = login(users.root_manager).get("/", {"as_of": "2025-06-30"}).content.decode()

    assert 'data-figure="target"' not in body


def test_a_new_target_shows_at_once(login, users, tree, figures_tree):
    # given figures already cached
    client = login(users.root_manager)
    client.get("/", {"as_of": "2025-06-30"})
    # when the target is set through the service (which bumps the data version)
    target_services.set_target(
        actor=users.root_manager, term=Term.objects.get(), organization=tree.root, new_members=2
    )
    body = client.get("/", {"as_of": "2025-06-30"}).content.decode()
    # then
    assert "2 / 2 — vượt chỉ tiêu" in admitted_figure(body)


def test_dashboard_query_count_with_a_target(
    login, users, tree, figures_tree, django_assert_max_num_queries
):
    Target.objects.create(term=Term.objects.get(), organization=tree.root, new_members=2)
    client = login(users.root_manager)
    # Figures (cached), term and target, the overdue admission steps (3), and the members at
    # each of the six year ends of the chart: a fixed cost.
    with django_assert_max_num_queries(25):
        client.get("/", {"as_of": "2025-06-30"})


def test_headline_figures_carry_the_progress(tree, users, figures_tree):
    Target.objects.create(term=Term.objects.get(), organization=tree.root, new_members=4)

    f = headline_figures(
        user=users.root_manager, organization=tree.root, as_of=dt.date(2025, 6, 30)
    )

    assert (f.admitted_in_term, f.progress.admitted, f.progress.new_members) == (2, 2, 4)
    assert f.progress.verdict == "behind"
    assert [(y.year, y.admitted) for y in f.progress.years] == [
        (2020, 0),
        (2021, 1),
        (2022, 0),
        (2023, 0),
        (2024, 0),
        (2025, 1),
    ]
