"""SVG charts: well-formed SVG, a table with exactly the same figures, honest empty states."""

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from dangbo.reports import charts

SVG = "{http://www.w3.org/2000/svg}"
NUMERIC_ATTRIBUTES = {"x", "y", "x1", "y1", "x2", "y2", "width", "height", "dy", "stroke-width"}


def render(template, chart, language="vi"):
    with translation.override(language):
        return render_to_string(f"reports/charts/{template}.html", {"chart": chart})


def parse_svg(html):
    match = re.search(r"<svg\b.*?</svg>", html, re.S)
    assert match, "no <svg> in the output"
    return ET.fromstring(match.group(0))


def parse_table(html):
    """Rows of the fallback table as lists of cell texts (header row first)."""
    match = re.search(r"<table\b.*?</table>", html, re.S)
    assert match, "no <table> in the output"
    table = ET.fromstring(match.group(0))
    return [["".join(cell.itertext()).strip() for cell in row] for row in table.iter("tr")]


def svg_texts(svg):
    return ["".join(t.itertext()) for t in svg.iter(f"{SVG}text")]


def assert_accessible_svg(svg):
    assert svg.get("role") == "img"
    assert svg.find(f"{SVG}title") is not None and svg.find(f"{SVG}title").text.strip()
    assert svg.find(f"{SVG}desc") is not None and svg.find(f"{SVG}desc").text.strip()
    assert svg.get("aria-labelledby") == svg.find(f"{SVG}title").get("id")
    for element in svg.iter():
        for name, value in element.attrib.items():
            if name in NUMERIC_ATTRIBUTES:
                float(value)  # A localized "12,5" here would break the drawing.
    width, height = float(svg.get("width")), float(svg.get("height"))
    assert svg.get("viewBox") == f"0 0 {svg.get('width')} {svg.get('height')}"
    for text in svg.iter(f"{SVG}text"):
        assert 0 <= float(text.get("x")) <= width
        assert 0 <= float(text.get("y")) <= height


POINTS = [
    (dt.date(2024, 12, 31), 230, 8700),
    (dt.date(2023, 12, 31), 0, 8445),
    (dt.date(2025, 12, 31), 260, 8800),
]


def test_members_over_time_draws_a_stacked_bar_per_date_oldest_first():
    # given three year-end counts out of order
    chart = charts.members_over_time(POINTS)

    # when
    html = render("members_over_time", chart)

    # then
    svg = parse_svg(html)
    assert_accessible_svg(svg)
    assert "31/12/2023" in svg.find(f"{SVG}desc").text
    totals = [
        "".join(t.itertext()) for t in svg.iter(f"{SVG}text") if t.get("font-weight") == "bold"
    ]
    assert totals == ["8.445", "8.930", "9.060"]
    assert "31/122023" in svg_texts(svg)  # two lines: dd/mm over the year
    table = parse_table(html)
    assert table[0][0] == "Ngày"
    assert table[1:] == [
        ["31/12/2023", "8.445", "0", "8.445"],
        ["31/12/2024", "8.700", "230", "8.930"],
        ["31/12/2025", "8.800", "260", "9.060"],
    ]


def test_age_pyramid_table_has_the_bands_in_the_given_order():
    # given
    bands = [("Từ 18 đến 30 tuổi", 420, 610), ("Từ 31 đến 40 tuổi", 1850, 2210), ("Trên 60", 12, 0)]

    # when
    html = render("age_pyramid", charts.age_pyramid(bands))

    # then
    svg = parse_svg(html)
    assert_accessible_svg(svg)
    assert {"1.850", "2.210", "Từ 31 đến 40 tuổi"} <= set(svg_texts(svg))
    assert parse_table(html)[1:] == [
        ["Từ 18 đến 30 tuổi", "420", "610", "1.030"],
        ["Từ 31 đến 40 tuổi", "1.850", "2.210", "4.060"],
        ["Trên 60", "12", "0", "12"],
    ]


def test_age_pyramid_draws_the_first_band_at_the_bottom():
    chart = charts.age_pyramid([("young", 5, 5), ("old", 5, 5)])

    labels = {t.lines[0]: t.y for t in chart.texts if t.lines[0] in {"young", "old"}}

    assert labels["young"] > labels["old"]


def test_bar_chart_shows_counts_and_shares_in_vietnamese_format():
    # given eight members in all: 1 is 12,5 %
    rows = [("Sơ cấp", 1), ("Trung cấp", 7), ("Cao cấp, cử nhân", 8437)]

    # when
    html = render(
        "bar_chart", charts.bar_chart(rows, "Lý luận chính trị", label_heading="Trình độ")
    )

    # then
    svg = parse_svg(html)
    assert_accessible_svg(svg)
    assert "1 (0,0%)" in svg_texts(svg)
    assert "8.437 (99,9%)" in svg_texts(svg)
    assert "Cao cấp, cử nhân" in svg_texts(svg)
    table = parse_table(html)
    assert table[0][0] == "Trình độ"
    assert table[1:] == [
        ["Sơ cấp", "1", "0,0%"],
        ["Trung cấp", "7", "0,1%"],
        ["Cao cấp, cử nhân", "8.437", "99,9%"],
        [table[-1][0], "8.445", "100,0%"],
    ]


def test_bar_chart_share_with_a_decimal_comma():
    html = render("bar_chart", charts.bar_chart([("A", 1), ("B", 7)], "t"))

    assert [row[1:] for row in parse_table(html)[1:3]] == [["1", "12,5%"], ["7", "87,5%"]]
    assert "1 (12,5%)" in svg_texts(parse_svg(html))


