"""The statistics forms 1–4-TCTW and the member register 7-HSĐV as .xlsx files: the official
layout, the figures of the tables (and by hand), totals that add up, print setup, access and
audit."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from dangbo.core import exports
from dangbo.core.dates import today
from dangbo.core.models import AuditAction, AuditEntry
from dangbo.members import services
from dangbo.members.models import Ethnicity, Member, Religion
from dangbo.organizations.models import Organization
from dangbo.reports.statistics import compute_statistics
from dangbo.reports.statistics.xlsx import form_workbook, place_and_date
from tests.export_reading import body
from tests.factories import make_person

AS_OF = dt.date(2019, 12, 31)
START = dt.date(2019, 1, 1)
FORMS = "/statistics/forms/{}.xlsx"
REGISTER = "/statistics/register.xlsx"
# The first data row of a form: header block (8 rows), column headings, column numbering.
HEADER_ROW = 9
FIRST_ROW = 11


def vi(text_function, *args, **kwargs) -> str:
    with translation.override("vi"):
        return text_function(*args, **kwargs)


def admit(actor, person, organization, decided, ceremony, recognized=None):
    member = services.admit_member(
        actor=actor,
        person=person,
        organization=organization,
        decision_date=decided,
        ceremony_date=ceremony,
    )
    if recognized is not None:
        services.recognize_full_member(actor=actor, member=member, effective_date=recognized)
    return member


@pytest.fixture
def register(tree, users, member):
    """On 31/12/2019: five members, four on 1/1/2019; one admission kept and one removed in
    2019 plus one more admitted; six staff.

    Ánh (gb, Tày, Buddhist, full since 2011), Bình (a1, full since 2016, the ``member``
    fixture), Cúc (a1, admitted 4/3/2019, probationary), Dũng (gb, admitted 2018, full from
    20/1/2019), Long (a2, admitted 9/9/2019); Hoa (a2, admitted 2018, removed from the
    probationary list on 1/7/2019).
    """
    actor = users.admin
    anh = make_person(
        "Lê",
        "Thị",
        "Ánh",
        organization=tree.gb,
        sex="female",
        date_of_birth=dt.date(1980, 2, 10),
        religion=Religion.BUDDHISM,
        hometown="Cao Bằng",
    )
    anh.ethnicity = Ethnicity.objects.get(code="02")
    anh.save()
    admit(actor, anh, tree.gb, dt.date(2010, 4, 5), dt.date(2010, 4, 20), dt.date(2011, 4, 20))
    cuc = make_person(
        "Lê", "Thị", "Cúc", organization=tree.a1, sex="female", date_of_birth=dt.date(1996, 9, 1)
    )
    admit(actor, cuc, tree.a1, dt.date(2019, 3, 4), dt.date(2019, 3, 15))
    dung = make_person("Đỗ", "Văn", "Dũng", organization=tree.gb, date_of_birth=dt.date(1988, 1, 1))
    admit(actor, dung, tree.gb, dt.date(2018, 1, 5), dt.date(2018, 1, 20), dt.date(2019, 1, 20))
    Member.objects.filter(person=dung).update(card_number="079012345678")
    long_ = make_person(
        "Vũ", "Văn", "Long", organization=tree.a2, date_of_birth=dt.date(1992, 6, 6)
    )
    admit(actor, long_, tree.a2, dt.date(2019, 9, 9), dt.date(2019, 9, 20))
    hoa = make_person(
        "Phan", "Thị", "Hoa", organization=tree.a2, sex="female", date_of_birth=dt.date(1990, 1, 1)
    )
    removed = admit(actor, hoa, tree.a2, dt.date(2018, 6, 4), dt.date(2018, 6, 20))
    services.remove_from_probation(actor=actor, member=removed, date=dt.date(2019, 7, 1))
    Member.objects.filter(pk=member.pk).update(card_number_old="01234567")
    return {"anh": anh, "cuc": cuc, "dung": dung, "long": long_, "hoa": hoa}


def download(client, key, **params):
    return client.get(FORMS.format(key), {"as_of": AS_OF.isoformat(), **params})


def workbook(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    return load_workbook(io.BytesIO(body(response)))


def table_rows(sheet) -> list[list]:
    """The rows of the form's table: from the first data row to the last bordered row."""
    rows = []
    for row in sheet.iter_rows(min_row=FIRST_ROW):
        if row[0].border.left.style != "thin":
            break
        rows.append([cell.value for cell in row])
    return rows


