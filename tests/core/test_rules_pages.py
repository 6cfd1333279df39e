"""The rule pages at /rules/: the access matrix (anyone with a role sees the rules; superusers and
administrators of a top-level organization change them), the list with each rule's history,
the new-version form that calls core.services, the nav link and the audit log."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from dangbo.core.models import AuditEntry, CalendarDay, Role, Rule
from dangbo.core.rules import rule_in_force
from tests.factories import UserFactory, grant

D = dt.date
LIST = "/rules/"
DEADLINE = "admission.decision_deadline_working_days"
NEW_VERSION = f"/rules/{DEADLINE}/new/"
VIEW_DENIED = "Chỉ người dùng đã được phân quyền mới xem được các quy định và lịch ngày làm việc."
CHANGE_DENIED = (
    "Chỉ quản trị hệ thống hoặc quản trị viên của tổ chức cấp cao nhất mới được thay đổi quy "
    "định và lịch ngày làm việc, vì chúng áp dụng chung toàn quốc."
)


@pytest.fixture
def root_admin(tree):
    """Administrator of the top of the tree: changes the national rules."""
    user = UserFactory(username="root_admin")
    grant(user, tree.root, Role.ADMINISTRATOR)
    return user


@pytest.fixture
def gc_admin(tree):
    """Administrator of Đảng bộ Sở A, under the root: sees the rules, changes none."""
    user = UserFactory(username="gc_admin")
    grant(user, tree.gc, Role.ADMINISTRATOR)
    return user


@pytest.fixture
def day(db) -> CalendarDay:
    return CalendarDay.objects.create(
        date=D(2027, 3, 6), kind="working_day", source_document="TB 1/TB-BNV"
    )


def pages(day) -> dict[str, str]:
    return {
        "list": LIST,
        "calendar": "/rules/calendar/?year=2027",
        "new_version": NEW_VERSION,
        "new_day": "/rules/calendar/new/",
        "remove_day": f"/rules/calendar/{day.pk}/remove/",
    }


VIEW_PAGES = ["list", "calendar"]
CHANGE_PAGES = ["new_version", "new_day", "remove_day"]
POSTS = {
    "new_version": {"value": "45", "valid_from": "2027-01-01", "source_document": "QĐ 1"},
    "new_day": {"date": "2027-03-13", "kind": "working_day", "source_document": "TB 2"},
    "remove_day": {},
}


def state() -> tuple:
    """Everything a refused change must leave as it was."""
    return (
        sorted(Rule.objects.values_list("key", "value", "valid_from", "valid_to")),
        sorted(CalendarDay.objects.values_list("date", "kind", "source_document")),
        AuditEntry.objects.count(),
    )


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def section(response, key: str) -> str:
    """The text of one rule's section of the list."""
    body = response.content.decode()
    found = re.search(rf'<section class="card" id="rule-{re.escape(key)}".*?</section>', body, re.S)
    assert found, key
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(0))).strip()


def versions(response, key: str) -> list[list[str]]:
    """The rows of one rule's history: value, valid from, valid to, source document."""
    body = response.content.decode()
    found = re.search(rf'<section class="card" id="rule-{re.escape(key)}".*?</section>', body, re.S)
    assert found, key
    rows = re.findall(r"<tr data-version=.*?</tr>", found.group(0), re.S)
    return [
        [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip() for cell in cells[:4]]
        for cells in (re.findall(r"<td.*?</td>", row, re.S) for row in rows)
    ]


# --- access matrix --------------------------------------------------------------------------------


@pytest.mark.parametrize("page", VIEW_PAGES + CHANGE_PAGES)
def test_anonymous_is_sent_to_login(client, day, page):
    # given
    url = pages(day)[page]
    # when
    response = client.get(url)
    # then
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


@pytest.mark.parametrize("page", VIEW_PAGES + CHANGE_PAGES)
def test_without_a_role_every_page_answers_403(tree, users, login, day, page):
    # given
    client = login(users.nobody)
    before = state()
    # when
    got = client.get(pages(day)[page])
    posted = client.post(pages(day)[page], POSTS.get(page, {}))
    # then
    assert got.status_code == 403
    assert posted.status_code == 403
    assert VIEW_DENIED in text(got)
    assert state() == before


@pytest.mark.parametrize("page", VIEW_PAGES)
@pytest.mark.parametrize("who", ["root_manager", "gc_viewer", "statistician", "gc_admin"])
def test_any_role_may_see_the_rules_and_the_calendar(tree, users, gc_admin, login, day, page, who):
    # given
    user = gc_admin if who == "gc_admin" else getattr(users, who)
    # when
    response = login(user).get(pages(day)[page])
    # then
    assert response.status_code == 200
    assert '<html lang="vi">' in response.content.decode()


