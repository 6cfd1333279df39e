"""The audit log page at /audit/ and its selector: scoping, filters, paging, the changes column."""

from __future__ import annotations

import datetime as dt
import re
from unittest import mock

import pytest
from django.utils import timezone

from dangbo.core import audit
from dangbo.core.audit import RequestContext, reset_request_context, set_request_context
from dangbo.core.models import AuditAction, AuditEntry
from dangbo.core.selectors import AuditFilters, list_audit_entries

URL = "/audit/"
REQUEST_ID = "6f1c1c2e-3d4b-4f59-9a56-0d5f3c1b2a77"


def at(day: dt.date, hour: int = 10):
    """Freeze the clock of ``auto_now_add`` at ``day`` ``hour``:00 in Viet Nam."""
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
    return mock.patch("django.utils.timezone.now", return_value=moment)


def shown(response) -> list[int]:
    """Ids of the audit entries on the page, in page order."""
    return [int(pk) for pk in re.findall(r'<tr data-entry="(\d+)"', response.content.decode())]


def row(response, entry) -> str:
    body = response.content.decode()
    match = re.search(rf'<tr data-entry="{entry.pk}">(.*?)</tr>', body, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip()


@pytest.fixture
def log(tree, users):
    """Entries in a1 (by its manager), in gb (by its manager), a demo build, others' logins."""
    with at(dt.date(2024, 3, 10)):
        a1 = audit.record(
            actor=users.a1_manager,
            action=AuditAction.UPDATE,
            obj=tree.a1,
            organization=tree.a1,
            changes={
                "name": ["Chi bộ P1", "Chi bộ Phòng 1"],
                "level": ["cell", "branch"],
                "founded_on": [None, "1990-01-01"],
            },
        )
    with at(dt.date(2024, 3, 12)):
        token = set_request_context(RequestContext(request_id=REQUEST_ID))
        try:
            gb = audit.record(
                actor=users.gb_manager,
                action=AuditAction.UPDATE,
                obj=tree.gb,
                organization=tree.gb,
                changes={"short_name": ["", "BB"]},
            )
        finally:
            reset_request_context(token)
    with at(dt.date(2024, 3, 14)):
        demo = audit.record(
            actor=None,
            action=AuditAction.CREATE,
            object_type="demo",
            object_repr="Dựng dữ liệu demo",
        )
        other_login = audit.record(
            actor=users.gb_manager,
            action=AuditAction.LOGIN,
            object_type="auth.user",
            object_repr="gb_manager",
        )
    return type("Log", (), {"a1": a1, "gb": gb, "demo": demo, "other_login": other_login})


def own_logins(user) -> list[int]:
    return list(
        AuditEntry.objects.filter(actor=user, action=AuditAction.LOGIN)
        .order_by("-at", "-id")
        .values_list("id", flat=True)
    )


# --- access and scope -----------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, tree):
    # when
    response = client.get(URL)
    # then
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/audit/"


def test_manager_sees_the_entries_of_the_subtree_and_own_logins(tree, users, log, login):
    # given
    client = login(users.root_manager)
    # when
    response = client.get(URL)
    # then
    assert response.status_code == 200
    assert shown(response) == [*own_logins(users.root_manager), log.gb.pk, log.a1.pk]


def test_manager_of_another_branch_does_not_see_your_branch(tree, users, log, login):
    # when
    gb_page = login(users.gb_manager).get(URL)
    # then
    assert log.a1.pk not in shown(gb_page)
    assert log.gb.pk in shown(gb_page)


def test_branch_manager_sees_only_the_branch(tree, users, log, login):
    # when
    response = login(users.a1_manager).get(URL)
    # then
    assert shown(response) == [*own_logins(users.a1_manager), log.a1.pk]


def test_viewer_sees_the_subtree(tree, users, log, login):
    # when
    response = login(users.gc_viewer).get(URL)
    # then
    assert shown(response) == [*own_logins(users.gc_viewer), log.a1.pk]


@pytest.mark.parametrize("username", ["statistician", "nobody"])
def test_without_personal_scope_only_own_logins(tree, users, log, login, username):
    # given
    user = getattr(users, username)
    client = login(user)
    # when
    response = client.get(URL)
    # then
    assert response.status_code == 200
    assert shown(response) == own_logins(user)
    assert len(shown(response)) == 1


def test_failed_logins_on_your_own_username_are_yours(tree, users, login):
    # given
    failed = audit.record(
        actor=None, action=AuditAction.LOGIN_FAILED, object_type="auth.user", object_repr="nobody"
    )
    someone_else = audit.record(
        actor=None, action=AuditAction.LOGIN_FAILED, object_type="auth.user", object_repr="admin"
    )
    # when
    response = login(users.nobody).get(URL)
    # then
    assert failed.pk in shown(response)
    assert someone_else.pk not in shown(response)


def test_superuser_sees_everything(tree, users, log, login):
    # when
    response = login(users.admin).get(URL)
    # then
    ids = shown(response)
    assert {log.a1.pk, log.gb.pk, log.demo.pk, log.other_login.pk} <= set(ids)
    assert ids == list(AuditEntry.objects.order_by("-at", "-id").values_list("id", flat=True))


def test_selector_refuses_anonymous_and_inactive(tree, users, log):
    # given
    from django.contrib.auth.models import AnonymousUser

    users.root_manager.is_active = False
    # when / then
    assert list(list_audit_entries(user=AnonymousUser(), filters=AuditFilters())) == []
    assert list(list_audit_entries(user=users.root_manager, filters=AuditFilters())) == []


# --- filters --------------------------------------------------------------------------------------


def test_filter_by_actor(tree, users, log, login):
    # when
    response = login(users.root_manager).get(URL, {"actor": "A1_"})
    # then
    assert shown(response) == [log.a1.pk]


def test_filter_by_action_and_object_type(tree, users, log, login):
    # given
    client = login(users.root_manager)
    # when
    updates = client.get(URL, {"action": "update", "object_type": "organizations.organization"})
    logins = client.get(URL, {"action": "login"})
    # then
    assert shown(updates) == [log.gb.pk, log.a1.pk]
    assert shown(logins) == own_logins(users.root_manager)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"date_from": "11/03/2024"}, "gb"),
        ({"date_to": "2024-03-11"}, "a1"),
        ({"date_from": "10/03/2024", "date_to": "10/03/2024"}, "a1"),
        ({"date_from": "2024-03-12", "date_to": "12/03/2024"}, "gb"),
    ],
)
def test_filter_by_dates_in_both_formats(tree, users, log, login, params, expected):
    # when
    response = login(users.root_manager).get(URL, {"action": "update", **params})
    # then
    assert shown(response) == [getattr(log, expected).pk]