def by_code(sheet) -> dict[str, list]:
    return {row[0]: row[1:] for row in table_rows(sheet)}


def after_table(sheet) -> list:
    """The values written below the table (notes, place and date, signatures), in order."""
    start = FIRST_ROW + len(table_rows(sheet))
    return [
        cell.value
        for row in sheet.iter_rows(min_row=start)
        for cell in row
        if cell.value not in (None, "")
    ]


# --- the forms ---------------------------------------------------------------------------------


def test_form_2_has_the_official_header_title_and_as_of_line(login, tree, users, register):
    response = download(login(users.root_manager), "members", organization=tree.gc.pk)

    sheet = workbook(response)["2-TCTW"]
    assert sheet["C1"].value == vi(_, "Form %(number)s") % {"number": "2-TCTW"}
    assert sheet["A2"].value == "ĐẢNG BỘ KHỐI DÂN – CHÍNH – ĐẢNG"
    assert sheet["C2"].value == vi(_, "COMMUNIST PARTY OF VIET NAM")
    assert sheet["C2"].font.underline == "single" and sheet["C2"].font.bold
    assert sheet["A3"].value == "ĐẢNG BỘ SỞ A"
    assert sheet["A3"].font.bold
    assert sheet["A4"].value == "*"
    assert sheet["A6"].value == vi(_, "REPORT ON THE NUMBER AND QUALITY OF PARTY MEMBERS")
    assert sheet["A6"].alignment.horizontal == "center"
    assert sheet["A7"].value == vi(_, "(As of %(day)s)") % {"day": "31/12/2019"}
    assert "A6:F6" in {str(r) for r in sheet.merged_cells.ranges}
    headings = [c.value for c in sheet[HEADER_ROW]]
    assert headings == [
        vi(_, "No."),
        vi(_, "Indicator"),
        vi(_, "Total"),
        vi(_, "Women"),
        vi(_, "Ethnic minorities"),
        vi(_, "Probationary"),
    ]
    assert [c.value for c in sheet[HEADER_ROW + 1]] == ["A", "B", "1", "2", "3", "4"]
    assert all(c.font.bold for c in sheet[HEADER_ROW])
    assert sheet["A3"].font.name == sheet["B11"].font.name == "Times New Roman"
    assert sheet["A3"].font.size == 13 and sheet["B11"].font.size == 12


def test_form_2_figures_equal_the_table_and_the_hand_count(login, tree, users, register):
    response = download(login(users.root_manager), "members", organization=tree.root.pk)

    sheet = workbook(response)["2-TCTW"]
    with translation.override("vi"):
        table = compute_statistics(tree.root, AS_OF, START, None).members
    rows = table_rows(sheet)
    assert [r[0] for r in rows] == [row.code for row in table.rows]
    assert [r[1] for r in rows] == [row.label for row in table.rows]
    for written, row in zip(rows, table.rows, strict=True):
        expected = [c.value for c in row.cells] if row.cells else [None] * 4
        assert written[2:] == expected, row.code
    figures = by_code(sheet)
    # Total, women, minorities, probationary: Ánh, Bình, Cúc, Dũng, Long.
    assert figures["1"][1:] == [5, 3, 1, 2]
    assert figures["3.2"][1:] == [1, 1, 1, 0]  # Ánh, Tày
    assert figures["4.1"][1:] == [1, 1, 1, 0]  # Ánh, Buddhist
    # The age groups add up to the total.
    assert sum(v[1] for code, v in figures.items() if code.startswith("2.")) == 5


def test_form_layout_bold_headings_indented_parts_and_number_format(login, tree, users, register):
    response = download(login(users.root_manager), "members", organization=tree.root.pk)

    sheet = workbook(response)["2-TCTW"]
    cells = {row[0].value: row for row in sheet.iter_rows(min_row=FIRST_ROW) if row[0].value}
    total, heading, part = cells["1"], cells["2"], cells["2.1"]
    assert total[1].font.bold and total[2].font.bold
    assert heading[1].font.bold and heading[2].value is None
    assert not part[1].font.bold
    assert part[1].alignment.indent == 2
    assert total[2].number_format == "#,##0"
    assert isinstance(total[2].value, int)
    assert all(c.border.left.style == "thin" for c in part)


