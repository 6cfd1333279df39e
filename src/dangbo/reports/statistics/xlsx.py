"""The statistics forms (1–4-TCTW) and the member register (7-HSĐV) as .xlsx files, laid out
like the paper forms so that they print on A4 as they are: the issuing organization under its
superior committee top left, the Party's name top right with the form number, the centred title
and date line, the bordered table, then place and date and the signature block.

The forms are small (tens of rows) and are built in memory with openpyxl. The member register
(``statistics.register``) uses the same layout helpers.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from dangbo.core.docx import BLANK_PLACE
from dangbo.organizations.models import Organization, OrganizationKind, OrganizationLevel
from dangbo.organizations.selectors import get_parent
from dangbo.reports.statistics.forms import Table

FORM_KEYS = ("organizations", "members", "admissions", "movement")
ALL_FORMS = "all"
# Forms counted over a period (admissions, movement) rather than on a day.
PERIOD_FORMS = frozenset({"admissions", "movement"})
REGISTER_FORM = "7-HSĐV"

FONT_NAME = "Times New Roman"
BODY_SIZE = 12
HEADER_SIZE = 13
TITLE_SIZE = 14
NUMBER_FORMAT = "#,##0"
DATE_FORMAT = "DD/MM/YYYY"
# Points per line of 12-point text, and the characters of it a column unit holds (Times New
# Roman is narrower than the Calibri that column units are measured in; kept on the safe side).
LINE_POINTS = 15.75
CHARS_PER_UNIT = 1.0
# Left for a signature between the signer's title and the name written under it.
SIGNATURE_ROWS = 4
CM = 1 / 2.54  # inches

_thin = Side(style="thin")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)


def _font(size: int = BODY_SIZE, **kwargs: Any) -> Font:
    return Font(name=FONT_NAME, size=size, **kwargs)


def count_lines(text: str, width: float, size: int = BODY_SIZE) -> int:
    """How many lines ``text`` takes in a column ``width`` units wide, wrapped."""
    per_line = max(1, int(width * CHARS_PER_UNIT * BODY_SIZE / size))
    return sum(max(1, math.ceil(len(part) / per_line)) for part in str(text).split("\n"))


def row_height(lines: int, size: int = BODY_SIZE) -> float:
    return round(lines * LINE_POINTS * size / BODY_SIZE + 2, 2)


def _text(value: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def place_and_date(place: str, day: dt.date) -> str:
    """ "TP Hồ Chí Minh, ngày 05 tháng 01 năm 2020"; dots to fill by hand without a place."""
    return _("%(place)s, day %(day)s month %(month)s year %(year)s") % {
        "place": place or BLANK_PLACE,
        "day": f"{day:%d}",
        "month": f"{day:%m}",
        "year": f"{day:%Y}",
    }


def signer_title(organization: Organization) -> str:
    """Who signs for the organization: its standing committee above the grassroots, its
    committee in a party committee, the branch in a branch."""
    if organization.level == OrganizationLevel.UPPER:
        return _("ON BEHALF OF THE STANDING COMMITTEE")
    if organization.kind == OrganizationKind.COMMITTEE:
        return _("ON BEHALF OF THE PARTY COMMITTEE")
    return _("ON BEHALF OF THE PARTY BRANCH")


def superior_name(organization: Organization, day: dt.date) -> str:
    """The committee directly above the organization on ``day`` (empty at the top)."""
    parent = get_parent(organization, day)
    return parent.name if parent is not None else ""


def form_title(key: str) -> str:
    return {
        "organizations": _("REPORT ON THE NUMBER OF PARTY ORGANIZATIONS AND PARTY MEMBERS"),
        "members": _("REPORT ON THE NUMBER AND QUALITY OF PARTY MEMBERS"),
        "admissions": _("REPORT ON THE ADMISSION OF NEW PARTY MEMBERS"),
        "movement": _("REPORT ON THE INCREASE AND DECREASE OF PARTY MEMBERS"),
    }[key]


def as_of_line(day: dt.date) -> str:
    return _("(As of %(day)s)") % {"day": f"{day:%d/%m/%Y}"}


def period_line(start: dt.date, end: dt.date) -> str:
    return _("(From %(start)s to %(end)s)") % {
        "start": f"{start:%d/%m/%Y}",
        "end": f"{end:%d/%m/%Y}",
    }


def _setup_page(sheet, *, landscape: bool, title_rows: str | None) -> None:
    """A4, fitted to one page wide, the table header repeated on every page, the margins of an
    administrative document (3 cm binding edge), page numbers in the footer."""
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins = PageMargins(
        left=3 * CM if not landscape else 2 * CM,
        right=1.5 * CM,
        top=2 * CM if not landscape else 3 * CM,
        bottom=2 * CM,
        header=0.8 * CM,
        footer=0.8 * CM,
    )
    sheet.oddFooter.center.text = "&P/&N"
    sheet.oddFooter.center.font = FONT_NAME
    if title_rows:
        sheet.print_title_rows = title_rows


# --- the four forms -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Grid:
    """The columns of a form sheet: STT, the label, the figures (and, under a single figure, a
    notes column, so that the page is as wide as the two header blocks need)."""

    widths: tuple[float, ...]
    headers: tuple[str, ...]
    figures: int  # how many figure columns follow the label

    @property
    def last(self) -> int:
        return len(self.widths)

    @property
    def split(self) -> int:
        """The last column of the left header block (STT and label)."""
        return 2


def _grid(table: Table) -> _Grid:
    columns = tuple(table.columns)
    if len(columns) == 1:
        return _Grid(
            widths=(6, 50, 14, 18),
            headers=(_("No."), _("Indicator"), columns[0], _("Note")),
            figures=1,
        )
    return _Grid(
        widths=(6, 42, *([12] * len(columns))),
        headers=(_("No."), _("Indicator"), *columns),
        figures=len(columns),
    )


class _Sheet:
    """Writing one form on a normal (in-memory) worksheet, row by row."""

    def __init__(self, sheet, widths: Sequence[float]):
        self.sheet = sheet
        self.widths = tuple(widths)
        self.row = 0
        for index, width in enumerate(self.widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width

    def _width(self, first: int, last: int) -> float:
        return sum(self.widths[first - 1 : last])

    def put(
        self,
        column: int,
        value: Any,
        *,
        last: int | None = None,
        font: Font | None = None,
        align: str = "left",
        indent: int = 0,
        border: bool = False,
        number_format: str | None = None,
    ):
        """Write one cell (merged over ``column``..``last``) of the current row."""
        cell = self.sheet.cell(row=self.row, column=column)
        if value == "":
            value = None  # an empty text cell is a styled blank
        if isinstance(value, str):
            cell.value = _text(value)
            cell.data_type = "s"  # text, never a formula, whatever it begins with
        else:
            cell.value = value
        cell.font = font or _font()
        cell.alignment = Alignment(
            horizontal=align, vertical="center", wrap_text=True, indent=indent
        )
        if number_format:
            cell.number_format = number_format
        if border:
            cell.border = BORDER
        if last is not None and last > column:
            if border:
                for index in range(column + 1, last + 1):
                    self.sheet.cell(row=self.row, column=index).border = BORDER
            self.sheet.merge_cells(
                start_row=self.row, start_column=column, end_row=self.row, end_column=last
            )
        return cell

    def next_row(self, *texts: tuple[str, int, int, int], height: float | None = None) -> int:
        """Start a new row; its height fits the longest of ``texts`` ((text, first, last,
        font size)) when wrapped, or is ``height``."""
        self.row += 1
        lines = [
            row_height(count_lines(text, self._width(first, last), size), size)
            for text, first, last, size in texts
        ]
        if height is not None or lines:
            self.sheet.row_dimensions[self.row].height = height or max(lines)
        return self.row

    def blank(self, height: float = LINE_POINTS) -> None:
        self.next_row(height=height)


def issuer_lines(superior: str, organization: str) -> list[tuple[str, bool]]:
    """The three lines top left, (text, bold): the superior committee, the issuing organization
    in bold, a star; without a superior the organization moves up to the Party's line."""
    lines = [(superior.upper(), False)] if superior else []
    lines += [(organization.upper(), True), ("*", False)]
    return (lines + [("", False)])[:3]