@pytest.mark.parametrize("page", CHANGE_PAGES)
@pytest.mark.parametrize("who", ["root_manager", "statistician", "gc_admin"])
def test_changes_are_refused_below_the_top(tree, users, gc_admin, login, day, page, who):
    # given
    user = gc_admin if who == "gc_admin" else getattr(users, who)
    client = login(user)
    before = state()
    # when
    got = client.get(pages(day)[page])
    posted = client.post(pages(day)[page], POSTS[page])
    # then
    assert got.status_code == 403
    assert posted.status_code == 403
    assert CHANGE_DENIED in text(posted)
    assert state() == before


@pytest.mark.parametrize("page", VIEW_PAGES + CHANGE_PAGES)
@pytest.mark.parametrize("who", ["superuser", "root_admin"])
def test_superusers_and_root_administrators_get_every_page(
    tree, users, root_admin, login, day, page, who
):
    # given
    user = users.admin if who == "superuser" else root_admin
    # when
    response = login(user).get(pages(day)[page])
    # then
    assert response.status_code == 200


def test_an_unknown_rule_answers_404(tree, root_admin, login):
    # given
    client = login(root_admin)
    before = state()
    # when
    got = client.get("/rules/admission.no_such_rule/new/")
    posted = client.post("/rules/admission.no_such_rule/new/", POSTS["new_version"])
    # then
    assert got.status_code == 404
    assert posted.status_code == 404
    assert state() == before


# --- the list -------------------------------------------------------------------------------------


def test_the_list_shows_each_rule_in_force_today_with_its_source(tree, users, login):
    # when
    response = login(users.root_manager).get(LIST)
    # then
    assert section(response, DEADLINE).startswith(
        f"{DEADLINE} Cấp ủy có thẩm quyền quyết định kết nạp trong thời hạn (ngày làm việc) kể "
        "từ ngày chi bộ có nghị quyết đề nghị kết nạp Đang có hiệu lực: 60 ngày làm việc , từ "
        "ngày 19/01/2011 (Điều lệ Đảng (2011), Điều 4; QĐ 232-QĐ/TW (2025), quy định thi hành "
        "Điều lệ Đảng, điểm 4.3.1)."
    )
    assert "Đang có hiệu lực: 2/3 ," in section(response, "admission.vote_threshold")
    assert "Đang có hiệu lực: Trung học cơ sở ," in section(response, "admission.minimum_education")
    assert "Đang có hiệu lực: 12 tháng ," in section(response, "admission.papers_max_age_months")
    assert "Đang có hiệu lực: 3 ," in section(response, "admission.failed_votes_before_referral")


def test_the_list_shows_the_history_with_past_and_upcoming_versions(tree, users, root_admin, login):
    # given: a version from 2020 (so in force today) and one from 2099
    client = login(root_admin)
    for valid_from, value in (("2020-01-01", "50"), ("2099-01-01", "40")):
        client.post(
            NEW_VERSION, {"value": value, "valid_from": valid_from, "source_document": "QĐ 9"}
        )
    # when
    shown = section(login(users.root_manager).get(LIST), DEADLINE)
    # then
    assert "Đang có hiệu lực: 50 ngày làm việc , từ ngày 01/01/2020 (QĐ 9)." in shown
    assert "Lịch sử: 3 phiên bản" in shown
    assert versions(login(users.root_manager).get(LIST), DEADLINE) == [
        ["40 ngày làm việc sắp có hiệu lực", "01/01/2099", "—", "QĐ 9"],
        ["50 ngày làm việc đang có hiệu lực", "01/01/2020", "01/01/2099", "QĐ 9"],
        [
            "60 ngày làm việc",
            "19/01/2011",
            "01/01/2020",
            "Điều lệ Đảng (2011), Điều 4; QĐ 232-QĐ/TW (2025), quy định thi hành Điều lệ Đảng, "
            "điểm 4.3.1",
        ],
    ]


def test_only_those_who_may_change_rules_see_the_new_version_links(
    tree, users, root_admin, gc_admin, login
):
    # when
    for_root_admin = login(root_admin).get(LIST).content.decode()
    for_gc_admin = login(gc_admin).get(LIST).content.decode()
    # then
    assert f'href="{NEW_VERSION}"' in for_root_admin
    assert "/new/" not in for_gc_admin
    assert "Chỉ quản trị hệ thống hoặc quản trị viên của tổ chức cấp cao nhất mới thêm" in (
        for_gc_admin
    )


def test_the_list_queries_do_not_grow_with_the_versions(
    tree, root_admin, login, django_assert_max_num_queries
):
    # given
    client = login(root_admin)
    for year in range(2020, 2030):
        client.post(
            NEW_VERSION, {"value": "50", "valid_from": f"{year}-01-01", "source_document": "QĐ"}
        )
    # when / then
    with django_assert_max_num_queries(6):
        response = client.get(LIST)
    assert "Lịch sử: 11 phiên bản" in section(response, DEADLINE)


# --- new version ----------------------------------------------------------------------------------