def test_form_4_totals_add_up_and_match_the_hand_count(login, tree, users, register):
    response = download(login(users.root_manager), "movement", organization=tree.root.pk)

    sheet = workbook(response)["4-TCTW"]
    assert sheet["A6"].value == vi(_, "REPORT ON THE INCREASE AND DECREASE OF PARTY MEMBERS")
    assert sheet["A7"].value == vi(_, "(From %(start)s to %(end)s)") % {
        "start": "01/01/2019",
        "end": "31/12/2019",
    }
    figures = {code: values[1] for code, values in by_code(sheet).items()}
    start, increase, decrease, end = figures["1"], figures["2"], figures["3"], figures["5"]
    assert (start, increase, decrease, end) == (4, 2, 1, 5)
    assert start + increase - decrease == end
    assert increase == figures["2.1"] + figures["2.2"]
    assert decrease == sum(v for code, v in figures.items() if code.startswith("3."))
    assert figures["3.5"] == 1  # Hoa, removed from the probationary list
    assert figures["6"] == 1  # Dũng, recognized on 20/1/2019
    assert "4" not in figures  # no reorganization in the period


def test_form_1_and_form_3_figures(login, tree, users, register):
    client = login(users.root_manager)

    form_1 = by_code(workbook(download(client, "organizations"))["1-TCTW"])
    form_3 = by_code(workbook(download(client, "admissions"))["3-TCTW"])

    assert [form_1[c][1] for c in ("1", "1.1", "1.2", "2", "3", "4", "5", "6")] == [
        2,  # gc, gb
        1,
        1,
        0,
        2,  # a1, a2
        0,
        6,  # six people employed
        5,
    ]
    assert form_1["1"][2] is None  # the notes column, left to fill
    # Cúc and Long: two admitted, one woman, no minority, no Youth Union member recorded.
    assert form_3["1"][1:] == [2, 1, 0, 0]


def test_all_forms_in_one_workbook_with_print_setup(login, tree, users, register):
    response = download(login(users.statistician), "all", organization=tree.root.pk)

    book = workbook(response)
    assert book.sheetnames == ["1-TCTW", "2-TCTW", "3-TCTW", "4-TCTW"]
    assert 'filename="bieu-thong-ke-2019-12-31.xlsx"' in response["Content-Disposition"]
    for sheet in book.worksheets:
        assert int(sheet.page_setup.paperSize) == 9  # A4
        assert sheet.page_setup.orientation == "portrait"
        assert int(sheet.page_setup.fitToWidth) == 1
        assert int(sheet.page_setup.fitToHeight) == 0
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW + 1}"
        assert sheet.page_margins.left == pytest.approx(3 / 2.54)
        assert sheet.column_dimensions["B"].width >= 40


def test_place_date_and_signature_block(login, tree, users, register):
    response = download(login(users.root_manager), "members", organization=tree.gc.pk)

    below = after_table(workbook(response)["2-TCTW"])
    assert below == [
        vi(place_and_date, "", today()),
        vi(_, "PREPARED BY"),
        vi(_, "ON BEHALF OF THE PARTY COMMITTEE"),
        vi(_, "SECRETARY"),
    ]
    assert below[0].startswith("……………, ")


def test_form_and_register_print_the_place_of_the_committee(login, tree, users, register):
    # given: the root names its place of issue; gc and a1 have none of their own
    Organization.objects.filter(pk=tree.root.pk).update(place_name="TP Hồ Chí Minh")
    client = login(users.root_manager)
    # when
    form = workbook(download(client, "members", organization=tree.gc.pk))["2-TCTW"]
    book = workbook(client.get(REGISTER, {"as_of": "2019-12-31", "organization": tree.a1.pk}))
    # then
    expected = vi(place_and_date, "TP Hồ Chí Minh", today())
    assert after_table(form)[0] == expected
    assert expected in after_table(book["7-HSĐV"])


def test_form_workbook_writes_the_given_place_and_date(tree, users, register):
    with translation.override("vi"):
        statistics = compute_statistics(tree.root, AS_OF, START, None)
        content = form_workbook(
            statistics, "organizations", place="TP Hồ Chí Minh", signed_on=dt.date(2020, 1, 5)
        )
        expected = place_and_date("TP Hồ Chí Minh", dt.date(2020, 1, 5))
        standing = _("ON BEHALF OF THE STANDING COMMITTEE")
    sheet = load_workbook(io.BytesIO(content))["1-TCTW"]
    below = after_table(sheet)
    assert expected in below
    assert standing in below  # the root is an upper-grassroots committee
    # Nothing above the root: the organization moves up to the Party's line.
    assert [sheet["A2"].value, sheet["A3"].value, sheet["A4"].value] == [
        "ĐẢNG BỘ KHỐI DÂN – CHÍNH – ĐẢNG",
        "*",
        None,
    ]
    assert sheet["A2"].font.bold