def test_numbers_follow_the_language_of_the_page():
    # given a chart built once
    chart = charts.bar_chart([("A", 1), ("B", 8444)], "t")

    # when rendered in English, then in Vietnamese
    english, vietnamese = render("bar_chart", chart, "en"), render("bar_chart", chart, "vi")

    # then
    assert "8,444 (100.0%)" in svg_texts(parse_svg(english))
    assert "8.444 (100,0%)" in svg_texts(parse_svg(vietnamese))


def test_admissions_vs_target_with_a_missing_and_a_zero_target():
    # given
    years = [(2021, 160, 150), (2020, 120, 150), (2022, 148, None), (2023, 5, 0)]

    # when
    chart = charts.admissions_vs_target(years)
    html = render("admissions_vs_target", chart)

    # then
    svg = parse_svg(html)
    assert_accessible_svg(svg)
    assert parse_table(html)[1:] == [
        ["2020", "120", "150", "80,0%"],
        ["2021", "160", "150", "106,7%"],
        ["2022", "148", "—", "—"],
        ["2023", "5", "0", "—"],
    ]
    dashed = [line for line in svg.iter(f"{SVG}line") if line.get("stroke-dasharray")]
    assert len(dashed) == 1 + 3  # the legend, then one per year with a target


@pytest.mark.parametrize(
    ("template", "chart"),
    [
        ("members_over_time", charts.members_over_time([])),
        ("age_pyramid", charts.age_pyramid([])),
        ("bar_chart", charts.bar_chart([], "Lý luận chính trị")),
        ("admissions_vs_target", charts.admissions_vs_target([])),
    ],
)
def test_no_data_says_so_instead_of_a_chart(template, chart):
    html = render(template, chart, "en")

    assert chart.empty
    assert '<p class="chart-empty">No data</p>' in html
    assert "<svg" not in html and "<table" not in html


@pytest.mark.parametrize(
    ("template", "chart"),
    [
        ("members_over_time", charts.members_over_time([(dt.date(2025, 12, 31), 0, 0)])),
        ("age_pyramid", charts.age_pyramid([("18–30", 0, 0), ("31–40", 0, 0)])),
        ("bar_chart", charts.bar_chart([("Sơ cấp", 0), ("Trung cấp", 0)], "t")),
        ("admissions_vs_target", charts.admissions_vs_target([(2025, 0, 0), (2026, 0, None)])),
    ],
)
def test_all_zeros_draw_an_empty_scale_without_dividing_by_zero(template, chart):
    html = render(template, chart)

    svg = parse_svg(html)
    assert_accessible_svg(svg)
    assert not chart.empty
    assert all(float(r.get("height")) > 0 for r in svg.iter(f"{SVG}rect") if r.get("width") != "14")
    assert all(cell in {"0", "—"} for row in parse_table(html)[1:] for cell in row[1:])


def test_zero_total_leaves_the_share_blank():
    html = render("bar_chart", charts.bar_chart([("Sơ cấp", 0)], "t"))

    assert parse_table(html)[1:] == [["Sơ cấp", "0", "—"], [parse_table(html)[-1][0], "0", "—"]]
    assert "0 (—)" in svg_texts(parse_svg(html))


def test_labels_and_titles_are_escaped():
    # given a label and a title with markup characters
    html = render("bar_chart", charts.bar_chart([("<&>", 3)], 'A <b>"&"</b>'))

    # then they are text, in the drawing and in the table
    svg = parse_svg(html)
    assert "<&>" in svg_texts(svg)
    assert svg.find(f"{SVG}title").text == 'A <b>"&"</b>'
    assert parse_table(html)[1][0] == "<&>"
    assert "<b>" not in html and "&lt;&amp;&gt;" in html


def test_long_labels_wrap_and_the_label_column_widens():
    label = "Cao cấp lý luận chính trị – hành chính (hệ tập trung)"
    chart = charts.bar_chart([(label, 5), ("Sơ cấp", 9)], "t")

    wrapped = next(t for t in chart.texts if len(t.lines) > 1)

    assert " ".join(wrapped.lines) == label
    assert all(len(line) <= 24 for line in wrapped.lines)
    bar_left = min(r.x for r in chart.rects)
    assert bar_left - 10 >= max(len(line) for line in wrapped.lines) * charts.FONT * 0.55


def test_twelve_dates_keep_their_labels_apart():
    points = [(dt.date(2014 + i, 12, 31), 1000 + i, 10000 + i) for i in range(12)]
    chart = charts.members_over_time(points)

    totals = sorted(t.x for t in chart.texts if t.weight == "bold")
    gaps = [b - a for a, b in zip(totals, totals[1:], strict=False)]

    # "10.011" is six characters; each sits in its own column with room to spare.
    assert min(gaps) >= 6 * charts.FONT * charts.CHAR_WIDTH


@pytest.mark.parametrize(
    ("maximum", "expected"), [(0, (1, 1)), (1, (1, 1)), (7, (8, 2)), (8445, (10000, 2000))]
)
def test_nice_scale(maximum, expected):
    assert charts.nice_scale(maximum) == expected


def test_a_negative_count_is_refused():
    with pytest.raises(ValueError, match="below zero"):
        charts.bar_chart([("Sơ cấp", -1)], "t")
