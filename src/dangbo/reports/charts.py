"""Server-side SVG charts: plain Python figures in, a render-ready object out, no JavaScript.

Each builder is a pure function of its data: it lays the chart out (coordinates, wrapped labels,
scale) and returns an object that ``reports/charts/<kind>.html`` renders as an inline ``<svg>``
followed by a ``<table>`` with the same figures (for screen readers and print)::

    {% include "reports/charts/bar_chart.html" with chart=chart %}

Numbers in labels are lazy strings, formatted with the language active when the page is rendered
(8.445, 12,5%). Colours are the blue / orange pair that stays apart for colour-blind readers and
in greyscale print (dark against light), and every chart also says its figures in words.
"""

from __future__ import annotations

import hashlib
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

# Dark and light ends of a colour-blind safe pair; they differ by lightness too (greyscale print).
DARK = "#1f4e79"
LIGHT = "#f2b25c"
MID = "#7fb2e0"
INK = "#1f2328"
MUTED = "#5b6470"
GRID = "#d8dde3"
WHITE = "#ffffff"

FONT = 13  # label size, in SVG user units (one unit is one CSS pixel at the natural width)
SMALL = 12
LINE = 16  # distance between two lines of one label
# Wide enough for Vietnamese with diacritics in the usual sans-serif fonts, so that labels
# estimated to fit really do.
CHAR_WIDTH = 0.6


def _text_width(text: str, size: int = FONT) -> float:
    return len(text) * size * CHAR_WIDTH


def _format_int(value: int) -> str:
    return number_format(value, use_l10n=True, force_grouping=True)


