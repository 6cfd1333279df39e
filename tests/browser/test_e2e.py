"""End to end, in headless Chromium: a branch manager logs in, reads the dashboard, finds a
member without typing accents, opens the record, and meets 404 outside the branch."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from dangbo.members import services as member_services
from tests.factories import make_person

pytestmark = [
    pytest.mark.browser,
    # serialized_rollback: each test starts from the migrated data (ethnicities, rules), which
    # the previous transactional test's flush removed.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("audit_log_flushable"),
]


@pytest.fixture
def neighbour(tree, users):
    """Nguyễn Văn An, a probationary member of the same branch a1: must not match the search."""
    person = make_person("Nguyễn", "Văn", "An", organization=tree.a1)
    return member_services.admit_member(
        actor=users.root_manager,
        person=person,
        organization=tree.a1,
        decision_date=dt.date(2019, 6, 3),
        ceremony_date=dt.date(2019, 6, 20),
        document_number="40-QĐ/ĐU",
    )


@pytest.fixture
def outsider(tree, users):
    """Lê Văn Cường, a member of the other branch a2: a1's manager must not reach him."""
    person = make_person("Lê", "Văn", "Cường", organization=tree.a2, citizen_id="079088004321")
    return member_services.admit_member(
        actor=users.root_manager,
        person=person,
        organization=tree.a2,
        decision_date=dt.date(2012, 9, 1),
        ceremony_date=dt.date(2012, 9, 15),
        document_number="09-QĐ/ĐU",
    )


def figure(page, name: str) -> str:
    return page.locator(f'[data-figure="{name}"] .value').inner_text().strip()


def test_branch_manager_finds_a_member_and_nothing_outside_the_branch(
    log_in, live_server, users, member, neighbour, outsider
):
    # given a1's manager, logged in through the form
    page = log_in(users.a1_manager.username)

    # then the dashboard shows the branch and its figures as of 31/12/2019
    assert page.url == live_server.url + "/"
    page.goto(live_server.url + "/?as_of=2019-12-31")
    assert page.locator("h1").inner_text() == "Chi bộ Phòng 1"
    assert figure(page, "members") == "2"
    assert figure(page, "staff") == "2"

    # when searching the member list without accents
    page.goto(live_server.url + reverse("members:member_list") + "?as_of=2019-12-31")
    page.fill("input[name=q]", "tran thi binh")
    with page.expect_navigation():
        page.press("input[name=q]", "Enter")

    # then only Trần Thị Bình is listed
    rows = page.locator("table tbody tr")
    assert rows.count() == 1
    assert "Nguyễn Văn An" not in page.locator("table").inner_text()
    link = rows.get_by_role("link", name="Trần Thị Bình")

    # when opening her record
    with page.expect_navigation():
        link.click()

    # then her name and her party age on that day: 2/3/2015 to 31/12/2019
    assert page.url.startswith(live_server.url + reverse("members:member_detail", args=[member.pk]))
    assert "Trần Thị Bình" in page.locator("h1").inner_text()
    party_age = page.locator("#party-age").inner_text()
    assert re.search(r"\b4 năm 9 tháng\b", party_age), party_age

    # when going to a member of the other branch by address
    response = page.goto(live_server.url + reverse("members:member_detail", args=[outsider.pk]))

    # then the same answer as for a missing record
    assert response is not None and response.status == 404
    assert "Không tìm thấy" in page.locator("h1").inner_text()
    assert "Lê Văn Cường" not in page.content()


def test_anonymous_goes_to_login_and_a_bad_date_is_a_message(
    page, log_in, live_server, users, member
):
    # given nobody logged in, when opening the member list
    page.goto(live_server.url + reverse("members:member_list"))

    # then the login page, which comes back to the list
    assert page.url.startswith(live_server.url + "/login/?next=")
    assert "Trần Thị Bình" not in page.content()

    # when a1's manager asks for a date that is not one
    log_in(users.a1_manager.username)
    response = page.goto(live_server.url + "/?as_of=not-a-date")

    # then the page still answers, with a message in Vietnamese, and shows today's figures
    assert response is not None and response.status == 200
    alert = page.get_by_role("alert").inner_text()
    assert "Ngày xem (as_of) “not-a-date” không hợp lệ" in alert
    assert "Đang hiển thị số liệu hôm nay." in alert
    assert figure(page, "members") == "1"
