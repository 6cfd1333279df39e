"""Exports of the admission board and due list: same rows as the pages, scoped, refused to
statisticians, audited."""

from __future__ import annotations

import datetime as dt

import pytest

from dangbo.core.models import AuditAction, AuditEntry
from tests.admissions.factories import MEETING, make_candidate_person, pass_branch, start
from tests.export_reading import csv_rows, vi, xlsx_rows, xlsx_table

BOARD = "/admissions/export/"
DUE = "/admissions/due/export/"


def exported() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=AuditAction.EXPORT).order_by("id"))


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("admin", 200),
        ("root_manager", 200),
        ("a1_manager", 200),
        ("gc_viewer", 200),
        ("a2_manager", 200),
        ("statistician", 403),
        ("nobody", 403),
    ],
)
@pytest.mark.parametrize("url", [BOARD, DUE])
def test_access_like_the_pages(login, users, candidate, username, status, url):
    response = login(getattr(users, username)).get(url, {"format": "csv"})

    assert response.status_code == status
    assert len(exported()) == (1 if status == 200 else 0)


@pytest.mark.parametrize("url", [BOARD, DUE])
def test_organization_outside_scope_is_404(login, users, tree, candidate, url):
    response = login(users.gb_manager).get(url, {"format": "xlsx", "organization": tree.a1.pk})

    assert response.status_code == 404
    assert exported() == []


def test_board_export_lists_candidates_by_stage(login, users, tree, branch, candidate):
    pass_branch(users.a1_manager, candidate)
    start(
        users.a1_manager,
        make_candidate_person(tree.a1, given_name="Hoa"),
        tree.a1,
        branch.members[0],
    )
    client = login(users.a1_manager)

    response = client.get(BOARD, {"format": "xlsx", "as_of": MEETING.isoformat()})

    assert response.status_code == 200
    assert xlsx_rows(response)[0][0] == "Phát triển đảng viên"
    table = xlsx_table(response)
    assert table[0] == [
        vi("Stage"),
        "Quần chúng ưu tú",
        "Chi bộ bồi dưỡng",
        "Đảng viên giúp đỡ",
        "Hạn tiếp theo",
    ]
    assert table[1:] == [
        ["Đang hoàn thiện hồ sơ", "Phạm Thị Hoa", "Chi bộ Phòng 1", "Trần Thị Bình", None],
        [
            "Chờ quyết định kết nạp",
            "Phạm Thị Lan",
            "Chi bộ Phòng 1",
            "Trần Thị Bình",
            "Quyết định kết nạp (9-KNĐ): 10/09/2024",
        ],
    ]
    entry = exported()[0]
    assert entry.object_type == "admissions.candidate"
    assert entry.organization == tree.a1
    assert entry.changes == {
        "format": "xlsx",
        "filters": {"as_of": MEETING.isoformat()},
        "rows": 2,
    }


def test_board_export_of_another_subtree_is_empty(login, users, tree, candidate):
    rows = csv_rows(
        login(users.root_manager).get(BOARD, {"format": "csv", "organization": tree.gb.pk})
    )

    assert len(rows) == 1
    assert exported()[0].organization == tree.gb


def test_due_export_has_overdue_then_due(login, users, candidate):
    pass_branch(users.a1_manager, candidate)
    client = login(users.gc_viewer)

    due = csv_rows(client.get(DUE, {"format": "csv", "as_of": "2024-08-20"}))
    late = xlsx_table(client.get(DUE, {"format": "xlsx", "as_of": "2024-12-31"}))
    elsewhere = csv_rows(login(users.gb_manager).get(DUE, {"format": "csv", "as_of": "2024-12-31"}))

    assert due[0][:2] == ["Quá hạn", "Quần chúng ưu tú"]
    assert [(r[0], r[1]) for r in due[1:]] == [("Không", "Phạm Thị Lan")]
    assert [(r[0], r[1]) for r in late[1:]] == [("Có", "Phạm Thị Lan")]
    counted_from, due_on = late[1][4], late[1][7]
    assert isinstance(counted_from, dt.datetime) and isinstance(due_on, dt.datetime)
    assert due_on < dt.datetime(2024, 12, 31)
    assert elsewhere == [due[0]]


def test_unknown_format_is_400(login, users, candidate):
    assert login(users.a1_manager).get(BOARD, {"format": "ods"}).status_code == 400
    assert exported() == []