def _format_percent(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return number_format(value, decimal_pos=1, use_l10n=True, force_grouping=True) + "%"


# Formatted when the template renders, so in the language of the page.
format_int = lazy(_format_int, str)
format_percent = lazy(_format_percent, str)


def _int_label_length(value: int) -> int:
    """Characters of ``value`` once grouped by thousands (same in every language we speak)."""
    digits = len(str(abs(value)))
    return digits + (digits - 1) // 3 + (1 if value < 0 else 0)


def _count(value: Any) -> int:
    """A count to draw: a whole number, never negative (a bar cannot be shorter than nothing)."""
    count = int(value)
    if count < 0:
        raise ValueError(f"A chart counts people or events; {count} is below zero.")
    return count


def _wrap(label: str, width: int) -> tuple[str, ...]:
    lines = textwrap.wrap(str(label), width=width, break_long_words=True)
    return tuple(lines) or ("",)


def _r(value: float) -> float:
    return round(value, 1)


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def nice_scale(maximum: int, ticks: int = 5) -> tuple[int, int]:
    """The top of a value axis and the step between its gridlines: round numbers, at least 1."""
    if maximum <= 0:
        return 1, 1
    raw = maximum / ticks
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(1, int(step))
    return int(math.ceil(maximum / step) * step), step


def _uid(kind: str, data: Any, title: Any) -> str:
    digest = hashlib.sha1(repr((kind, data, str(title))).encode()).hexdigest()[:10]
    return f"chart-{kind}-{digest}"


@dataclass(frozen=True)
class Text:
    """A label: ``y`` is the baseline of its first line; further lines go below."""

    x: float
    y: float
    lines: tuple[Any, ...]
    anchor: str = "start"
    size: int = FONT
    weight: str = "normal"
    fill: str = INK
    line_height: int = LINE


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    fill: str
    stroke: str = "none"


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str = GRID
    width: float = 1
    dash: str = ""


@dataclass
class Chart:
    """What an include template needs: size, shapes, labels, and the rows of the fallback table."""

    kind: str
    title: Any
    uid: str
    width: float = 0
    height: float = 0
    rects: list[Rect] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    rows: list[Any] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.rows


def _legend(items: Sequence[tuple[Any, str, str]], x: float, y: float) -> tuple[list, list, list]:
    """Swatches in one row from (x, y): (label, colour, "box" or "line") each."""
    rects, lines, texts = [], [], []
    for label, colour, shape in items:
        if shape == "line":
            lines.append(Line(x, y + 6, x + 22, y + 6, stroke=colour, width=3, dash="6 3"))
            swatch = 22
        else:
            rects.append(Rect(x, y, 14, 14, colour, stroke=INK))
            swatch = 14
        texts.append(Text(_r(x + swatch + 6), y + 11, (label,)))
        x = _r(x + swatch + 6 + _text_width(str(label)) + 22)
    return rects, lines, texts


def _value_axis(
    top: int, step: int, *, left: float, right: float, y0: float, plot_height: float
) -> tuple[list[Line], list[Text]]:
    lines, texts = [], []
    for tick in range(0, top + 1, step):
        y = _r(y0 - tick / top * plot_height)
        lines.append(Line(left, y, right, y, stroke=INK if tick == 0 else GRID))
        texts.append(Text(_r(left - 6), _r(y + 4), (format_int(tick),), anchor="end", fill=MUTED))
    return lines, texts


# --- a) members over time ------------------------------------------------------------------


@dataclass(frozen=True)
class MembersPoint:
    day: date
    probationary: int
    full: int

    @property
    def total(self) -> int:
        return self.probationary + self.full


def members_over_time(points: Sequence[tuple[date, int, int]], *, title: Any = None) -> Chart:
    """Stacked bars of full (below) and probationary (above) members at each date, oldest first."""
    title = title or _("Party members over time")
    rows = sorted(
        (MembersPoint(d, _count(p), _count(f)) for d, p, f in points), key=lambda r: r.day
    )
    chart = Chart("members", title, _uid("members", rows, title), rows=list(rows))
    if not rows:
        return chart
    top, step = nice_scale(max(r.total for r in rows))
    left = 16 + _int_label_length(top) * FONT * CHAR_WIDTH
    slot = max(56.0, (_int_label_length(max(r.total for r in rows)) + 2) * FONT * CHAR_WIDTH)
    width = max(560.0, left + slot * len(rows) + 16)
    slot = (width - left - 16) / len(rows)
    bar = min(slot * 0.6, 72)
    legend_y, plot_top, plot_height = 8, 56, 260
    y0 = plot_top + plot_height
    chart.width, chart.height = _r(width), y0 + 44
    chart.lines, chart.texts = _value_axis(
        top, step, left=_r(left), right=_r(width - 16), y0=y0, plot_height=plot_height
    )
    legend = _legend(
        [(_("Full members"), DARK, "box"), (_("Probationary members"), LIGHT, "box")],
        _r(left),
        legend_y,
    )
    chart.rects += legend[0]
    chart.texts += legend[2]
    for i, row in enumerate(rows):
        cx = left + slot * (i + 0.5)
        x = _r(cx - bar / 2)
        full_h = row.full / top * plot_height
        prob_h = row.probationary / top * plot_height
        if row.full:
            chart.rects.append(Rect(x, _r(y0 - full_h), _r(bar), _r(full_h), DARK))
        if row.probationary:
            y = y0 - full_h - prob_h
            chart.rects.append(Rect(x, _r(y), _r(bar), _r(prob_h), LIGHT, stroke=DARK))
        # Each part is labelled inside when there is room; the total always goes on top.
        for value, height, base, fill in (
            (row.full, full_h, y0, WHITE),
            (row.probationary, prob_h, y0 - full_h, INK),
        ):
            fits = _int_label_length(value) * SMALL * CHAR_WIDTH <= bar - 4
            if value and height >= SMALL + 6 and fits:
                chart.texts.append(
                    Text(
                        _r(cx),
                        _r(base - height / 2 + SMALL / 2 - 1),
                        (format_int(value),),
                        anchor="middle",
                        size=SMALL,
                        fill=fill,
                    )
                )
        top_y = y0 - full_h - prob_h
        chart.texts.append(
            Text(_r(cx), _r(top_y - 6), (format_int(row.total),), anchor="middle", weight="bold")
        )
        chart.texts.append(
            Text(
                _r(cx),
                y0 + 18,
                (f"{row.day:%d/%m}", f"{row.day:%Y}"),
                anchor="middle",
                fill=MUTED,
            )
        )
    return chart


# --- b) age pyramid --------------------------------------------------------------------------


@dataclass(frozen=True)
class AgeBand:
    label: str
    male: int
    female: int

    @property
    def total(self) -> int:
        return self.male + self.female


def age_pyramid(bands: Sequence[tuple[str, int, int]], *, title: Any = None) -> Chart:
    """Men to the left, women to the right, one row per age band; the first band is drawn at the
    bottom (youngest first, as the statistics forms list them), the table keeps the given order."""
    title = title or _("Party members by age group and sex")
    rows = [AgeBand(str(label), _count(m), _count(f)) for label, m, f in bands]
    chart = Chart("pyramid", title, _uid("pyramid", rows, title), rows=rows)
    if not rows:
        return chart
    wrapped = [_wrap(r.label, 20) for r in rows]
    label_col = max(_text_width(line) for lines in wrapped for line in lines) + 20
    biggest = max(max(r.male, r.female) for r in rows)
    reserve = _int_label_length(biggest) * FONT * CHAR_WIDTH + 10
    width = 720.0
    side = (width - label_col - 32) / 2
    scale = (side - reserve) / max(biggest, 1)
    centre_left = 16 + side
    centre_right = centre_left + label_col
    heights = [max(28, len(lines) * LINE + 10) for lines in wrapped]
    top = 56
    chart.width, chart.height = width, top + sum(heights) + 12
    legend = _legend([(_("Male"), DARK, "box")], 16, 8)
    chart.rects += legend[0]
    chart.texts += legend[2]
    female_legend_x = width - 16 - 14 - 6 - _text_width(str(_("Female")))
    legend = _legend([(_("Female"), LIGHT, "box")], _r(female_legend_x), 8)
    chart.rects += legend[0]
    chart.texts += legend[2]
    chart.texts.append(
        Text(_r(centre_left + label_col / 2), 44, (_("Age group"),), anchor="middle", fill=MUTED)
    )
    y = top + sum(heights)
    for row, lines, height in zip(rows, wrapped, heights, strict=True):
        y -= height  # The first band at the bottom.
        bar_y, bar_h = _r(y + 4), height - 8
        mid = y + height / 2
        male_w, female_w = row.male * scale, row.female * scale
        if row.male:
            chart.rects.append(Rect(_r(centre_left - male_w), bar_y, _r(male_w), bar_h, DARK))
        if row.female:
            chart.rects.append(Rect(_r(centre_right), bar_y, _r(female_w), bar_h, LIGHT, DARK))
        chart.texts.append(
            Text(_r(centre_left - male_w - 5), _r(mid + 4), (format_int(row.male),), anchor="end")
        )
        chart.texts.append(
            Text(_r(centre_right + female_w + 5), _r(mid + 4), (format_int(row.female),))
        )
        first = mid - (len(lines) - 1) * LINE / 2 + 4
        chart.texts.append(
            Text(_r(centre_left + label_col / 2), _r(first), lines, anchor="middle", weight="bold")
        )
        chart.lines.append(Line(_r(centre_left), _r(y + height), _r(centre_left), _r(y)))
        chart.lines.append(Line(_r(centre_right), _r(y + height), _r(centre_right), _r(y)))
    return chart


# --- c) horizontal bars with counts and shares ---------------------------------------------------


@dataclass(frozen=True)
class BarRow:
    label: str
    value: int
    percent: Decimal | None

    @property
    def percent_label(self) -> str:
        return format_percent(self.percent)

    @property
    def value_label(self) -> str:
        return format_int(self.value)


def bar_chart(
    rows: Sequence[tuple[str, int]],
    title: Any,
    *,
    label_heading: Any = None,
    value_heading: Any = None,
) -> Chart:
    """One horizontal bar per category, labelled with its count and its share of the total."""
    counts = [(str(label), _count(v)) for label, v in rows]
    total = sum(v for _label, v in counts)
    items = [BarRow(label, v, _percent(v, total)) for label, v in counts]
    chart = Chart("bars", title, _uid("bars", items, title), rows=items)
    chart.extra = {
        "label_heading": label_heading or _("Category"),
        "value_heading": value_heading or _("Number"),
        "total": total,
        "total_label": format_int(total),
        "total_percent_label": format_percent(Decimal(100) if total else None),
    }
    if not items:
        return chart
    wrapped = [_wrap(r.label, 24) for r in items]
    label_col = max(_text_width(line) for lines in wrapped for line in lines) + 12
    biggest = max(r.value for r in items)
    value_chars = max(_int_label_length(r.value) + len(" (100,0%)") for r in items)
    reserve = value_chars * FONT * CHAR_WIDTH + 10
    width = 720.0
    bar_left = 16 + label_col
    scale = (width - 16 - bar_left - reserve) / max(biggest, 1)
    heights = [max(30, len(lines) * LINE + 12) for lines in wrapped]
    chart.width, chart.height = width, sum(heights) + 16
    y = 8.0
    for row, lines, height in zip(items, wrapped, heights, strict=True):
        mid = y + height / 2
        bar_w = row.value * scale
        if row.value:
            chart.rects.append(Rect(_r(bar_left), _r(y + 5), _r(bar_w), height - 10, DARK))
        first = mid - (len(lines) - 1) * LINE / 2 + 4
        chart.texts.append(Text(_r(bar_left - 10), _r(first), lines, anchor="end"))
        chart.texts.append(
            Text(
                _r(bar_left + bar_w + 6),
                _r(mid + 4),
                (lazy(lambda r=row: f"{r.value_label} ({r.percent_label})", str)(),),
                weight="bold",
            )
        )
        y += height
    chart.lines.append(Line(_r(bar_left), 8, _r(bar_left), _r(y), stroke=INK))
    return chart


# --- d) admissions against the target --------------------------------------------------------


@dataclass(frozen=True)
class AdmissionYear:
    year: int
    admitted: int
    target: int | None

    @property
    def percent(self) -> Decimal | None:
        return None if self.target is None else _percent(self.admitted, self.target)


def admissions_vs_target(
    years: Sequence[tuple[int, int, int | None]], *, title: Any = None
) -> Chart:
    """A bar of members admitted per year, and across it a dashed line at that year's target."""
    title = title or _("Members admitted and the target, by year")
    rows = sorted(
        (AdmissionYear(int(y), _count(a), None if t is None else _count(t)) for y, a, t in years),
        key=lambda r: r.year,
    )
    chart = Chart("admissions", title, _uid("admissions", rows, title), rows=list(rows))
    if not rows:
        return chart
    biggest = max(max(r.admitted, r.target or 0) for r in rows)
    top, step = nice_scale(biggest)
    left = 16 + _int_label_length(top) * FONT * CHAR_WIDTH
    slot = max(60.0, (_int_label_length(biggest) + 2) * FONT * CHAR_WIDTH)
    width = max(560.0, left + slot * len(rows) + 16)
    slot = (width - left - 16) / len(rows)
    bar = min(slot * 0.55, 64)
    plot_top, plot_height = 56, 240
    y0 = plot_top + plot_height
    chart.width, chart.height = _r(width), y0 + 44
    chart.lines, chart.texts = _value_axis(
        top, step, left=_r(left), right=_r(width - 16), y0=y0, plot_height=plot_height
    )
    legend = _legend(
        [(_("Admitted"), MID, "box"), (_("Target (figure under the year)"), INK, "line")],
        _r(left),
        8,
    )
    chart.rects += legend[0]
    chart.lines += legend[1]
    chart.texts += legend[2]
    for i, row in enumerate(rows):
        cx = left + slot * (i + 0.5)
        bar_h = row.admitted / top * plot_height
        if row.admitted:
            chart.rects.append(
                Rect(_r(cx - bar / 2), _r(y0 - bar_h), _r(bar), _r(bar_h), MID, DARK)
            )
        label_y = y0 - bar_h - 7
        if row.target is not None:
            ty = _r(y0 - row.target / top * plot_height)
            reach = min(bar / 2 + 8, slot / 2 - 2)
            # A white casing keeps the line visible across the bar.
            chart.lines.append(Line(_r(cx - reach), ty, _r(cx + reach), ty, stroke=WHITE, width=6))
            chart.lines.append(
                Line(_r(cx - reach), ty, _r(cx + reach), ty, stroke=INK, width=3, dash="6 3")
            )
            if label_y - FONT - 2 <= ty <= label_y + 8:  # The line would cross the figure.
                label_y = ty - 7
        chart.texts.append(
            Text(_r(cx), _r(label_y), (format_int(row.admitted),), anchor="middle", weight="bold")
        )
        target = "—" if row.target is None else format_int(row.target)
        chart.texts.append(Text(_r(cx), y0 + 18, (str(row.year),), anchor="middle", weight="bold"))
        chart.texts.append(Text(_r(cx), y0 + 35, (target,), anchor="middle", fill=MUTED))
    return chart