def _header_block(
    out: _Sheet,
    *,
    superior: str,
    organization: str,
    number: str,
    title: str,
    dates: str,
    split: int,
    last: int,
) -> None:
    """Issuer and superior (left), the Party's name and the form number (right), the title."""
    right = split + 1
    out.next_row((_("Form %(number)s") % {"number": number}, right, last, BODY_SIZE))
    out.put(
        right,
        _("Form %(number)s") % {"number": number},
        last=last,
        font=_font(bold=True, italic=True),
        align="right",
    )
    party = _("COMMUNIST PARTY OF VIET NAM")
    for index, (text, bold) in enumerate(issuer_lines(superior, organization)):
        if index == 0:
            out.next_row((text, 1, split, HEADER_SIZE), (party, right, last, HEADER_SIZE))
            out.put(
                right,
                party,
                last=last,
                font=_font(HEADER_SIZE, bold=True, underline="single"),
                align="center",
            )
        else:
            out.next_row((text, 1, split, HEADER_SIZE))
        out.put(1, text, last=split, font=_font(HEADER_SIZE, bold=bold), align="center")
    out.blank()
    out.next_row((title, 1, last, TITLE_SIZE))
    out.put(1, title, last=last, font=_font(TITLE_SIZE, bold=True), align="center")
    out.next_row((dates, 1, last, BODY_SIZE))
    out.put(1, dates, last=last, font=_font(italic=True), align="center")
    out.blank()


