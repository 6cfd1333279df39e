"""Lists as files: every row a list page shows (all pages), as .xlsx or .csv.

A view builds a ``ListExport`` from the same selector call and filters as its page, and answers
``export_response``. Rows are read in chunks (``chunked`` for querysets, the member list's own
``iterator``), so memory stays flat however long the list is. Both formats are streamed
as they are written: the CSV a block of rows at a time, the .xlsx by ``core.xlsx_stream`` (the
zip package compressed on the fly). Each export is audited (``export_services.record_export``,
with the number of rows when ``count`` tells it) before a byte of it leaves the server.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from dangbo.core import xlsx_stream
from dangbo.core.text import fold

XLSX = "xlsx"
CSV = "csv"
FORMATS = (XLSX, CSV)
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
# Rows read from the database at a time, and CSV rows sent to the client at a time.
CHUNK_SIZE = 2000
DATE_FORMAT = xlsx_stream.DATE_FORMAT
DATETIME_FORMAT = xlsx_stream.DATETIME_FORMAT
BOM = "\ufeff"
# A cell beginning with one of these is read as a formula by spreadsheets (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")
# Characters Excel refuses in a sheet name.
_UNSAFE_SHEET = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Column:
    """One column of an export: its header and how to read its value from a row."""

    label: str | Promise
    value: Callable[[Any], Any]
    width: int = 16


@dataclass
class ListExport:
    """One list to export: what it is (``name``, shown as the title and in the audit log), its
    columns and rows, and what the user chose (``details`` shown on the sheet as (label, value);
    ``filters`` recorded in the audit log)."""

    name: str | Promise
    object_type: str
    columns: Sequence[Column]
    rows: Iterable[Any]
    filename: str
    as_of: dt.date | None = None
    organization: Any = None
    details: Sequence[tuple[str, str]] = ()
    filters: dict[str, Any] = field(default_factory=dict)
    # How many rows, when known without reading them (recorded in the audit log: a file is
    # audited before its rows are read).
    count: Callable[[], int | None] | None = None


def requested_format(request) -> str | None:
    """The file format asked for with ``?format=``, or None when it is not one we write."""
    value = request.GET.get("format", "")
    return value if value in FORMATS else None


def bad_format_response() -> HttpResponse:
    return bad_request_response([_("The file format (format): choose “xlsx” (Excel) or “csv”.")])


def bad_request_response(messages: Sequence[str]) -> HttpResponse:
    """A plain 400 answer listing what could not be read (nothing was exported)."""
    text = "\n".join([_("Nothing was exported:"), *messages]) + "\n"
    return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")


def query_filters(request, ignore: Iterable[str] = ("page", "format", "page_size")) -> dict:
    """The request's query parameters as the filters of an export (for the audit log)."""
    skipped = set(ignore)
    return {
        key: values[0] if len(values) == 1 else values
        for key, values in request.GET.lists()
        if key not in skipped and any(values)
    }


def chunked(queryset: QuerySet, chunk_size: int | None = None) -> Iterator[Any]:
    """The rows of a queryset, fetched ``chunk_size`` at a time (a server-side cursor on
    PostgreSQL), never all at once."""
    return queryset.iterator(chunk_size=chunk_size or CHUNK_SIZE)


def batched(rows: Iterable[Any], size: int | None = None) -> Iterator[list[Any]]:
    """``rows`` in lists of ``size``: for work done once per chunk (naming what rows refer to)."""
    size = size or CHUNK_SIZE
    batch: list[Any] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


# --- values -------------------------------------------------------------------------------------


def _local(moment: dt.datetime) -> dt.datetime:
    """A moment as a naive local time (spreadsheets know no time zones)."""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.replace(tzinfo=None)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return str(value)


def _defused(text: str) -> str:
    """Text that a spreadsheet will not run as a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_value(value: Any) -> str:
    """A value as CSV text: dates dd/mm/yyyy, times dd/mm/yyyy hh:mm, numbers plain."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return f"{_local(value):%d/%m/%Y %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, int | float | decimal.Decimal) and not isinstance(value, bool):
        return str(value)
    return _defused(_text(value))


# --- CSV ----------------------------------------------------------------------------------------