def test_the_form_starts_from_the_latest_value(tree, root_admin, login):
    # when
    fraction = login(root_admin).get("/rules/admission.vote_threshold/new/").content.decode()
    education = login(root_admin).get("/rules/admission.minimum_education/new/").content.decode()
    # then
    assert 'name="value" value="2/3"' in fraction
    assert '<option value="lower_secondary" selected>Trung học cơ sở</option>' in education


def test_a_new_version_is_added_from_a_date(tree, users, root_admin, login):
    # given
    client = login(root_admin)
    # when
    response = client.post(
        NEW_VERSION,
        {
            "value": "45",
            "valid_from": "01/01/2027",
            "source_document": "QĐ 999-QĐ/TW (2026)",
            "description": "",
        },
    )
    # then
    assert response.status_code == 302
    assert response["Location"] == f"/rules/#rule-{DEADLINE}"
    assert rule_in_force(DEADLINE, D(2027, 1, 1)).value == 45
    assert rule_in_force(DEADLINE, D(2026, 12, 31)).value == 60
    page = client.get(LIST)
    assert (
        f"Quy định “{DEADLINE}”: giá trị 45 ngày làm việc có hiệu lực từ ngày 01/01/2027."
        in text(page)
    )


@pytest.mark.parametrize(
    ("url", "data", "message"),
    [
        (
            NEW_VERSION,
            {"value": "sáu mươi", "valid_from": "2027-01-01", "source_document": "QĐ 1"},
            f"Giá trị của quy định “{DEADLINE}”: hãy nhập một số nguyên từ 0 đến 9999.",
        ),
        (
            NEW_VERSION,
            {"value": "", "valid_from": "2027-01-01", "source_document": "QĐ 1"},
            f"Giá trị của quy định “{DEADLINE}”: hãy nhập một số nguyên từ 0 đến 9999.",
        ),
        (
            NEW_VERSION,
            {"value": "45", "valid_from": "2010-05-01", "source_document": "QĐ 1"},
            f"Hiệu lực từ (quy định “{DEADLINE}”): phiên bản mới phải có hiệu lực sau ngày "
            "19/01/2011",
        ),
        (
            NEW_VERSION,
            {"value": "45", "valid_from": "", "source_document": "QĐ 1"},
            f"Hiệu lực từ (quy định “{DEADLINE}”): hãy nhập ngày phiên bản bắt đầu có hiệu lực.",
        ),
        (
            NEW_VERSION,
            {"value": "45", "valid_from": "31/02/2027", "source_document": "QĐ 1"},
            "Ngày không hợp lệ",
        ),
        (
            NEW_VERSION,
            {"value": "45", "valid_from": "2027-01-01", "source_document": ""},
            f"Văn bản căn cứ của quy định “{DEADLINE}”: hãy ghi văn bản ban hành phiên bản này",
        ),
        (
            "/rules/admission.vote_threshold/new/",
            {"value": "3/2", "valid_from": "2027-01-01", "source_document": "QĐ 1"},
            "Giá trị của quy định “admission.vote_threshold”: hãy nhập một phân số như 2/3",
        ),
        (
            "/rules/admission.minimum_education/new/",
            {"value": "phd", "valid_from": "2027-01-01", "source_document": "QĐ 1"},
            "Giá trị của quy định “admission.minimum_education”: hãy chọn một trình độ học vấn "
            "trong danh sách.",
        ),
    ],
)
def test_a_refused_version_shows_why_and_changes_nothing(
    tree, root_admin, login, url, data, message
):
    # given
    client = login(root_admin)
    before = state()
    # when
    response = client.post(url, data)
    # then
    assert response.status_code == 400
    assert message in text(response)
    assert state() == before


# --- nav link and audit log -----------------------------------------------------------------------


def test_nav_link_for_administrators(tree, users, root_admin, gc_admin, login):
    # when
    pages_by_user = {
        name: login(user).get("/organizations/").content.decode()
        for name, user in [
            ("root_admin", root_admin),
            ("gc_admin", gc_admin),
            ("superuser", users.admin),
            ("manager", users.root_manager),
        ]
    }
    # then
    link = '<a href="/rules/" >Quy định</a>'
    assert link in pages_by_user["root_admin"]
    assert link in pages_by_user["gc_admin"]
    assert link in pages_by_user["superuser"]
    assert 'href="/rules/"' not in pages_by_user["manager"]
    assert '<a href="/rules/" aria-current="page">Quy định</a>' in (
        login(root_admin).get(LIST).content.decode()
    )


def test_rule_changes_appear_in_the_audit_log_of_the_top(tree, root_admin, login):
    # given
    client = login(root_admin)
    client.post(
        NEW_VERSION, {"value": "45", "valid_from": "2027-01-01", "source_document": "QĐ 999"}
    )
    # when
    response = client.get("/audit/", {"object_type": "core.rule"})
    # then
    body = text(response)
    assert "hiệu lực đến: — → 01/01/2027" in body
    assert "giá trị: — → 45" in body
    assert "văn bản căn cứ: — → QĐ 999" in body