def _signature_block(
    out: _Sheet, *, place: str, signed_on: dt.date, signer: str, split: int, last: int
) -> None:
    """Place and date (right), the preparer (left) and the signer for the organization (right),
    with room to sign."""
    right = split + 1
    out.blank()
    when = place_and_date(place, signed_on)
    out.next_row((when, right, last, BODY_SIZE))
    out.put(right, when, last=last, font=_font(italic=True), align="center")
    out.next_row((signer, right, last, HEADER_SIZE))
    out.put(1, _("PREPARED BY"), last=split, font=_font(HEADER_SIZE, bold=True), align="center")
    out.put(right, signer, last=last, font=_font(HEADER_SIZE, bold=True), align="center")
    out.next_row()
    out.put(right, _("SECRETARY"), last=last, font=_font(HEADER_SIZE, bold=True), align="center")
    for _row in range(SIGNATURE_ROWS):
        out.blank()


def _figure(out: _Sheet, column: int, value: int | None, *, bold: bool) -> None:
    if value is None:  # the figure does not apply to this row
        out.put(column, "x", font=_font(bold=bold), align="center", border=True)
    else:
        out.put(
            column,
            value,
            font=_font(bold=bold),
            align="right",
            border=True,
            number_format=NUMBER_FORMAT,
        )


def write_form(
    sheet,
    table: Table,
    *,
    organization: Organization,
    superior: str,
    as_of: dt.date,
    start: dt.date,
    place: str,
    signed_on: dt.date,
) -> None:
    """One form on ``sheet`` (a normal worksheet), ready to print."""
    grid = _grid(table)
    out = _Sheet(sheet, grid.widths)
    dates = period_line(start, as_of) if table.key in PERIOD_FORMS else as_of_line(as_of)
    _header_block(
        out,
        superior=superior,
        organization=organization.name,
        number=table.number,
        title=form_title(table.key),
        dates=dates,
        split=grid.split,
        last=grid.last,
    )
    # The column headings, then the column numbering of the paper forms (A, B, 1, 2…).
    header_row = out.next_row(*[(h, i, i, BODY_SIZE) for i, h in enumerate(grid.headers, 1)])
    for index, label in enumerate(grid.headers, start=1):
        out.put(index, label, font=_font(bold=True), align="center", border=True)
    out.next_row()
    numbering = ["A", "B", *[str(n) for n in range(1, len(grid.headers) - 1)]]
    for index, mark in enumerate(numbering, start=1):
        out.put(index, mark, font=_font(italic=True), align="center", border=True)
    sheet.freeze_panes = f"C{out.row + 1}"
    for row in table.rows:
        heading = not row.cells
        bold = heading or row.total or row.depth == 0
        out.next_row((row.label, 2, 2, BODY_SIZE))
        out.put(1, row.code, font=_font(bold=bold), align="center", border=True)
        out.put(2, row.label, font=_font(bold=bold), indent=2 * row.depth, border=True)
        for offset in range(grid.figures):
            column = 3 + offset
            if heading:
                out.put(column, None, border=True)
            else:
                cell = row.cells[offset] if offset < len(row.cells) else None
                _figure(out, column, cell.value if cell else None, bold=bold)
        for column in range(3 + grid.figures, grid.last + 1):
            out.put(column, None, border=True)
    if table.notes:
        out.blank(height=6)
        for note in table.notes:
            text = _("Note: %(text)s") % {"text": note}
            out.next_row((text, 1, grid.last, BODY_SIZE))
            out.put(1, text, last=grid.last, font=_font(italic=True))
    _signature_block(
        out,
        place=place,
        signed_on=signed_on,
        signer=signer_title(organization),
        split=grid.split,
        last=grid.last,
    )
    _setup_page(sheet, landscape=False, title_rows=f"{header_row}:{header_row + 1}")
    sheet.print_area = f"A1:{get_column_letter(grid.last)}{out.row}"
    sheet.sheet_view.showGridLines = False


def form_workbook(statistics, key: str, *, place: str = "", signed_on: dt.date) -> bytes:
    """The form ``key`` (organizations | members | admissions | movement), or every form as
    its own sheet (``all``), of ``statistics`` as an .xlsx file."""
    if key == ALL_FORMS:
        tables = list(statistics.tables)
    else:
        table = statistics.table(key)
        if table is None:
            raise KeyError(key)
        tables = [table]
    organization = statistics.organization
    superior = superior_name(organization, statistics.as_of)
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        sheet = workbook.create_sheet(title=table.number)
        write_form(
            sheet,
            table,
            organization=organization,
            superior=superior,
            as_of=statistics.as_of,
            start=statistics.start,
            place=place,
            signed_on=signed_on,
        )
    workbook.properties.title = tables[0].title if len(tables) == 1 else _("Statistics forms")
    workbook.properties.creator = "dangbo"
    target = io.BytesIO()
    workbook.save(target)
    return target.getvalue()