class _Line:
    """A file-like object that hands back what ``csv.writer`` writes (one line at a time)."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(columns: Sequence[Column], rows: Iterable[Any]) -> Iterator[bytes]:
    """The CSV file in blocks: a byte-order mark (so that Excel reads UTF-8), the header, then
    the rows, RFC 4180 quoting and CRLF line ends, ``CHUNK_SIZE`` rows a block."""
    writer = csv.writer(_Line(), lineterminator="\r\n")
    yield (BOM + writer.writerow([str(c.label) for c in columns])).encode()
    for batch in batched(rows):
        lines = [writer.writerow([csv_value(c.value(row)) for c in columns]) for row in batch]
        yield "".join(lines).encode()


# --- xlsx ---------------------------------------------------------------------------------------


def _sheet_title(name: str) -> str:
    return _UNSAFE_SHEET.sub(" ", name).strip()[:31] or "Sheet1"


def _xlsx_value(value: Any) -> Any:
    """A value as the sheet holds it: dates and numbers as they are, times in local time,
    yes/no and the rest as text (text is never a formula, whatever it begins with)."""
    if value is None or isinstance(value, dt.date | str):
        return _local(value) if isinstance(value, dt.datetime) else value
    if isinstance(value, int | float | decimal.Decimal) and not isinstance(value, bool):
        return value
    return _text(value)


def xlsx_chunks(
    export: ListExport,
    *,
    exported_by: str,
    exported_at: dt.datetime,
    written: list[int] | None = None,
) -> Iterator[bytes]:
    """The export as an .xlsx workbook, in blocks of bytes sent while the rows are read. A
    title block (list, filters, as-of date, who and when), the bold header row, frozen and
    repeated on every printed page, A4 landscape fitted to the page width, page numbers.
    ``written``, when given, receives the number of rows once the last one is written."""
    name = str(export.name)
    columns = list(export.columns)
    last = max(len(columns), 1)
    organization_name = (
        export.organization.name if export.organization is not None else _("Whole scope")
    )
    titles = [_("Party organization: %(name)s") % {"name": organization_name}]
    titles += [f"{label}: {value}" for label, value in export.details]
    if export.as_of is not None:
        titles.append(_("As of: %(day)s") % {"day": f"{export.as_of:%d/%m/%Y}"})
    titles.append(
        _("Exported by %(user)s at %(time)s")
        % {"user": exported_by, "time": f"{_local(exported_at):%d/%m/%Y %H:%M}"}
    )
    header_row = len(titles) + 3  # the list's name, the lines above, a blank row
    sheet = xlsx_stream.Sheet(
        title=_sheet_title(name),
        widths=[column.width for column in columns],
        freeze=f"A{header_row + 1}",
        print_title_rows=(header_row, header_row),
        landscape=True,
        document_title=name,
    )

    def rows() -> Iterator[Any]:
        yield xlsx_stream.Row([xlsx_stream.Cell(name, xlsx_stream.TITLE)], merges=[(1, last)])
        for line in titles:
            yield [line]
        yield []
        yield [xlsx_stream.Cell(str(column.label), xlsx_stream.HEADER) for column in columns]
        count = 0
        values = [column.value for column in columns]
        for item in export.rows:
            yield [_xlsx_value(value(item)) for value in values]
            count += 1
        if written is not None:
            written.append(count)

    return xlsx_stream.stream_xlsx(sheet, rows())


# --- responses ----------------------------------------------------------------------------------


def content_disposition(stem: str, extension: str, *, display_name: str = "") -> str:
    """``attachment`` with an ASCII file name for old clients and the Vietnamese one
    (RFC 6266 ``filename*``) for the others."""
    ascii_stem = _UNSAFE_FILENAME.sub("-", fold(stem)).strip("-._") or "export"
    ascii_name = f"{ascii_stem}.{extension}"
    header = f'attachment; filename="{ascii_name}"'
    if display_name:
        header += f"; filename*=UTF-8''{quote(f'{display_name}.{extension}', safe='')}"
    return header


def _names(export: ListExport) -> tuple[str, str]:
    day = export.as_of or timezone.localdate()
    stem = f"{export.filename}-{day:%Y-%m-%d}"
    display = f"{export.name} {day:%d-%m-%Y}".replace("/", "-")
    return stem, display


def export_response(request, export: ListExport, file_format: str) -> HttpResponseBase:
    """The export as a download, audited once (with the number of rows when known)."""
    from dangbo.core.export_services import record_export

    user = request.user
    stem, display = _names(export)
    if file_format == XLSX:
        record_export(
            actor=user,
            name=str(export.name),
            object_type=export.object_type,
            file_format=XLSX,
            filters=export.filters,
            row_count=export.count() if export.count is not None else None,
            organization=export.organization,
        )
        download = StreamingHttpResponse(
            xlsx_chunks(export, exported_by=user.get_username(), exported_at=timezone.now()),
            content_type=XLSX_CONTENT_TYPE,
        )
        download["Content-Disposition"] = content_disposition(stem, XLSX, display_name=display)
        return download
    record_export(
        actor=user,
        name=str(export.name),
        object_type=export.object_type,
        file_format=CSV,
        filters=export.filters,
        row_count=export.count() if export.count is not None else None,
        organization=export.organization,
    )
    response: HttpResponseBase = StreamingHttpResponse(
        csv_chunks(export.columns, export.rows), content_type=CSV_CONTENT_TYPE
    )
    response["Content-Disposition"] = content_disposition(stem, CSV, display_name=display)
    return response