def test_date_to_includes_the_whole_day_in_viet_nam(tree, users, login):
    # given: 23:30 on 10/3 in Ha Noi is 16:30 UTC the same day
    with at(dt.date(2024, 3, 10), hour=23):
        late = audit.record(
            actor=users.a1_manager, action=AuditAction.UPDATE, obj=tree.a1, organization=tree.a1
        )
    # when
    response = login(users.root_manager).get(URL, {"date_to": "10/03/2024"})
    # then
    assert shown(response) == [late.pk]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"date_from": "31/02/2024"},
            "Từ ngày: Ngày không hợp lệ: hãy nhập theo dạng dd/mm/yyyy hoặc yyyy-mm-dd.",
        ),
        (
            {"date_to": "hôm nay"},
            "Đến ngày: Ngày không hợp lệ: hãy nhập theo dạng dd/mm/yyyy hoặc yyyy-mm-dd.",
        ),
        (
            {"date_to": "31/12/9999"},
            "Đến ngày: Ngày không hợp lệ: hãy nhập theo dạng dd/mm/yyyy hoặc yyyy-mm-dd.",
        ),
        (
            {"date_from": "12/03/2024", "date_to": "10/03/2024"},
            "Đến ngày: “Đến ngày” phải sau hoặc bằng “Từ ngày”.",
        ),
        (
            {"action": "delete-all"},
            "Hành động: Hãy chọn một lựa chọn hợp lệ. delete-all không phải là một trong",
        ),
    ],
)
def test_bad_filters_show_a_message_not_an_error(tree, users, log, login, params, message):
    # when
    response = login(users.root_manager).get(URL, params)
    # then
    assert response.status_code == 200
    assert message in response.content.decode()


