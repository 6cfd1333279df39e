"""Entering and removing the administrators' days of the working-day calendar
(core.services.add_calendar_day / remove_calendar_day): who may, what is refused, the audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dangbo.core import services
from dangbo.core.calendar import add_working_days
from dangbo.core.models import AuditEntry, CalendarDay, CalendarDayKind, Role
from tests.factories import UserFactory, grant

D = dt.date
NOTICE = "Thông báo 6150/TB-BLĐTBXH (2024)"


@pytest.fixture
def root_admin(tree):
    user = UserFactory(username="root_admin")
    grant(user, tree.root, Role.ADMINISTRATOR)
    return user


@pytest.fixture
def gc_admin(tree):
    user = UserFactory(username="gc_admin")
    grant(user, tree.gc, Role.ADMINISTRATOR)
    return user


def state() -> tuple:
    return (
        sorted(CalendarDay.objects.values_list("date", "kind", "note", "source_document")),
        AuditEntry.objects.count(),
    )


def add(actor, **changes) -> CalendarDay:
    data = {
        "date": D(2027, 3, 6),  # a Saturday
        "kind": CalendarDayKind.WORKING_DAY,
        "source_document": NOTICE,
        "note": "Làm bù cho thứ Hai 08/03",
        **changes,
    }
    return services.add_calendar_day(actor=actor, **data)


def test_an_administrator_at_the_top_enters_a_make_up_day(tree, root_admin):
    # when
    day = add(root_admin)
    # then
    assert (day.date, day.kind, day.source_document, day.note) == (
        D(2027, 3, 6),
        "working_day",
        NOTICE,
        "Làm bù cho thứ Hai 08/03",
    )
    assert add_working_days(D(2027, 3, 5), 1) == D(2027, 3, 6)
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.object_type, entry.organization_id, entry.actor_name) == (
        "create",
        "core.calendarday",
        tree.root.pk,
        "root_admin",
    )
    assert entry.changes["date"] == [None, "2027-03-06"]


def test_a_declared_day_off(tree, users):
    day = add(users.admin, date=D(2027, 3, 8), kind=CalendarDayKind.DAY_OFF, note="")
    assert day.get_kind_display() == "Ngày nghỉ"
    assert add_working_days(D(2027, 3, 5), 1) == D(2027, 3, 9)


def test_removing_a_day_is_audited_with_what_it_was(tree, root_admin):
    # given
    day = add(root_admin)
    # when
    services.remove_calendar_day(actor=root_admin, day=day)
    # then
    assert CalendarDay.objects.count() == 0
    entry = AuditEntry.objects.order_by("-id").first()
    assert entry.action == "delete"
    assert entry.changes["source_document"] == [NOTICE, None]
    assert add_working_days(D(2027, 3, 5), 1) == D(2027, 3, 8)


def test_removing_a_day_twice_is_refused(tree, root_admin):
    day = add(root_admin)
    services.remove_calendar_day(actor=root_admin, day=day)
    before = state()
    with pytest.raises(ValidationError) as error:
        services.remove_calendar_day(actor=root_admin, day=day)
    assert error.value.messages == ["Ngày này đã được xóa khỏi lịch trước đó."]
    assert state() == before


@pytest.mark.parametrize("who", ["gc_admin", "root_manager", "nobody"])
def test_only_superusers_and_root_administrators_change_the_calendar(
    tree, users, gc_admin, root_admin, who
):
    # given
    actor = gc_admin if who == "gc_admin" else getattr(users, who)
    existing = add(root_admin, date=D(2027, 3, 13))
    before = state()
    # when
    with pytest.raises(PermissionDenied) as added:
        add(actor)
    with pytest.raises(PermissionDenied):
        services.remove_calendar_day(actor=actor, day=existing)
    # then
    assert str(added.value) == (
        "Chỉ quản trị hệ thống hoặc quản trị viên của tổ chức cấp cao nhất mới được thay đổi "
        "lịch ngày làm việc, vì lịch áp dụng chung toàn quốc."
    )
    assert state() == before


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        (
            {"date": D(2027, 3, 8)},
            "kind",
            "Loại ngày: ngày 08/03/2027 vốn đã là ngày làm việc; chỉ ngày cuối tuần hoặc ngày "
            "nghỉ lễ mới có thể thành ngày làm bù.",
        ),
        (
            {"kind": CalendarDayKind.DAY_OFF},
            "kind",
            "Loại ngày: ngày 06/03/2027 vốn đã là ngày nghỉ (cuối tuần hoặc ngày nghỉ lễ).",
        ),
        ({"date": D(2026, 9, 2), "kind": CalendarDayKind.DAY_OFF}, "kind", "vốn đã là ngày nghỉ"),
        ({"kind": "holiday"}, "kind", "Loại ngày: hãy chọn một loại trong danh sách."),
        (
            {"date": D(1989, 12, 30)},
            "date",
            "Ngày: lịch chỉ nhận các ngày trong các năm từ 1990 đến 2100.",
        ),
        ({"date": None}, "date", "Ngày: hãy nhập ngày."),
        (
            {"source_document": " "},
            "source_document",
            "Văn bản căn cứ: hãy ghi văn bản thông báo của Chính phủ quy định ngày này (số và "
            "ngày ban hành).",
        ),
        ({"note": "x" * 256}, "note", "Tối đa 255 ký tự (hiện có 256)."),
    ],
)
def test_a_refused_day_names_the_field_and_changes_nothing(tree, root_admin, changes, field, text):
    # given
    before = state()
    # when
    with pytest.raises(ValidationError) as error:
        add(root_admin, **changes)
    # then
    assert list(error.value.message_dict) == [field]
    assert text in " ".join(error.value.message_dict[field])
    assert state() == before


def test_a_date_already_on_the_calendar_is_refused(tree, root_admin):
    # given
    add(root_admin)
    before = state()
    # when
    with pytest.raises(ValidationError) as error:
        add(root_admin, kind=CalendarDayKind.DAY_OFF)
    # then
    assert error.value.message_dict == {
        "date": [
            "Ngày: ngày 06/03/2027 đã có trên lịch (Ngày làm bù); muốn sửa, hãy xóa mục đó trước."
        ]
    }
    assert state() == before
