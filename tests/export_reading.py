"""Reading an export back as a person's spreadsheet would: the .xlsx with openpyxl, the .csv with
the csv module (after checking the byte-order mark)."""

from __future__ import annotations

import csv
import io

from django.utils import translation
from openpyxl import load_workbook

BOM = b"\xef\xbb\xbf"


def body(response) -> bytes:
    """The whole body of a response, streamed or not (a stream is read once, then kept)."""
    if not getattr(response, "streaming", False):
        return response.content
    if not hasattr(response, "read_body"):
        response.read_body = b"".join(response.streaming_content)
    return response.read_body


def xlsx_sheet(response):
    """The export's worksheet (``load_workbook`` reads it back, styles and all)."""
    workbook = load_workbook(io.BytesIO(body(response)))
    return workbook.worksheets[0]


def xlsx_rows(response) -> list[list]:
    return [list(row) for row in xlsx_sheet(response).iter_rows(values_only=True)]


def xlsx_table(response) -> list[list]:
    """The header row and the data rows, without the title block above them."""
    sheet = xlsx_sheet(response)
    header = int(sheet.freeze_panes[1:]) - 1
    return [list(row) for row in sheet.iter_rows(min_row=header, values_only=True)]


def csv_rows(response) -> list[list[str]]:
    data = body(response)
    assert data.startswith(BOM)
    return list(csv.reader(io.StringIO(data[len(BOM) :].decode("utf-8"), newline="")))


def vi(msgid: str, **values) -> str:
    """The Vietnamese of a msgid, from the catalog (so that a test follows its wording)."""
    with translation.override("vi"):
        text = translation.gettext(msgid)
    return text % values if values else text
