"""term_progress: admissions of a subtree in a term as of a date, against the organization's own
target; values computed by hand (the term has 1,000 days, see conftest)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dangbo.organizations.models import OrganizationKind, OrganizationLevel
from dangbo.targets.models import Target, Term
from dangbo.targets.selectors import term_progress
from tests.factories import make_organization, relink
from tests.targets.conftest import END, MIDTERM, START


def progress(user, organization, as_of, term=None):
    return term_progress(user=user, organization=organization, as_of=as_of, term=term)


def set_target(term, organization, new_members=None, rate=None) -> Target:
    return Target.objects.create(
        term=term, organization=organization, new_members=new_members, yearly_rate_percent=rate
    )


# --- The new-members target -----------------------------------------------------------------------


def test_progress_on_both_sides_of_the_target(tree, users, term, admit):
    # given a target of 10 and 9 admissions by mid-term
    set_target(term, tree.root, new_members=10)
    admit(tree.a1, dt.date(2021, 3, 1), n=5)
    admit(tree.gb, dt.date(2022, 2, 1), n=4)
    # when
    below = progress(users.root_manager, tree.root, MIDTERM)
    admit(tree.a2, dt.date(2022, 5, 15))
    reached = progress(users.root_manager, tree.root, MIDTERM)
    # then
    assert (below.admitted, below.share_percent, below.verdict) == (9, 90.0, "on_track")
    assert (reached.admitted, reached.share_percent, reached.verdict) == (10, 100.0, "exceeded")
    assert str(reached.verdict_label) == "vượt chỉ tiêu"


@pytest.mark.parametrize(
    ("admitted", "as_of", "elapsed_days", "verdict"),
    [
        (5, MIDTERM, 500, "on_track"),  # 5/10 = 50 % of the target, 500/1000 of the term
        (4, MIDTERM, 500, "behind"),  # 40 % < 50 %
        (5, MIDTERM + dt.timedelta(days=1), 501, "behind"),  # 50 % < 50.1 %
        (10, MIDTERM, 500, "exceeded"),
        (12, MIDTERM, 500, "exceeded"),
        (9, END, 1000, "behind"),  # the term is over and 9 < 10
        (9, dt.date(2024, 6, 1), 1000, "behind"),  # after the end: counted to the end
        (0, START, 1, "behind"),
        (0, START - dt.timedelta(days=1), 0, "not_started"),
    ],
)
def test_verdicts_computed_by_hand(
    tree, users, term, admit, admitted, as_of, elapsed_days, verdict
):
    # given
    set_target(term, tree.root, new_members=10)
    if admitted:
        admit(tree.a1, START, n=admitted)
    # when
    result = progress(users.root_manager, tree.root, as_of, term)
    # then
    counted = admitted if as_of >= START else 0
    assert (result.admitted, result.elapsed_days, result.term_days) == (counted, elapsed_days, 1000)
    assert result.expected_share_percent == elapsed_days / 10
    assert result.share_percent == counted * 10
    assert result.verdict == verdict


def test_admissions_outside_the_term_do_not_count(tree, users, term, admit):
    admit(tree.a1, START - dt.timedelta(days=1))
    admit(tree.a1, START)
    admit(tree.a1, END)
    admit(tree.a1, END + dt.timedelta(days=1))

    result = progress(users.root_manager, tree.root, dt.date(2024, 12, 31), term)

    assert result.admitted == 2
    assert [(y.year, y.admitted) for y in result.years] == [(2021, 1), (2022, 0), (2023, 1)]


def test_admissions_per_year_of_the_term(tree, users, term, admit):
    # given
    admit(tree.a1, dt.date(2021, 1, 1), n=2)
    admit(tree.gb, dt.date(2021, 12, 31))
    admit(tree.a2, dt.date(2022, 5, 15), n=3)
    admit(tree.a2, dt.date(2022, 5, 16))  # after the date asked
    # when
    result = progress(users.root_manager, tree.root, MIDTERM)
    # then
    assert [(y.year, y.starts_on, y.ends_on, y.admitted) for y in result.years] == [
        (2021, dt.date(2021, 1, 1), dt.date(2021, 12, 31), 3),
        (2022, dt.date(2022, 1, 1), dt.date(2022, 12, 31), 3),
    ]
    assert result.admitted == 6
    assert result.target is None and result.verdict is None and result.share_percent is None


# --- The yearly rate ------------------------------------------------------------------------------


@pytest.fixture
def four_members(tree, admit):
    """Four members admitted in 2010: two in a1, one in a2, one in gb."""
    day = dt.date(2010, 6, 1)
    return [*admit(tree.a1, day, n=2), *admit(tree.a2, day), *admit(tree.gb, day)]


def test_yearly_rate_against_members_on_1_january(tree, users, term, admit, four_members):
    # given 25 % a year: 4 members on 1/1/2021, so 1 expected in 2021
    set_target(term, tree.root, rate=Decimal("25.00"))
    admit(tree.a1, dt.date(2021, 6, 1))  # 5 members on 1/1/2022: 1.25 expected in 2022
    # when: 135 of the 365 days of 2022 have elapsed on 15/05/2022
    none_yet = progress(users.root_manager, tree.root, MIDTERM)
    admit(tree.a1, dt.date(2022, 3, 1))  # 1/1.25 = 80 % >= 135/365 = 37 %
    one = progress(users.root_manager, tree.root, MIDTERM)
    # then
    rows = [(y.year, y.members_at_start, y.expected, y.admitted, y.verdict) for y in one.years]
    assert rows == [
        (2021, 4, Decimal("1"), 1, "exceeded"),
        (2022, 5, Decimal("1.25"), 1, "on_track"),
    ]
    assert none_yet.years[1].verdict == "behind"
    assert (none_yet.rate_verdict, one.rate_verdict) == ("behind", "on_track")
    assert one.verdict is None and one.headline_verdict == "on_track"


def test_yearly_rate_on_the_part_of_a_year_inside_the_term(tree, users, term, four_members):
    # given 25 % a year; the term ends on 27/09/2023, 270 days into 2023
    set_target(term, tree.root, rate=Decimal("25"))
    # when
    result = progress(users.root_manager, tree.root, dt.date(2024, 3, 1), term)
    # then 0.25 × 4 × 270 / 365, and no admission at all: every finished year is behind
    last = result.years[-1]
    assert (last.year, last.starts_on, last.ends_on) == (2023, dt.date(2023, 1, 1), END)
    assert round(last.expected, 6) == Decimal("0.739726")
    assert [y.verdict for y in result.years] == ["behind", "behind", "behind"]


def test_yearly_rate_of_a_term_starting_in_july(tree, users, four_members):
    # given a term of a1 from 01/07/2021: 184 of 2021's 365 days, two members on 1/1/2021
    term = Term.objects.create(
        organization=tree.a1,
        name="Nhiệm kỳ chi bộ",
        starts_on=dt.date(2021, 7, 1),
        ends_on=dt.date(2023, 6, 30),
    )
    set_target(term, tree.a1, rate=Decimal("50"))
    # when
    result = progress(users.a1_manager, tree.a1, dt.date(2021, 7, 1))
    # then 0.5 × 2 × 184/365 = 0.504…; one day of 184 elapsed and nobody admitted yet
    (year,) = result.years
    assert (year.starts_on, year.members_at_start) == (dt.date(2021, 7, 1), 2)
    assert round(year.expected, 4) == Decimal("0.5041")
    assert year.verdict == "behind"


def test_zero_expected_is_reached(tree, users, term):
    # given a rate but no members at all on 1/1/2021
    set_target(term, tree.root, rate=Decimal("3.5"))
    # when
    result = progress(users.root_manager, tree.root, MIDTERM)
    # then
    assert [(y.members_at_start, y.expected, y.verdict) for y in result.years] == [
        (0, Decimal("0"), "exceeded"),
        (0, Decimal("0"), "exceeded"),
    ]


# --- Targets per organization, scope and the tree of the date ------------------------------------


def test_each_organization_is_judged_by_its_own_target(tree, users, term, admit):
    # given targets on the root and on gc, none on a1
    set_target(term, tree.root, new_members=100)
    set_target(term, tree.gc, new_members=4)
    admit(tree.a1, dt.date(2021, 2, 1), n=4)
    # when
    root = progress(users.root_manager, tree.root, MIDTERM)
    gc = progress(users.root_manager, tree.gc, MIDTERM)
    a1 = progress(users.root_manager, tree.a1, MIDTERM)
    # then
    assert (root.new_members, root.admitted, root.verdict) == (100, 4, "behind")
    assert (gc.new_members, gc.admitted, gc.verdict) == (4, 4, "exceeded")
    assert (a1.target, a1.admitted, a1.verdict) == (None, 4, None)
    assert a1.term == term  # the root's term applies to a1


def test_the_term_running_on_the_date_is_the_default(tree, users, term, admit):
    admit(tree.a1, dt.date(2021, 2, 1))

    assert progress(users.a1_manager, tree.a1, MIDTERM).term == term
    assert progress(users.a1_manager, tree.a1, dt.date(2020, 12, 31)) is None
    assert progress(users.a1_manager, tree.a1, dt.date(2023, 9, 28)) is None


def test_counts_stay_within_the_scope(tree, users, term, admit):
    # given
    admit(tree.a1, dt.date(2021, 2, 1), n=2)
    admit(tree.a2, dt.date(2021, 2, 1))
    admit(tree.gb, dt.date(2021, 2, 1))
    # when the gb manager asks about the root, and others about their own subtrees
    counted = {
        name: progress(getattr(users, name), organization, MIDTERM, term).admitted
        for name, organization in [
            ("root_manager", tree.root),
            ("statistician", tree.root),
            ("gc_viewer", tree.gc),
            ("a1_manager", tree.a1),
            ("gb_manager", tree.root),
            ("nobody", tree.root),
        ]
    }
    # then
    assert counted == {
        "root_manager": 4,
        "statistician": 4,
        "gc_viewer": 3,
        "a1_manager": 2,
        "gb_manager": 1,
        "nobody": 0,
    }


def test_a_branch_moved_out_no_longer_counts_after_the_move(tree, users, term, admit):
    # given a target of 4: two admissions in a1 and two in gb during 2021
    set_target(term, tree.root, new_members=4)
    admit(tree.a1, dt.date(2021, 3, 1), n=2)
    admit(tree.gb, dt.date(2021, 4, 1), n=2)
    other = make_organization(
        "Đảng bộ Khối Doanh nghiệp",
        level=OrganizationLevel.UPPER,
        kind=OrganizationKind.COMMITTEE,
        founded_on=dt.date(1980, 1, 1),
    )
    # when gb moves to another committee on 01/01/2022
    relink(tree.gb, other, dt.date(2022, 1, 1))
    before = progress(users.admin, tree.root, dt.date(2021, 12, 31))
    after = progress(users.admin, tree.root, dt.date(2022, 1, 1))
    # then: 2/4 = 50 % against 366/1000 of the term elapsed
    assert (before.admitted, before.verdict) == (4, "exceeded")
    assert (after.admitted, after.verdict) == (2, "on_track")
    assert [(y.year, y.admitted) for y in after.years] == [(2021, 2), (2022, 0)]


def test_progress_query_count(tree, users, term, admit, django_assert_max_num_queries):
    set_target(term, tree.root, new_members=10, rate=Decimal("3"))
    admit(tree.a1, dt.date(2021, 3, 1), n=3)

    with django_assert_max_num_queries(6):
        result = progress(users.root_manager, tree.root, MIDTERM)
        assert result.admitted == 3