def test_forms_refused_or_hidden_as_the_access_rule_says(client, login, tree, users, register):
    assert download(client, "members").status_code == 302  # anonymous: to the login page
    assert download(login(users.nobody), "members").status_code == 403
    assert download(login(users.a1_manager), "members", organization=tree.gb.pk).status_code == 404
    assert download(login(users.a1_manager), "members", organization=tree.a1.pk).status_code == 200
    assert download(login(users.statistician), "members").status_code == 200
    assert download(login(users.root_manager), "nothing").status_code == 404


def test_bad_dates_answer_400_with_a_vietnamese_message(login, tree, users, register):
    client = login(users.root_manager)

    bad_as_of = client.get(FORMS.format("members"), {"as_of": "31-12-2019"})
    bad_start = download(client, "movement", start="2019-13-01")
    late_start = download(client, "movement", start="2020-01-01")

    assert bad_as_of.status_code == 400
    assert "Ngày xem (as_of) “31-12-2019” không hợp lệ" in bad_as_of.content.decode()
    assert bad_start.status_code == 400
    assert bad_start.content.decode().count(vi(_, "Period from")) == 1
    assert late_start.status_code == 400
    assert vi(_, "Period from") in late_start.content.decode()
    assert "31/12/2019" in late_start.content.decode()
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()


def test_start_sets_the_period_of_forms_3_and_4(login, tree, users, register):
    response = download(login(users.root_manager), "admissions", start="2019-06-01")

    sheet = workbook(response)["3-TCTW"]
    assert sheet["A7"].value == vi(_, "(From %(start)s to %(end)s)") % {
        "start": "01/06/2019",
        "end": "31/12/2019",
    }
    assert by_code(sheet)["1"][1] == 1  # Long only


def test_form_download_is_audited(login, tree, users, register):
    download(login(users.statistician), "movement", organization=tree.root.pk)

    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert entry.actor == users.statistician
    assert entry.organization == tree.root
    assert entry.changes["filters"] == {"as_of": "2019-12-31", "organization": str(tree.root.pk)}


# --- the member register -------------------------------------------------------------------------


def register_table(response) -> list[list]:
    sheet = workbook(response)["7-HSĐV"]
    return table_rows(sheet)


def test_register_lists_members_in_name_order_with_their_dates(login, tree, users, register):
    response = login(users.root_manager).get(
        REGISTER, {"as_of": "2019-12-31", "organization": tree.root.pk}
    )

    book = workbook(response)
    sheet = book["7-HSĐV"]
    assert sheet["A7"].value == vi(_, "(As of %(day)s)") % {"day": "31/12/2019"}
    assert sheet["A6"].value == vi(_, "PARTY MEMBER REGISTER")
    assert sheet["A2"].value == "ĐẢNG BỘ KHỐI DÂN – CHÍNH – ĐẢNG"
    assert [c.value for c in sheet[HEADER_ROW]][:7] == [
        vi(_, "No."),
        "Họ và tên",
        "Ngày sinh",
        "Giới tính",
        "Dân tộc",
        "Tôn giáo",
        "Quê quán",
    ]
    assert [c.value for c in sheet[HEADER_ROW]][9:] == ["Số thẻ đảng", "Chi bộ", "Ghi chú"]
    rows = table_rows(sheet)
    day = dt.datetime
    assert rows == [
        [
            1,
            "Lê Thị Ánh",
            day(1980, 2, 10),
            "Nữ",
            "Tày",
            "Phật giáo",
            "Cao Bằng",
            day(2010, 4, 5),
            day(2011, 4, 20),
            None,
            "Chi bộ Báo B",
            None,
        ],
        [
            2,
            "Trần Thị Bình",
            day(1990, 7, 4),
            "Nữ",
            "Kinh",
            "Không",
            None,
            day(2015, 3, 2),
            day(2016, 3, 20),
            "01234567",
            "Chi bộ Phòng 1",
            None,
        ],
        [
            3,
            "Lê Thị Cúc",
            day(1996, 9, 1),
            "Nữ",
            "Kinh",
            "Không",
            None,
            day(2019, 3, 4),
            None,
            None,
            "Chi bộ Phòng 1",
            None,
        ],
        [
            4,
            "Đỗ Văn Dũng",
            day(1988, 1, 1),
            "Nam",
            "Kinh",
            "Không",
            None,
            day(2018, 1, 5),
            day(2019, 1, 20),
            "079012345678",
            "Chi bộ Báo B",
            None,
        ],
        [
            5,
            "Vũ Văn Long",
            day(1992, 6, 6),
            "Nam",
            "Kinh",
            "Không",
            None,
            day(2019, 9, 9),
            None,
            None,
            "Chi bộ Phòng 2",
            None,
        ],
    ]
    assert sheet.cell(row=FIRST_ROW, column=3).number_format == "DD/MM/YYYY"
    name_cell = sheet.cell(row=FIRST_ROW, column=2)
    assert (name_cell.font.name, name_cell.font.size) == ("Times New Roman", 12)
    assert name_cell.border.left.style == "thin" and name_cell.alignment.wrap_text
    assert sheet.cell(row=FIRST_ROW, column=1).number_format == "General"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.freeze_panes == f"C{FIRST_ROW}"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert int(sheet.page_setup.fitToWidth) == 1
    assert sheet.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW + 1}"
    assert vi(_, "SECRETARY") in after_table(sheet)


