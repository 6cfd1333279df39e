"""The place of issue printed before the date: the organization's own, else the nearest one
above it in the tree as of the day, else none."""

from __future__ import annotations

import datetime as dt

from dangbo.organizations.models import Organization
from dangbo.organizations.selectors import place_of_issue
from tests.factories import relink

DAY = dt.date(2019, 12, 31)


def set_place(organization: Organization, place: str) -> None:
    Organization.objects.filter(pk=organization.pk).update(place_name=place)
    organization.refresh_from_db()


def test_own_place_comes_first(tree, django_assert_num_queries):
    # given
    set_place(tree.root, "TP Hồ Chí Minh")
    set_place(tree.gc, "TP Thủ Đức")
    # when
    with django_assert_num_queries(1):
        place = place_of_issue(tree.gc, DAY)
    # then
    assert place == "TP Thủ Đức"


def test_place_of_the_nearest_ancestor_in_one_query(tree, django_assert_num_queries):
    # given
    set_place(tree.root, "TP Hồ Chí Minh")
    set_place(tree.gc, "TP Thủ Đức")
    # when
    with django_assert_num_queries(1):
        under_gc = place_of_issue(tree.a1, DAY)
    with django_assert_num_queries(1):
        under_root = place_of_issue(tree.gb, DAY)
    # then
    assert under_gc == "TP Thủ Đức"
    assert under_root == "TP Hồ Chí Minh"


def test_no_place_up_the_tree_is_empty(tree):
    # when
    places = [place_of_issue(org, DAY) for org in (tree.root, tree.gc, tree.a1, tree.gb)]
    # then
    assert places == ["", "", "", ""]


def test_place_follows_the_tree_as_of_the_day(tree):
    # given: a1 moves from gc to gb on 1/1/2020
    set_place(tree.gc, "TP Thủ Đức")
    set_place(tree.gb, "Hà Nội")
    relink(tree.a1, tree.gb, dt.date(2020, 1, 1))
    # when
    before = place_of_issue(tree.a1, dt.date(2019, 12, 31))
    after = place_of_issue(tree.a1, dt.date(2020, 1, 1))
    # then
    assert (before, after) == ("TP Thủ Đức", "Hà Nội")
