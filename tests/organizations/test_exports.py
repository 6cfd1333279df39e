"""The export of the organization list: the tree (or the search) as a table, scoped, audited."""

from __future__ import annotations

from dangbo.core.models import AuditAction, AuditEntry
from tests.export_reading import csv_rows, vi, xlsx_rows, xlsx_table

URL = "/organizations/export/"
HEADER = ["Tên tổ chức", "Mã", "Cấp", "Trực thuộc", "Đảng viên"]


def test_whole_tree_as_xlsx_with_counts(login, users, tree, member):
    response = login(users.root_manager).get(URL, {"format": "xlsx", "as_of": "2025-01-01"})

    assert response.status_code == 200
    assert xlsx_rows(response)[0][0] == vi("List of party organizations")
    table = xlsx_table(response)
    assert table[0] == HEADER
    rows = {r[0]: r for r in table[1:]}
    assert set(rows) == {
        "Đảng bộ Khối Dân – Chính – Đảng",
        "Đảng bộ Sở A",
        "Chi bộ Phòng 1",
        "Chi bộ Phòng 2",
        "Chi bộ Báo B",
    }
    assert rows["Chi bộ Phòng 1"][1:] == ["A1", "Chi bộ trực thuộc", "Đảng bộ Sở A", 1]
    assert rows["Đảng bộ Khối Dân – Chính – Đảng"][3:] == [None, 1]


def test_search_is_honoured_and_scope_kept(login, users, tree):
    client = login(users.a1_manager)

    every = csv_rows(client.get(URL, {"format": "csv"}))
    searched = csv_rows(login(users.root_manager).get(URL, {"format": "csv", "q": "phong"}))

    assert [r[0] for r in every[1:]] == ["Chi bộ Phòng 1"]
    assert [r[0] for r in searched[1:]] == ["Chi bộ Phòng 1", "Chi bộ Phòng 2"]


def test_statistician_may_export_the_organizations(login, users, tree):
    # The list holds no personal data: statisticians see the page, and may export it.
    response = login(users.statistician).get(URL, {"format": "csv"})
    assert response.status_code == 200
    assert len(csv_rows(response)) == 1 + 5


def test_user_without_role_is_refused(login, users, tree):
    response = login(users.nobody).get(URL, {"format": "csv"})
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()


def test_anonymous_is_sent_to_login(client, tree):
    response = client.get(URL, {"format": "csv"})
    assert response.status_code == 302


def test_bad_format_is_400(login, users, tree):
    assert login(users.root_manager).get(URL, {"format": "doc"}).status_code == 400


def test_export_is_audited(login, users, tree):
    csv_rows(login(users.gb_manager).get(URL, {"format": "csv", "q": "báo"}))

    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert entry.actor == users.gb_manager
    assert entry.object_type == "organizations.organization"
    assert entry.organization == tree.gb
    assert entry.changes == {"format": "csv", "filters": {"q": "báo"}, "rows": 1}


def test_page_links_to_the_exports(login, users, tree):
    body = login(users.root_manager).get("/organizations/", {"q": "phòng"}).content.decode()
    assert 'href="/organizations/export/?q=ph%C3%B2ng&amp;format=csv"' in body
    tree_body = login(users.root_manager).get("/organizations/").content.decode()
    assert 'href="/organizations/export/?format=xlsx"' in tree_body