def test_register_on_an_earlier_date_shows_that_day(login, tree, users, register):
    response = login(users.gb_manager).get(
        REGISTER, {"as_of": "2018-12-31", "organization": tree.gb.pk}
    )

    rows = register_table(response)
    # Dũng was still probationary: no recognition date yet.
    assert [(r[1], r[8]) for r in rows] == [
        ("Lê Thị Ánh", dt.datetime(2011, 4, 20)),
        ("Đỗ Văn Dũng", None),
    ]


def test_register_is_refused_to_statisticians_and_hidden_from_other_branches(
    client, login, tree, users, register
):
    assert client.get(REGISTER).status_code == 302
    assert login(users.statistician).get(REGISTER).status_code == 403
    assert login(users.nobody).get(REGISTER).status_code == 403
    other = login(users.a1_manager).get(REGISTER, {"organization": tree.gb.pk})
    assert other.status_code == 404
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()


def test_register_download_is_audited_once(login, tree, users, register):
    response = login(users.a1_manager).get(REGISTER, {"as_of": "2019-12-31"})

    assert [r[1] for r in register_table(response)] == ["Trần Thị Bình", "Lê Thị Cúc"]
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert entry.actor == users.a1_manager
    assert entry.organization == tree.a1
    assert entry.object_type == "members.member"
    assert entry.changes["rows"] == 2
    assert entry.changes["format"] == "xlsx"


def test_register_bad_date_answers_400(login, users, register):
    response = login(users.root_manager).get(REGISTER, {"as_of": "hôm qua"})

    assert response.status_code == 400
    assert "Ngày xem (as_of)" in response.content.decode()


def test_register_reads_dates_once_per_page_not_per_member(login, tree, users, register):
    client = login(users.root_manager)
    params = {"as_of": "2019-12-31", "organization": tree.root.pk}
    with CaptureQueriesContext(connection) as five:
        client.get(REGISTER, params)
    for index in range(4):
        person = make_person("Hà", "Văn", f"Tùng{index}", organization=tree.a2)
        admit(users.admin, person, tree.a2, dt.date(2019, 2, 1 + index), dt.date(2019, 2, 20))
    with CaptureQueriesContext(connection) as nine:
        response = client.get(REGISTER, params)

    assert len(register_table(response)) == 9
    assert len(nine.captured_queries) == len(five.captured_queries)


def test_register_rows_are_read_a_page_at_a_time(login, tree, users, register, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 2)

    response = login(users.root_manager).get(
        REGISTER, {"as_of": "2019-12-31", "organization": tree.root.pk}
    )

    rows = register_table(response)
    assert [r[0] for r in rows] == [1, 2, 3, 4, 5]
    assert [r[7] for r in rows] == [
        dt.datetime(2010, 4, 5),
        dt.datetime(2015, 3, 2),
        dt.datetime(2019, 3, 4),
        dt.datetime(2018, 1, 5),
        dt.datetime(2019, 9, 9),
    ]
