"""An .xlsx workbook of one sheet written as a stream of bytes while its rows are produced.

openpyxl cannot write to a socket: it saves a whole workbook into a file, so a long list is sent
only once it is complete (minutes for a city's members). This writer needs the standard library
only. The package is a zip written to an unseekable output (``zipfile`` then puts each part's
sizes in a data descriptor after its data), so bytes leave as soon as zlib has compressed them:
the small parts first, then the sheet, drained every ``FLUSH_ROWS`` rows, then the parts that
depend on what was written (the print area, the styles used) and the zip's directory.

What it writes: text as inline strings (no shared-string table to hold in memory), numbers as
numbers, dates and times as serial numbers with a date format, a small set of styles
(``Style``: bold, italic, underline, size, alignment, wrap, thin border, number format), column
widths, row heights, merged cells (collected as the rows go and written after the rows, where
the schema puts them), a frozen pane, header rows repeated on every printed page, A4 fitted to
the page width, margins and page numbers in the footer.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import math
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

# Rows written between two hand-overs of the compressed bytes to the client.
FLUSH_ROWS = 500
# Bytes kept back until there are at least this many (fewer, larger blocks on the wire).
FLUSH_BYTES = 16 * 1024
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
PAPER_A4 = 9
# Excel keeps at most this many characters in a cell.
MAX_TEXT = 32767
# Text beginning with one of these is kept as text and marked so (quotePrefix): a spreadsheet
# never runs it as a formula, not even after the cell is edited.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 does not allow (a parser refuses the whole sheet for one of them).
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_EPOCH = dt.datetime(1899, 12, 30)
# Number formats Excel knows by number; others are declared in the styles from 164 on.
_BUILTIN_FORMATS = {"": 0, "General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4}

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG_R = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


@dataclass(frozen=True)
class Style:
    """How a cell looks. ``size`` None is the workbook's font size; ``align`` is "", "left",
    "center" or "right"; ``vertical`` is "", "top", "center" or "bottom"."""

    bold: bool = False
    italic: bool = False
    underline: bool = False
    size: float | None = None
    align: str = ""
    vertical: str = ""
    wrap: bool = False
    indent: int = 0
    border: bool = False
    number_format: str = ""
    quote_prefix: bool = False

    def but(self, **changes: Any) -> Style:
        return dataclasses.replace(self, **changes)


NORMAL = Style()
BOLD = Style(bold=True)
TITLE = Style(bold=True, size=14)
CENTRED_TITLE = Style(bold=True, size=14, align="center", vertical="center")
HEADER = Style(bold=True, wrap=True, vertical="top")
WRAP = Style(wrap=True, vertical="top")
DATE = Style(number_format=DATE_FORMAT)
DATETIME = Style(number_format=DATETIME_FORMAT)
INTEGER = Style(number_format="#,##0")
BORDERED = Style(border=True, vertical="center", wrap=True)
BORDERED_BOLD = BORDERED.but(bold=True, align="center")
BORDERED_DATE = BORDERED.but(align="center", number_format=DATE_FORMAT)
BORDERED_INTEGER = BORDERED.but(align="right", number_format="#,##0")


@dataclass(frozen=True, slots=True)
class Cell:
    """A value with its style (a plain value takes the style of its type)."""

    value: Any
    style: Style = NORMAL


@dataclass(frozen=True, slots=True)
class Row:
    """A row of cells (values or ``Cell``s, None for an empty cell), its height in points,
    and the cells merged in it, as (first column, last column) counted from 1."""

    cells: Sequence[Any] = ()
    height: float | None = None
    merges: Sequence[tuple[int, int]] = ()


@dataclass(frozen=True)
class Margins:
    """Page margins in inches (Excel's defaults)."""

    left: float = 0.7
    right: float = 0.7
    top: float = 0.75
    bottom: float = 0.75
    header: float = 0.3
    footer: float = 0.3


@dataclass
class Sheet:
    """The sheet's layout: what is known before the first row (and, for the print area,
    computed after the last)."""

    title: str
    widths: Sequence[float] = ()
    # The top left cell of the part that scrolls ("A8": rows 1–7 stay in view).
    freeze: str | None = None
    # The rows printed at the top of every page, (first, last).
    print_title_rows: tuple[int, int] | None = None
    # Print from A1 to the last column and the last row written.
    print_area: bool = False
    landscape: bool = True
    fit_to_width: bool = True
    margins: Margins = field(default_factory=Margins)
    center_horizontally: bool = False
    grid_lines: bool = True
    # The page footer, in Excel's header/footer codes ("&C&P/&N": page / pages, centred).
    footer: str = "&C&P/&N"
    font_name: str = "Calibri"
    font_size: float = 11
    # The workbook's title and author (docProps/core.xml).
    document_title: str = ""
    creator: str = "dangbo"


# --- text and values ----------------------------------------------------------------------------


def clean_text(text: str) -> str:
    """Text without the characters XML 1.0 forbids, cut to what a cell holds."""
    return _ILLEGAL_XML.sub("", text)[:MAX_TEXT]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(text: str) -> str:
    return (
        _escape(text)
        .replace('"', "&quot;")
        .replace("\n", "&#10;")
        .replace("\r", "&#13;")
        .replace("\t", "&#9;")
    )


def serial(value: dt.date | dt.datetime) -> float | int:
    """A date or (naive) time as Excel's serial number (days since 30/12/1899)."""
    if isinstance(value, dt.datetime):
        delta = value.replace(tzinfo=None) - _EPOCH
        return delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400
    return (value - _EPOCH.date()).days


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _split_cell(reference: str) -> tuple[int, int]:
    """ "C11" → (column 3, row 11)."""
    match = re.fullmatch(r"([A-Z]+)(\d+)", reference)
    if match is None:
        raise ValueError(reference)
    column = 0
    for char in match.group(1):
        column = column * 26 + ord(char) - 64
    return column, int(match.group(2))


def _number(value: Any) -> str | None:
    """A number as the sheet writes it, or None when it is no finite number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else None
    if isinstance(value, decimal.Decimal):
        return str(value) if value.is_finite() else None
    return None


# --- styles -------------------------------------------------------------------------------------


class _Styles:
    """The styles used, numbered in the order first used (0 is the plain style)."""

    def __init__(self) -> None:
        self.index: dict[Style, int] = {NORMAL: 0}

    def id(self, style: Style) -> int:
        found = self.index.get(style)
        if found is None:
            found = self.index[style] = len(self.index)
        return found

    def xml(self, font_name: str, font_size: float) -> str:
        styles = list(self.index)
        formats: dict[str, int] = {}
        for style in styles:
            code = style.number_format
            if code not in _BUILTIN_FORMATS and code not in formats:
                formats[code] = 164 + len(formats)
        fonts: dict[tuple, int] = {}
        for style in styles:
            fonts.setdefault(self._font_key(style, font_size), len(fonts))
        parts = [_XML, f'<styleSheet xmlns="{_NS}">']
        if formats:
            parts.append(f'<numFmts count="{len(formats)}">')
            parts += [
                f'<numFmt numFmtId="{number}" formatCode="{_attr(code)}"/>'
                for code, number in formats.items()
            ]
            parts.append("</numFmts>")
        parts.append(f'<fonts count="{len(fonts)}">')
        for bold, italic, underline, size in fonts:
            parts.append(
                "<font>"
                + ("<b/>" if bold else "")
                + ("<i/>" if italic else "")
                + ("<u/>" if underline else "")
                + f'<sz val="{size:g}"/><name val="{_attr(font_name)}"/><family val="2"/></font>'
            )
        parts.append("</fonts>")
        parts.append(
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
            '<border><left style="thin"><color auto="1"/></left>'
            '<right style="thin"><color auto="1"/></right>'
            '<top style="thin"><color auto="1"/></top>'
            '<bottom style="thin"><color auto="1"/></bottom><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            "</cellStyleXfs>"
        )
        parts.append(f'<cellXfs count="{len(styles)}">')
        for style in styles:
            number = _BUILTIN_FORMATS.get(style.number_format, formats.get(style.number_format))
            font = fonts[self._font_key(style, font_size)]
            border = 1 if style.border else 0
            attributes = (
                f'numFmtId="{number}" fontId="{font}" fillId="0" borderId="{border}" xfId="0"'
            )
            if number:
                attributes += ' applyNumberFormat="1"'
            if font:
                attributes += ' applyFont="1"'
            if border:
                attributes += ' applyBorder="1"'
            if style.quote_prefix:
                attributes += ' quotePrefix="1"'
            alignment = ""
            if style.align:
                alignment += f' horizontal="{style.align}"'
            if style.vertical:
                alignment += f' vertical="{style.vertical}"'
            if style.wrap:
                alignment += ' wrapText="1"'
            if style.indent:
                alignment += f' indent="{style.indent}"'
            if alignment:
                parts.append(f'<xf {attributes} applyAlignment="1"><alignment{alignment}/></xf>')
            else:
                parts.append(f"<xf {attributes}/>")
        parts.append("</cellXfs>")
        parts.append(
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            '<dxfs count="0"/><tableStyles count="0"/></styleSheet>'
        )
        return "".join(parts)

    @staticmethod
    def _font_key(style: Style, font_size: float) -> tuple:
        return (style.bold, style.italic, style.underline, style.size or font_size)


# --- the sheet ----------------------------------------------------------------------------------


class _SheetWriter:
    """The XML of the sheet, a row at a time; the merges and the last row are kept."""

    def __init__(self, sheet: Sheet, styles: _Styles):
        self.sheet = sheet
        self.styles = styles
        self.row = 0
        self.last_column = len(sheet.widths)
        self.merges: list[str] = []
        self.letters = [column_letter(i) for i in range(1, max(len(sheet.widths), 26) + 1)]
        # The style of a cell by (style, kind of value), so that each combination is looked
        # up once.
        self._ids: dict[tuple[Style, str], int] = {}
        self.date_id = styles.id(DATE)
        self.datetime_id = styles.id(DATETIME)
        self.quoted_id = styles.id(NORMAL.but(quote_prefix=True))

    def letter(self, column: int) -> str:
        while column > len(self.letters):
            self.letters.append(column_letter(len(self.letters) + 1))
        return self.letters[column - 1]

    def start(self) -> str:
        sheet = self.sheet
        parts = [_XML, f'<worksheet xmlns="{_NS}" xmlns:r="{_NS_R}">']
        if sheet.fit_to_width:
            parts.append('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>')
        view = '<sheetView workbookViewId="0"'
        if not sheet.grid_lines:
            view += ' showGridLines="0"'
        if sheet.freeze:
            column, row = _split_cell(sheet.freeze)
            x_split, y_split = column - 1, row - 1
            pane = (
                "bottomRight" if x_split and y_split else ("bottomLeft" if y_split else "topRight")
            )
            split = (f' xSplit="{x_split}"' if x_split else "") + (
                f' ySplit="{y_split}"' if y_split else ""
            )
            view += (
                f'><pane{split} topLeftCell="{sheet.freeze}" activePane="{pane}" state="frozen"/>'
                f'<selection pane="{pane}" activeCell="{sheet.freeze}" sqref="{sheet.freeze}"/>'
                "</sheetView>"
            )
        else:
            view += "/>"
        parts.append(f"<sheetViews>{view}</sheetViews>")
        parts.append(f'<sheetFormatPr defaultRowHeight="{sheet.font_size * 1.25:g}"/>')
        if sheet.widths:
            parts.append("<cols>")
            parts += [
                f'<col min="{i}" max="{i}" width="{width:g}" customWidth="1"/>'
                for i, width in enumerate(sheet.widths, start=1)
            ]
            parts.append("</cols>")
        parts.append("<sheetData>")
        return "".join(parts)

    def style_id(self, style: Style, kind: str) -> int:
        key = (style, kind)
        found = self._ids.get(key)
        if found is None:
            if kind == "date" and not style.number_format:
                style = style.but(number_format=DATE_FORMAT)
            elif kind == "datetime" and not style.number_format:
                style = style.but(number_format=DATETIME_FORMAT)
            elif kind == "formula-like":
                style = style.but(quote_prefix=True)
            found = self._ids[key] = self.styles.id(style)
        return found

    def cell(self, reference: str, value: Any, style: Style | None) -> str:
        """One ``<c>`` element ('' for an empty cell without a style)."""
        if value is None or value == "":
            if style is None or style == NORMAL:
                return ""
            return f'<c r="{reference}" s="{self.style_id(style, "")}"/>'
        if isinstance(value, str):
            text = clean_text(value)
            kind = "formula-like" if text.startswith(FORMULA_START) else ""
            if style is None:
                s = f' s="{self.quoted_id}"' if kind else ""
            else:
                number = self.style_id(style, kind)
                s = f' s="{number}"' if number else ""
            return (
                f'<c r="{reference}"{s} t="inlineStr"><is><t xml:space="preserve">'
                f"{_escape(text)}</t></is></c>"
            )
        if isinstance(value, bool):
            s = f' s="{self.style_id(style, "")}"' if style is not None else ""
            return f'<c r="{reference}"{s} t="b"><v>{int(value)}</v></c>'
        if isinstance(value, dt.datetime):
            number = self.datetime_id if style is None else self.style_id(style, "datetime")
            return f'<c r="{reference}" s="{number}"><v>{serial(value)!r}</v></c>'
        if isinstance(value, dt.date):
            number = self.date_id if style is None else self.style_id(style, "date")
            return f'<c r="{reference}" s="{number}"><v>{serial(value)}</v></c>'
        written = _number(value)
        if written is None:
            return self.cell(reference, str(value), style)
        s = ""
        if style is not None:
            number = self.style_id(style, "")
            s = f' s="{number}"' if number else ""
        return f'<c r="{reference}"{s}><v>{written}</v></c>'

    def write_row(self, row: Row | Sequence[Any]) -> str:
        self.row += 1
        number = self.row
        if isinstance(row, Row):
            cells, height, merges = row.cells, row.height, row.merges
        else:
            cells, height, merges = row, None, ()
        for first, last in merges:
            if last > first:
                self.merges.append(f"{self.letter(first)}{number}:{self.letter(last)}{number}")
        parts = [
            f'<row r="{number}" ht="{height:g}" customHeight="1">'
            if height
            else f'<row r="{number}">'
        ]
        letters = self.letters
        for index, value in enumerate(cells):
            letter = letters[index] if index < len(letters) else self.letter(index + 1)
            if isinstance(value, Cell):
                parts.append(self.cell(f"{letter}{number}", value.value, value.style))
            else:
                parts.append(self.cell(f"{letter}{number}", value, None))
        self.last_column = max(self.last_column, len(cells))
        parts.append("</row>")
        return "".join(parts)

    def end(self) -> str:
        sheet = self.sheet
        parts = ["</sheetData>"]
        if self.merges:
            parts.append(f'<mergeCells count="{len(self.merges)}">')
            parts += [f'<mergeCell ref="{ref}"/>' for ref in self.merges]
            parts.append("</mergeCells>")
        if sheet.center_horizontally:
            parts.append('<printOptions horizontalCentered="1"/>')
        m = sheet.margins
        parts.append(
            f'<pageMargins left="{m.left:.4f}" right="{m.right:.4f}" top="{m.top:.4f}" '
            f'bottom="{m.bottom:.4f}" header="{m.header:.4f}" footer="{m.footer:.4f}"/>'
        )
        orientation = "landscape" if sheet.landscape else "portrait"
        setup = f'<pageSetup paperSize="{PAPER_A4}" orientation="{orientation}"'
        if sheet.fit_to_width:
            setup += ' fitToWidth="1" fitToHeight="0"'
        parts.append(setup + "/>")
        if sheet.footer:
            parts.append(
                f"<headerFooter><oddFooter>{_escape(sheet.footer)}</oddFooter></headerFooter>"
            )
        parts.append("</worksheet>")
        return "".join(parts)


# --- the package --------------------------------------------------------------------------------


def _sheet_reference(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _workbook_xml(sheet: Sheet, last_row: int, last_column: int) -> str:
    names = []
    reference = _sheet_reference(sheet.title)
    if sheet.print_title_rows:
        first, last = sheet.print_title_rows
        names.append(
            f'<definedName name="_xlnm.Print_Titles" localSheetId="0">'
            f"{_escape(reference)}!${first}:${last}</definedName>"
        )
    if sheet.print_area and last_row:
        corner = f"${column_letter(max(last_column, 1))}${last_row}"
        names.append(
            f'<definedName name="_xlnm.Print_Area" localSheetId="0">'
            f"{_escape(reference)}!$A$1:{corner}</definedName>"
        )
    defined = f"<definedNames>{''.join(names)}</definedNames>" if names else ""
    return (
        f'{_XML}<workbook xmlns="{_NS}" xmlns:r="{_NS_R}">'
        '<workbookPr/><bookViews><workbookView activeTab="0"/></bookViews>'
        f'<sheets><sheet name="{_attr(sheet.title)}" sheetId="1" r:id="rId1"/></sheets>'
        f'{defined}<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>'
    )


_OFFICE = "application/vnd.openxmlformats-officedocument"
_RELATION = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CONTENT_TYPES = (
    f"{_XML}"
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    + "".join(
        f'<Override PartName="{part}" ContentType="{kind}"/>'
        for part, kind in (
            ("/xl/workbook.xml", f"{_OFFICE}.spreadsheetml.sheet.main+xml"),
            ("/xl/worksheets/sheet1.xml", f"{_OFFICE}.spreadsheetml.worksheet+xml"),
            ("/xl/styles.xml", f"{_OFFICE}.spreadsheetml.styles+xml"),
            ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
            ("/docProps/app.xml", f"{_OFFICE}.extended-properties+xml"),
        )
    )
    + "</Types>"
)


def _relationships(*targets: tuple[str, str]) -> str:
    return (
        f'{_XML}<Relationships xmlns="{_NS_PKG_R}">'
        + "".join(
            f'<Relationship Id="rId{number}" Type="{kind}" Target="{target}"/>'
            for number, (kind, target) in enumerate(targets, start=1)
        )
        + "</Relationships>"
    )


_ROOT_RELS = _relationships(
    (f"{_RELATION}/officeDocument", "xl/workbook.xml"),
    (
        "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
        "docProps/core.xml",
    ),
    (f"{_RELATION}/extended-properties", "docProps/app.xml"),
)
_WORKBOOK_RELS = _relationships(
    (f"{_RELATION}/worksheet", "worksheets/sheet1.xml"),
    (f"{_RELATION}/styles", "styles.xml"),
)
_APP = (
    f"{_XML}<Properties "
    'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>Microsoft Excel</Application></Properties>"
)


def _core_xml(sheet: Sheet, now: dt.datetime) -> str:
    moment = f"{now:%Y-%m-%dT%H:%M:%SZ}"
    return (
        f"{_XML}<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{_escape(clean_text(sheet.document_title))}</dc:title>"
        f"<dc:creator>{_escape(clean_text(sheet.creator))}</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{moment}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{moment}</dcterms:modified>'
        "</cp:coreProperties>"
    )


class _Sink:
    """Where the zip is written: an unseekable stream whose bytes are taken away as they come."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes, /) -> int:
        self.parts.append(bytes(data))
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts = []
        self.size = 0
        return data


def stream_xlsx(
    sheet: Sheet,
    rows: Iterable[Row | Sequence[Any]],
    *,
    flush_rows: int | None = None,
    flush_bytes: int | None = None,
    zip64: bool = False,
) -> Iterator[bytes]:
    """The .xlsx file of one ``sheet`` holding ``rows``, in blocks of bytes, the first ones
    before any row is read.

    ``zip64``: the sheet's part is written with ZIP64 headers, for a sheet of more than 4 GiB
    of XML. Left off by default: Excel is reported to refuse parts with ZIP64 headers that did
    not need them, and a sheet within Excel's 1.048.576 rows stays far below that size.
    """
    flush_rows = flush_rows or FLUSH_ROWS
    flush_bytes = FLUSH_BYTES if flush_bytes is None else flush_bytes
    now = dt.datetime.now(dt.UTC)
    sink = _Sink()
    styles = _Styles()
    writer = _SheetWriter(sheet, styles)
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", _CONTENT_TYPES)
        package.writestr("_rels/.rels", _ROOT_RELS)
        package.writestr("docProps/app.xml", _APP)
        package.writestr("docProps/core.xml", _core_xml(sheet, now))
        package.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        yield sink.take()
        with package.open("xl/worksheets/sheet1.xml", "w", force_zip64=zip64) as part:
            batch = [writer.start()]
            for row in rows:
                batch.append(writer.write_row(row))
                if len(batch) >= flush_rows:
                    part.write("".join(batch).encode())
                    batch = []
                    if sink.size >= flush_bytes:
                        yield sink.take()
            batch.append(writer.end())
            part.write("".join(batch).encode())
        package.writestr("xl/workbook.xml", _workbook_xml(sheet, writer.row, writer.last_column))
        package.writestr("xl/styles.xml", styles.xml(sheet.font_name, sheet.font_size))
    yield sink.take()
