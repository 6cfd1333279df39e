"""End to end, in headless Chromium: the root's manager opens the statistics page, reads a
form and its charts, drills down from a figure to the members it counts, and downloads the
forms and that list."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from dangbo.members import services as member_services
from tests.factories import make_person

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("audit_log_flushable"),
]


@pytest.fixture
def members(tree, users, member):
    """Besides Trần Thị Bình (a1, full member): two admitted in 2019, one a woman."""
    for surname, middle, given, sex, branch in (
        ("Nguyễn", "Thị", "Hoa", "female", tree.a1),
        ("Lê", "Văn", "Cường", "male", tree.gb),
    ):
        person = make_person(surname, middle, given, organization=branch, sex=sex)
        member_services.admit_member(
            actor=users.admin,
            person=person,
            organization=branch,
            decision_date=dt.date(2019, 6, 3),
            ceremony_date=dt.date(2019, 6, 20),
        )


def test_statistics_page_drill_down_and_downloads(log_in, live_server, users, tree, members):
    page = log_in(users.root_manager.username)
    page.get_by_role("link", name="Thống kê").first.click()
    page.wait_for_url("**/statistics/**")
    # the figures of the whole tree today, with the forms and the charts
    assert page.locator('[data-figure="members"] .value').inner_text() == "3"
    assert page.locator("#form-members").is_visible()
    assert page.locator("figure svg[role=img]").count() == 3  # no term: no admissions chart

    # pick the period 2019 and drill down from the women admitted in form 3-TCTW
    page.fill("#id_start", "2019-01-01")
    page.fill("#id_as_of", "2019-12-31")
    with page.expect_navigation():
        page.get_by_role("button", name="Xem", exact=True).last.click()
    admitted = page.locator('table[data-form="admissions"] tr[data-row="1"] td.num')
    assert admitted.nth(0).inner_text() == "2"
    assert admitted.nth(1).inner_text() == "1"
    with page.expect_navigation():
        admitted.nth(1).locator("a").click()
    assert "/statistics/events/" in page.url
    assert page.locator("tbody tr").count() == 1
    assert "Nguyễn Thị Hoa" in page.locator("tbody").inner_text()

    # the list downloads as Excel with the same row
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải Excel").click()
    sheet = openpyxl.load_workbook(io.BytesIO(download_info.value.path().read_bytes())).active
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert "Nguyễn Thị Hoa" in cells and "Lê Văn Cường" not in cells

    # back on the statistics page, the four forms download as one workbook
    page.go_back()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Biểu 1–4-TCTW (Excel)").click()
    workbook = openpyxl.load_workbook(io.BytesIO(download_info.value.path().read_bytes()))
    assert len(workbook.sheetnames) == 4
