"""The generic list export (core/exports.py) and the export of the audit log at /audit/export/."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

import pytest
from django.http import StreamingHttpResponse
from django.test import RequestFactory
from django.utils import timezone
from openpyxl import load_workbook

from dangbo.core import audit, exports
from dangbo.core.models import AuditAction, AuditEntry
from tests.export_reading import body, csv_rows, vi, xlsx_rows, xlsx_sheet, xlsx_table

URL = "/audit/export/"


# --- values and names ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (dt.date(2026, 2, 3), "03/02/2026"),
        (12345, "12345"),
        ("Nguyễn Thị Ánh", "Nguyễn Thị Ánh"),
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+84 90", "'+84 90"),
        ("@SUM(A1)", "'@SUM(A1)"),
    ],
)
def test_csv_value(value, text):
    assert exports.csv_value(value) == text


def test_csv_value_of_a_moment_is_local_time():
    moment = dt.datetime(2026, 2, 3, 1, 30, tzinfo=dt.UTC)
    assert exports.csv_value(moment) == "03/02/2026 08:30"


def test_csv_value_of_yes_no_is_translated():
    assert exports.csv_value(True) == vi("Yes")
    assert exports.csv_value(False) == vi("No")


def test_content_disposition_has_ascii_and_utf8_names():
    header = exports.content_disposition(
        "Danh sách đảng viên 2026", "csv", display_name="Danh sách đảng viên"
    )
    assert header == (
        'attachment; filename="danh-sach-dang-vien-2026.csv"; '
        "filename*=UTF-8''Danh%20s%C3%A1ch%20%C4%91%E1%BA%A3ng%20vi%C3%AAn.csv"
    )


def test_content_disposition_never_carries_quotes_or_paths():
    header = exports.content_disposition('a"b/../c', "xlsx")
    assert header == 'attachment; filename="a-b-..-c.xlsx"'


# --- the two formats from a plain iterable --------------------------------------------------


COLUMNS = [
    exports.Column("Họ và tên", lambda r: r["name"], 20),
    exports.Column("Ngày sinh", lambda r: r["born"], 12),
    exports.Column("Ghi chú", lambda r: r["note"], 30),
    exports.Column("Số", lambda r: r["n"], 8),
]


def rows_of(n: int, pulled: list[int] | None = None):
    for i in range(n):
        if pulled is not None:
            pulled.append(i)
        yield {
            "name": f"Nguyễn Thị Ánh {i}",
            "born": dt.date(1990, 1, 1) + dt.timedelta(days=i),
            "note": "=1+1" if i == 0 else "Đảng bộ “Khối”, số 2\nxuống dòng",
            "n": i,
        }


@pytest.fixture
def request_of(users):
    def make(user):
        request = RequestFactory().get("/x/")
        request.user = user
        return request

    return make


def an_export(rows, **kwargs) -> exports.ListExport:
    defaults = {
        "name": "Danh sách thử",
        "object_type": "members.person",
        "columns": COLUMNS,
        "rows": rows,
        "filename": "danh-sach-thu",
        "as_of": dt.date(2026, 3, 4),
        "details": [("Tìm kiếm", "ánh")],
        "filters": {"q": "ánh"},
    }
    defaults.update(kwargs)
    return exports.ListExport(**defaults)


def test_csv_streams_rows_lazily_in_blocks(request_of, users, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 100)
    pulled: list[int] = []

    response = exports.export_response(
        request_of(users.root_manager), an_export(rows_of(1000, pulled)), exports.CSV
    )

    assert isinstance(response, StreamingHttpResponse)
    assert pulled == []  # nothing read before the response is sent
    blocks = iter(response.streaming_content)
    next(blocks)
    next(blocks)
    assert len(pulled) == 100
    rest = b"".join(blocks)
    assert len(pulled) == 1000
    assert rest.count(b"\r\n") >= 899


def test_csv_quotes_per_rfc_4180_and_keeps_vietnamese(request_of, users):
    response = exports.export_response(
        request_of(users.root_manager), an_export(rows_of(2)), exports.CSV
    )

    rows = csv_rows(response)
    assert rows == [
        ["Họ và tên", "Ngày sinh", "Ghi chú", "Số"],
        ["Nguyễn Thị Ánh 0", "01/01/1990", "'=1+1", "0"],
        ["Nguyễn Thị Ánh 1", "02/01/1990", "Đảng bộ “Khối”, số 2\nxuống dòng", "1"],
    ]
    raw = body(response).decode("utf-8")
    assert '"Đảng bộ “Khối”, số 2\nxuống dòng"' in raw
    assert raw.endswith("\r\n")


def test_xlsx_keeps_text_as_text_dates_as_dates(request_of, users):
    response = exports.export_response(
        request_of(users.root_manager), an_export(rows_of(2)), exports.XLSX
    )

    table = xlsx_table(response)
    assert table[1] == ["Nguyễn Thị Ánh 0", dt.datetime(1990, 1, 1), "=1+1", 0]
    assert table[2][2] == "Đảng bộ “Khối”, số 2\nxuống dòng"
    sheet = xlsx_sheet(response)
    header_row = int(sheet.freeze_panes[1:]) - 1
    assert sheet.cell(row=header_row + 1, column=3).data_type == "s"
    assert sheet.cell(row=header_row + 1, column=2).number_format == "DD/MM/YYYY"
    titles = [r[0] for r in xlsx_rows(response)[: header_row - 1] if r[0]]
    assert titles[:4] == [
        "Danh sách thử",
        vi("Party organization: %(name)s", name=vi("Whole scope")),
        "Tìm kiếm: ánh",
        vi("As of: %(day)s", day="04/03/2026"),
    ]


def test_xlsx_drops_characters_excel_refuses(request_of, users):
    rows = [{"name": "An\x00\x07h", "born": None, "note": "", "n": None}]

    response = exports.export_response(
        request_of(users.root_manager), an_export(rows), exports.XLSX
    )

    assert xlsx_table(response)[1] == ["Anh", None, None, None]


def test_xlsx_of_many_rows_is_streamed(request_of, users):
    pulled: list[int] = []
    response = exports.export_response(
        request_of(users.root_manager), an_export(rows_of(3000, pulled)), exports.XLSX
    )

    assert isinstance(response, StreamingHttpResponse)
    assert "Content-Length" not in response
    assert pulled == []  # nothing read before the response is sent
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    assert sum(1 for _row in workbook.worksheets[0].iter_rows()) == 3000 + 7


def test_each_export_writes_one_audit_row(request_of, users, tree):
    exports.export_response(
        request_of(users.a1_manager),
        an_export(rows_of(3), organization=tree.a1, count=lambda: 3),
        exports.XLSX,
    )
    exports.export_response(
        request_of(users.a1_manager), an_export(rows_of(3), count=lambda: 3), exports.CSV
    )
    # Streamed, the file is audited before its rows are read: without a count, no number.
    exports.export_response(request_of(users.a1_manager), an_export(rows_of(3)), exports.XLSX)

    first, second, third = AuditEntry.objects.filter(action=AuditAction.EXPORT).order_by("id")
    assert (first.actor, first.object_type, first.object_repr) == (
        users.a1_manager,
        "members.person",
        "Danh sách thử",
    )
    assert first.organization == tree.a1
    assert first.changes == {"format": "xlsx", "filters": {"q": "ánh"}, "rows": 3}
    # Without a filter, the export is filed under the top of the user's scope.
    assert second.organization == tree.a1
    assert second.changes == {"format": "csv", "filters": {"q": "ánh"}, "rows": 3}
    assert third.changes == {"format": "xlsx", "filters": {"q": "ánh"}}


# --- the audit log ------------------------------------------------------------------------------


@pytest.fixture
def log(tree, users):
    entries = SimpleNamespace()
    entries.a1 = audit.record(
        actor=users.a1_manager,
        action=AuditAction.UPDATE,
        obj=tree.a1,
        organization=tree.a1,
        changes={"name": ["Chi bộ P1", "Chi bộ Phòng 1"], "parent_id": [tree.root.pk, tree.gc.pk]},
    )
    entries.gb = audit.record(
        actor=users.gb_manager,
        action=AuditAction.UPDATE,
        obj=tree.gb,
        organization=tree.gb,
        changes={"name": ["Chi bộ Báo", "Chi bộ Báo B"]},
    )
    return entries


def test_audit_export_holds_the_entries_in_scope(login, users, tree, log):
    response = login(users.gc_viewer).get(URL, {"format": "xlsx", "action": "update"})

    assert response.status_code == 200
    table = xlsx_table(response)
    assert table[0][:3] == ["Thời điểm", "Người thực hiện", "Hành động"]
    assert len(table) == 2
    row = table[1]
    assert isinstance(row[0], dt.datetime)
    assert row[1:3] == ["a1_manager", "Sửa"]
    assert row[4] == "Chi bộ Phòng 1"
    assert row[5] == "Chi bộ Phòng 1"
    assert "Chi bộ P1 → Chi bộ Phòng 1" in row[6]
    assert "Đảng bộ Khối Dân – Chính – Đảng → Đảng bộ Sở A" not in row[6]  # root not visible


def test_audit_export_honours_the_filters(login, users, tree, log):
    client = login(users.admin)

    by_actor = csv_rows(client.get(URL, {"format": "csv", "actor": "gb_"}))
    logged_today = AuditEntry.objects.count()
    by_date = csv_rows(
        client.get(URL, {"format": "csv", "date_from": f"{timezone.localdate():%d/%m/%Y}"})
    )

    assert [r[1] for r in by_actor[1:]] == ["gb_manager"]
    # Every entry of the day, without the export's own line (written as the export starts).
    assert len(by_date) == 1 + logged_today


def test_audit_export_bad_date_is_400(login, users, log):
    response = login(users.admin).get(URL, {"format": "csv", "date_from": "31/02/2026"})
    assert response.status_code == 400
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()


def test_audit_export_is_itself_audited_and_listed(login, users, tree, log):
    csv_rows(login(users.a1_manager).get(URL, {"format": "csv", "action": "update"}))

    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert entry.object_type == "core.auditentry"
    assert entry.organization == tree.a1
    assert entry.changes == {"format": "csv", "filters": {"action": "update"}, "rows": 1}
    page = login(users.a1_manager).get("/audit/", {"action": "export"}).content.decode()
    assert f'data-entry="{entry.pk}"' in page


def test_audit_page_links_to_the_exports(login, users, log):
    body = login(users.admin).get("/audit/", {"actor": "a1"}).content.decode()
    assert 'href="/audit/export/?actor=a1&amp;format=xlsx"' in body