def test_a_bad_date_is_ignored_and_the_rest_applies(tree, users, log, login):
    # when
    response = login(users.root_manager).get(URL, {"date_from": "32/01/2024", "actor": "gb_"})
    # then
    assert shown(response) == [log.gb.pk]


def test_filter_by_request_id(tree, users, log, login):
    # when
    response = login(users.root_manager).get(URL, {"request_id": REQUEST_ID.upper()})
    # then
    assert shown(response) == [log.gb.pk]
    assert f'href="?request_id={REQUEST_ID}"' in response.content.decode()


# --- presentation ---------------------------------------------------------------------------------


def test_changes_column_shows_before_and_after_per_field(tree, users, log, login):
    # when
    response = login(users.root_manager).get(URL)
    # then
    text = row(response, log.a1)
    assert text.startswith("10/03/2024 10:00:00 a1_manager Sửa Tổ chức đảng: Chi bộ Phòng 1")
    assert "tên tổ chức: Chi bộ P1 → Chi bộ Phòng 1" in text
    assert "cấp: Tổ đảng → Chi bộ trực thuộc" in text
    assert "ngày thành lập: — → 01/01/1990" in text


def test_creation_rows_skip_empty_fields(tree, users, login):
    # given
    client = login(users.root_manager)
    client.post(
        f"/organizations/new/?parent={tree.gc.pk}",
        {
            "parent": "GC",
            "code": "A3",
            "name": "Chi bộ Phòng 3",
            "level": "branch",
            "kind": "branch",
            "founded_on": "01/02/2020",
        },
    )
    entry = AuditEntry.objects.get(
        action=AuditAction.CREATE, object_type="organizations.organization"
    )
    # when
    response = client.get(URL)
    # then
    text = row(response, entry)
    assert "tên tổ chức: — → Chi bộ Phòng 3" in text
    assert "tổ chức cấp trên: — → Đảng bộ Sở A" in text
    assert "tên viết tắt" not in text


def test_organizations_in_changes_are_named_only_within_scope(tree, users, login):
    # given
    entry = audit.record(
        actor=users.admin,
        action=AuditAction.UPDATE,
        obj=tree.a1,
        organization=tree.a1,
        changes={"parent_id": [tree.gc.pk, tree.a2.pk]},
    )
    # when
    manager = login(users.root_manager).get(URL)
    branch = login(users.a1_manager).get(URL)
    # then
    assert "tổ chức cấp trên: Đảng bộ Sở A → Chi bộ Phòng 2" in row(manager, entry)
    assert f"tổ chức cấp trên: #{tree.gc.pk} → #{tree.a2.pk}" in row(branch, entry)


def test_entries_are_paginated_fifty_a_page_newest_first(tree, users, login):
    # given
    entries = []
    for i in range(60):
        with at(dt.date(2024, 1, 1) + dt.timedelta(days=i)):
            entries.append(
                audit.record(
                    actor=users.a1_manager,
                    action=AuditAction.UPDATE,
                    obj=tree.a1,
                    organization=tree.a1,
                )
            )
    client = login(users.root_manager)
    # when
    first = client.get(URL, {"action": "update"})
    second = client.get(URL, {"action": "update", "page": "2"})
    # then
    assert shown(first) == [e.pk for e in reversed(entries[10:])]
    assert shown(second) == [e.pk for e in reversed(entries[:10])]
    assert "Trang 2 / 2" in second.content.decode()
    assert "action=update&amp;page=1" in second.content.decode()


def test_audit_page_queries_are_few(tree, users, log, login, django_assert_max_num_queries):
    # given
    client = login(users.root_manager)
    # when / then
    with django_assert_max_num_queries(6):
        response = client.get(URL)
    assert response.status_code == 200


def test_bad_as_of_shows_the_message_and_a_200(tree, users, log, login):
    # when
    response = login(users.root_manager).get(URL, {"as_of": "2024-13-01"})
    # then
    assert response.status_code == 200
    assert "Ngày xem (as_of) “2024-13-01” không hợp lệ" in response.content.decode()
