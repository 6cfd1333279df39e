"""The streaming .xlsx writer (core/xlsx_stream.py): a file openpyxl (and LibreOffice) reads back
with its values, styles and print setup, sent in blocks while its rows are produced."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import zipfile
from decimal import Decimal

import pytest
from django.http import StreamingHttpResponse
from django.test import RequestFactory
from openpyxl import load_workbook

from dangbo.core import exports, xlsx_stream
from dangbo.core.xlsx_stream import Cell, Row, Sheet, Style

SHEET = Sheet(
    title="Danh sách",
    widths=[24, 12, 10],
    freeze="A4",
    print_title_rows=(3, 3),
    print_area=True,
    landscape=False,
    center_horizontally=True,
    grid_lines=False,
    font_name="Times New Roman",
    font_size=12,
    document_title="Danh sách đảng viên",
)


def rows():
    yield Row([Cell("DANH SÁCH ĐẢNG VIÊN", xlsx_stream.CENTRED_TITLE)], merges=[(1, 3)])
    yield Row(["Đảng bộ “Khối” <Dân> & Chính"], height=30)
    yield [Cell(label, xlsx_stream.HEADER) for label in ("Họ và tên", "Ngày sinh", "Số")]
    yield ["Nguyễn Thị Ánh", dt.date(1990, 7, 4), 1234567]
    yield ["Trần\x00 Văn\x07 Bình\x1f", dt.datetime(2026, 3, 4, 8, 30), 2.5]
    yield ['=HYPERLINK("http://x")', None, Decimal("7")]
    yield ["+84 90", "-1", "@SUM(A1)"]
    yield [Cell("Có viền", xlsx_stream.BORDERED), Cell(None, xlsx_stream.BORDERED), True]
    yield Row([None, Cell("Ký tên", Style(bold=True, align="center"))], merges=[(2, 3)])


def workbook_of(blocks):
    return load_workbook(io.BytesIO(b"".join(blocks)))


def test_values_come_back_as_written():
    sheet = workbook_of(xlsx_stream.stream_xlsx(SHEET, rows())).worksheets[0]

    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[3] == ["Nguyễn Thị Ánh", dt.datetime(1990, 7, 4), 1234567]
    assert values[4] == ["Trần Văn Bình", dt.datetime(2026, 3, 4, 8, 30), 2.5]
    assert values[1][0] == "Đảng bộ “Khối” <Dân> & Chính"
    assert sheet["B4"].number_format == "DD/MM/YYYY"
    assert sheet["B5"].number_format == "DD/MM/YYYY HH:MM"
    assert values[5][2] == 7
    assert values[7][2] is True


def test_formula_looking_text_stays_text():
    sheet = workbook_of(xlsx_stream.stream_xlsx(SHEET, rows())).worksheets[0]

    for reference, text in (
        ("A6", '=HYPERLINK("http://x")'),
        ("A7", "+84 90"),
        ("B7", "-1"),
        ("C7", "@SUM(A1)"),
    ):
        cell = sheet[reference]
        assert (cell.value, cell.data_type) == (text, "s")
        # Marked as text, so that editing the cell does not turn it into a formula either.
        assert cell.quotePrefix
    assert not sheet["A4"].quotePrefix


def test_styles_merges_and_print_setup():
    book = workbook_of(xlsx_stream.stream_xlsx(SHEET, rows()))
    sheet = book["Danh sách"]

    title = sheet["A1"]
    assert title.font.bold and title.font.size == 14
    assert title.font.name == "Times New Roman"
    assert title.alignment.horizontal == "center"
    assert sheet["A3"].font.bold and sheet["A3"].alignment.wrap_text
    assert not sheet["A4"].font.bold and sheet["A4"].font.size == 12
    assert sheet["A8"].border.left.style == "thin"
    assert sheet["B8"].border.bottom.style == "thin"  # a bordered blank
    assert {str(r) for r in sheet.merged_cells.ranges} == {"A1:C1", "B9:C9"}
    assert sheet.freeze_panes == "A4"
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.print_area == "'Danh sách'!$A$1:$C$9"
    assert int(sheet.page_setup.paperSize) == 9
    assert sheet.page_setup.orientation == "portrait"
    assert int(sheet.page_setup.fitToWidth) == 1
    assert int(sheet.page_setup.fitToHeight) == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_options.horizontalCentered
    assert not sheet.sheet_view.showGridLines
    assert sheet.column_dimensions["A"].width == 24
    assert sheet.row_dimensions[2].height == 30
    assert sheet.oddFooter.center.text == "&P/&N"
    assert book.properties.title == "Danh sách đảng viên"


def test_a_frozen_column_and_rows():
    sheet = Sheet(title="S", widths=[5, 5, 5], freeze="C3")
    book = workbook_of(xlsx_stream.stream_xlsx(sheet, [[1, 2, 3]] * 5))

    assert book.worksheets[0].freeze_panes == "C3"


def test_the_package_is_a_valid_zip_written_without_seeking():
    data = b"".join(xlsx_stream.stream_xlsx(SHEET, rows()))

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert package.testzip() is None
        names = package.namelist()
        assert names[0] == "[Content_Types].xml"
        assert {"xl/workbook.xml", "xl/styles.xml", "xl/worksheets/sheet1.xml"} <= set(names)
        sheet_xml = package.read("xl/worksheets/sheet1.xml").decode()
        # mergeCells after sheetData, as the schema orders them.
        assert sheet_xml.index("</sheetData>") < sheet_xml.index("<mergeCells")
        assert 't="inlineStr"' in sheet_xml
        assert "\x00" not in sheet_xml


def test_first_bytes_leave_before_any_row_is_read():
    pulled: list[int] = []

    def counted():
        for index in range(3000):
            pulled.append(index)
            yield [f"Nguyễn Văn Thành {index:05d}", dt.date(1990, 1, 1), index]

    blocks = xlsx_stream.stream_xlsx(
        Sheet(title="S", widths=[30, 12, 8]), counted(), flush_rows=100, flush_bytes=1
    )
    first = next(blocks)

    assert first.startswith(b"PK")
    assert pulled == []
    second = next(blocks)
    assert second and 0 < len(pulled) < 3000
    rest = list(blocks)
    assert len(rest) > 2
    rows_back = list(workbook_of([first, second, *rest]).worksheets[0].iter_rows(values_only=True))
    assert len(rows_back) == 3000
    assert rows_back[-1] == ("Nguyễn Văn Thành 02999", dt.datetime(1990, 1, 1), 2999)


def test_export_of_5000_rows_streams_in_several_blocks(users):
    request = RequestFactory().get("/x/")
    request.user = users.root_manager
    pulled: list[int] = []

    def rows_of(n):
        for i in range(n):
            pulled.append(i)
            yield {"name": f"Lê Thị Cúc {i}", "born": dt.date(1980, 1, 1) + dt.timedelta(days=i)}

    export = exports.ListExport(
        name="Danh sách thử",
        object_type="members.person",
        columns=[
            exports.Column("Họ và tên", lambda r: r["name"], 20),
            exports.Column("Ngày sinh", lambda r: r["born"], 12),
        ],
        rows=rows_of(5000),
        filename="danh-sach-thu",
        count=lambda: 5000,
    )

    response = exports.export_response(request, export, exports.XLSX)

    assert isinstance(response, StreamingHttpResponse)
    assert pulled == []
    received: list[bytes] = []
    pulled_at: list[int] = []  # how many rows had been read when each block left
    for block in response.streaming_content:
        received.append(block)
        pulled_at.append(len(pulled))
    assert pulled_at[0] == 0  # the package's first parts leave before the first row is read
    assert sum(1 for n in pulled_at if 0 < n < 5000) >= 2  # blocks left while rows were read
    sheet = workbook_of(received).worksheets[0]
    header = int(sheet.freeze_panes[1:]) - 1
    values = list(sheet.iter_rows(min_row=header, values_only=True))
    assert len(values) == 1 + 5000
    assert values[1] == ("Lê Thị Cúc 0", dt.datetime(1980, 1, 1))


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_file(tmp_path):
    source = tmp_path / "danh-sach.xlsx"
    source.write_bytes(b"".join(xlsx_stream.stream_xlsx(SHEET, rows())))

    done = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        timeout=180,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    pdf = tmp_path / "danh-sach.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
