"""The working-day calendar page at /rules/calendar/: a year's public holidays, the days
administrators entered (added and removed through core.services), and the deadline calculator.
The access matrix of these pages is in test_rules_pages.py."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from dangbo.core.models import AuditEntry, CalendarDay, Role
from tests.factories import UserFactory, grant

D = dt.date
CALENDAR = "/rules/calendar/"


@pytest.fixture
def root_admin(tree):
    user = UserFactory(username="root_admin")
    grant(user, tree.root, Role.ADMINISTRATOR)
    return user


def state() -> tuple:
    return (
        sorted(CalendarDay.objects.values_list("date", "kind", "note", "source_document")),
        AuditEntry.objects.count(),
    )


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def rows(response, attribute: str) -> list[str]:
    """The rows of the table whose <tr> carry ``attribute``, as text."""
    found = re.findall(rf"<tr {attribute}=.*?</tr>", response.content.decode(), re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in found]


# --- the year -------------------------------------------------------------------------------------


def test_the_year_lists_the_public_holidays_and_make_up_days_in_date_order(tree, users, login):
    # when
    response = login(users.root_manager).get(CALENDAR, {"year": 2026})
    # then
    holidays = rows(response, r"data-(?:holiday|make-up)")
    assert holidays[0] == "01/01/2026 Thứ 5 Tết Dương lịch"
    assert "17/02/2026 Thứ 3 Tết Nguyên Đán" in holidays
    assert holidays[-4:] == [
        "31/08/2026 Thứ 2 Ngày nghỉ (thay cho ngày 22/08/2026)",
        "01/09/2026 Thứ 3 Quốc khánh",
        "02/09/2026 Thứ 4 Quốc khánh",
        "24/11/2026 Thứ 3 Ngày Văn hóa Việt Nam",
    ]
    assert "22/08/2026 Thứ 7 Ngày làm bù" in holidays
    # 261 weekdays less 13 holidays on weekdays (1/1, five Tết days, 27/4, 30/4, 1/5, 31/8,
    # 1–2/9, 24/11), plus the make-up Saturday 22/8.
    assert "Số ngày làm việc trong năm 2026: 249." in text(response)
    assert "Lịch ngày làm việc năm 2026" in text(response)


def test_the_holidays_speak_english_too(tree, users, login, client):
    # given
    login(users.root_manager)
    client.cookies["django_language"] = "en"
    # when
    response = client.get(CALENDAR, {"year": 2026})
    # then
    assert "24/11/2026 Tuesday Vietnam Cultural Day" in rows(response, "data-holiday")


def test_the_administrators_days_of_the_year_are_listed_with_their_source(
    tree, users, root_admin, login
):
    # given
    CalendarDay.objects.create(
        date=D(2025, 3, 8), kind="working_day", source_document="TB 1/TB-BNV", note="Làm bù"
    )
    CalendarDay.objects.create(date=D(2026, 1, 2), kind="day_off", source_document="TB 2")
    # when
    manager_page = login(users.root_manager).get(CALENDAR, {"year": 2025})
    admin_page = login(root_admin).get(CALENDAR, {"year": 2025})
    # then
    assert rows(manager_page, "data-day") == ["08/03/2025 Thứ 7 Ngày làm bù TB 1/TB-BNV Làm bù"]
    assert rows(admin_page, "data-day") == ["08/03/2025 Thứ 7 Ngày làm bù TB 1/TB-BNV Làm bù Xóa"]
    assert "/rules/calendar/new/" not in manager_page.content.decode()
    assert 'href="/rules/calendar/new/?year=2025"' in admin_page.content.decode()
    # 261 weekdays less 12 holidays on weekdays (1/1, five Tết days, 7/4, 30/4, 1/5, 2/5,
    # 1–2/9), plus the make-up Saturdays 26/4 (the package's) and 8/3 (entered).
    assert "Số ngày làm việc trong năm 2025: 251." in text(admin_page)


@pytest.mark.parametrize("year", ["abc", "1900", "20260"])
def test_a_bad_year_shows_this_year_with_a_message(tree, users, login, year):
    # when
    response = login(users.root_manager).get(CALENDAR, {"year": year})
    # then
    assert response.status_code == 200
    assert "Năm: hãy nhập năm từ 1990 đến 2100; đang hiển thị năm nay." in text(response)


# --- the deadline calculator ----------------------------------------------------------------------


def test_the_calculator_counts_sixty_working_days_across_tet(tree, users, login):
    # when
    response = login(users.statistician).get(CALENDAR, {"start": "15/01/2025", "days": "60"})
    # then
    assert "60 ngày làm việc sau ngày 15/01/2025: Thứ 5, 17/04/2025 ." in text(response)


def test_the_calculator_counts_an_entered_make_up_saturday(tree, users, login):
    # given
    CalendarDay.objects.create(date=D(2027, 3, 6), kind="working_day", source_document="TB 1")
    # when
    response = login(users.root_manager).get(CALENDAR, {"start": "2027-03-05", "days": "1"})
    # then
    assert "1 ngày làm việc sau ngày 05/03/2027: Thứ 7, 06/03/2027 ." in text(response)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "", "days": "60"}, "Trường này là bắt buộc."),
        ({"start": "32/01/2025", "days": "60"}, "Ngày không hợp lệ"),
        ({"start": "2025-01-15", "days": "abc"}, "Số ngày làm việc: hãy nhập một số nguyên."),
        ({"start": "2025-01-15", "days": "-1"}, "Số ngày làm việc: hãy nhập số từ 0 trở lên."),
        ({"start": "2025-01-15", "days": "1001"}, "Số ngày làm việc: tối đa 1000."),
        (
            {"start": "1985-01-15", "days": "5"},
            "Ngày bắt đầu tính: chỉ tính được cho các năm từ 1990 đến 2100.",
        ),
    ],
)
def test_bad_calculator_input_is_a_message(tree, users, login, params, message):
    # when
    response = login(users.root_manager).get(CALENDAR, params)
    # then
    assert response.status_code == 200
    assert message in text(response)
    assert 'id="deadline-result"' not in response.content.decode()


def test_the_calendar_page_queries_are_few(tree, users, login, django_assert_max_num_queries):
    # given
    for day in range(1, 20):
        CalendarDay.objects.create(
            date=D(2027, 3, day), kind="day_off", source_document=f"TB {day}"
        )
    client = login(users.root_manager)
    # when / then
    with django_assert_max_num_queries(7):
        response = client.get(CALENDAR, {"year": 2027, "start": "2027-02-01", "days": "60"})
    assert len(rows(response, "data-day")) == 19


# --- adding and removing days ---------------------------------------------------------------------


def test_a_day_is_added_from_the_form(tree, root_admin, login):
    # given
    client = login(root_admin)
    # when
    response = client.post(
        "/rules/calendar/new/",
        {
            "date": "06/03/2027",
            "kind": "working_day",
            "source_document": "TB 1/TB-BNV",
            "note": "Làm bù cho thứ Hai 08/03",
        },
    )
    # then
    assert response.status_code == 302
    assert response["Location"] == "/rules/calendar/?year=2027"
    day = CalendarDay.objects.get()
    assert (day.date, day.kind, day.source_document) == (
        D(2027, 3, 6),
        "working_day",
        "TB 1/TB-BNV",
    )
    page = client.get(response["Location"])
    assert "Đã ghi ngày 06/03/2027 vào lịch: Ngày làm bù." in text(page)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"date": "2027-03-08", "kind": "working_day", "source_document": "TB 1"},
            "Loại ngày: ngày 08/03/2027 vốn đã là ngày làm việc",
        ),
        (
            {"date": "2027-03-06", "kind": "day_off", "source_document": "TB 1"},
            "Loại ngày: ngày 06/03/2027 vốn đã là ngày nghỉ (cuối tuần hoặc ngày nghỉ lễ).",
        ),
        (
            {"date": "", "kind": "day_off", "source_document": "TB 1"},
            "Ngày: hãy nhập ngày.",
        ),
        (
            {"date": "2027-03-06", "kind": "holiday", "source_document": "TB 1"},
            "Loại ngày: hãy chọn một loại trong danh sách.",
        ),
        (
            {"date": "2027-03-06", "kind": "working_day", "source_document": ""},
            "Văn bản căn cứ: hãy ghi văn bản thông báo của Chính phủ quy định ngày này",
        ),
        (
            {"date": "2101-03-05", "kind": "day_off", "source_document": "TB 1"},
            "Ngày: lịch chỉ nhận các ngày trong các năm từ 1990 đến 2100.",
        ),
    ],
)
def test_a_refused_day_shows_why_and_changes_nothing(tree, root_admin, login, data, message):
    # given
    client = login(root_admin)
    before = state()
    # when
    response = client.post("/rules/calendar/new/", data)
    # then
    assert response.status_code == 400
    assert message in text(response)
    assert state() == before


def test_a_day_is_removed_after_a_confirmation(tree, root_admin, login):
    # given
    day = CalendarDay.objects.create(
        date=D(2027, 3, 6), kind="working_day", source_document="TB 1/TB-BNV"
    )
    client = login(root_admin)
    url = f"/rules/calendar/{day.pk}/remove/"
    # when
    confirm = client.get(url)
    # then
    assert "Xóa ngày 06/03/2027 (Ngày làm bù, TB 1/TB-BNV) khỏi lịch ngày làm việc?" in text(
        confirm
    )
    assert CalendarDay.objects.count() == 1
    # when
    response = client.post(url)
    # then
    assert response.status_code == 302
    assert response["Location"] == "/rules/calendar/?year=2027"
    assert CalendarDay.objects.count() == 0
    assert AuditEntry.objects.filter(action="delete", object_type="core.calendarday").count() == 1
    assert client.post(url).status_code == 404


def test_calendar_changes_appear_in_the_audit_log(tree, root_admin, login):
    # given
    client = login(root_admin)
    client.post(
        "/rules/calendar/new/",
        {"date": "2027-03-06", "kind": "working_day", "source_document": "TB 1/TB-BNV"},
    )
    # when
    response = client.get("/audit/", {"object_type": "core.calendarday"})
    # then
    body = text(response)
    assert "ngày: — → 06/03/2027" in body
    assert "loại ngày: — → Ngày làm bù" in body
