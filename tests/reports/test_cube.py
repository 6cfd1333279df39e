"""The statistics cube: counts added up from the whole cube or from PostgreSQL's grouping sets."""

from collections import Counter

import pytest

from dangbo.reports.statistics.engine import Cube
from dangbo.reports.statistics.forms import is_

COLUMNS = ("age_band", "religion", "sex", "status")
# (age group, religion, sex, status, count)
ROWS = [
    (0, "none", "female", "full", 3),
    (0, "buddhism", "male", "probationary", 1),
    (1, "none", "male", "full", 2),
    (1, "buddhism", "female", "full", 4),
]


def _bases():
    """What GROUPING SETS ((age_band, sex, status), (religion, sex, status)) returns."""
    by_age: Counter = Counter()
    by_religion: Counter = Counter()
    for age, religion, sex, status, n in ROWS:
        by_age[(age, sex, status)] += n
        by_religion[(religion, sex, status)] += n
    return {("age_band", "sex", "status"): by_age, ("religion", "sex", "status"): by_religion}


@pytest.mark.parametrize(
    "cube",
    [Cube(COLUMNS, rows=list(ROWS)), Cube(COLUMNS, bases=_bases())],
    ids=["whole cube", "grouping sets"],
)
def test_counts_are_the_same_from_either_source(cube):
    assert cube.total == 10
    assert cube.count(sex=is_("female")) == 7
    assert cube.count(age_band=is_(1), sex=is_("female")) == 4
    assert cube.count(religion=is_("buddhism"), status=is_("probationary")) == 1
    assert cube.breakdown("religion", sex=is_("male")) == Counter({"none": 2, "buddhism": 1})


def test_a_crossing_no_grouping_set_holds_is_an_error():
    cube = Cube(COLUMNS, bases=_bases())
    with pytest.raises(KeyError):
        cube.count(age_band=is_(0), religion=is_("none"))


def test_regroup_merges_values_in_every_source():
    whole = Cube(COLUMNS, rows=list(ROWS))
    sets = Cube(COLUMNS, bases=_bases())
    for cube in (whole, sets):
        cube.count(religion=is_("none"))  # a margin built before regrouping is dropped
        cube.regroup("religion", lambda value: "any" if value != "none" else value)
        assert cube.breakdown("religion") == Counter({"any": 5, "none": 5})
        assert cube.count(religion=is_("any"), sex=is_("female")) == 4
