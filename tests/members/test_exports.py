"""Exports of the member and staff lists: same rows as the page (every page), scoped, refused
where the page is, audited, Vietnamese intact, read in chunks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import QuerySet
from django.http import StreamingHttpResponse

from dangbo.core import exports
from dangbo.core.models import AuditAction, AuditEntry
from dangbo.members import selectors, services
from dangbo.members.models import Member, MembershipPeriod, MemberStatus, Person
from dangbo.members.services import derive_name_fields
from tests.export_reading import csv_rows, vi, xlsx_rows, xlsx_sheet, xlsx_table
from tests.factories import kinh, make_person

MEMBERS = "/members/export/"
PEOPLE = "/members/people/export/"
HEADER = [
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Loại",
    "Chi bộ / tổ chức",
    "Lý luận chính trị",
]


@pytest.fixture
def other_member(tree, users):
    """Đỗ Văn Dũng, probationary member of the grassroots branch gb (another subtree)."""
    person = make_person(
        "Đỗ",
        "Văn",
        "Dũng",
        organization=tree.gb,
        date_of_birth=dt.date(1992, 3, 3),
        citizen_id="001092000077",
    )
    return services.admit_member(
        actor=users.root_manager,
        person=person,
        organization=tree.gb,
        decision_date=dt.date(2025, 1, 6),
        ceremony_date=dt.date(2025, 1, 20),
    )


def exports_of(user) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=AuditAction.EXPORT, actor=user).order_by("id"))


# --- contents -----------------------------------------------------------------------------------


def test_xlsx_holds_the_list_with_title_header_and_real_dates(login, users, member, other_member):
    response = login(users.root_manager).get(MEMBERS, {"format": "xlsx", "as_of": "2025-06-30"})

    assert response.status_code == 200
    assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    disposition = response["Content-Disposition"]
    assert 'filename="danh-sach-dang-vien-2025-06-30.xlsx"' in disposition
    assert (
        "filename*=UTF-8''Danh%20s%C3%A1ch%20%C4%91%E1%BA%A3ng%20vi%C3%AAn%2030-06-2025.xlsx"
        in (disposition)
    )
    rows = xlsx_rows(response)
    assert rows[0][0] == "Danh sách đảng viên"
    titles = [r[0] for r in rows[:6] if r and r[0]]
    assert vi("Party organization: %(name)s", name=vi("Whole scope")) in titles
    assert vi("As of: %(day)s", day="30/06/2025") in titles
    exported = vi("Exported by %(user)s at %(time)s", user="root_manager", time="")
    assert any(str(t).startswith(exported) for t in titles)
    table = xlsx_table(response)
    assert table[0] == HEADER
    assert table[1:] == [
        [
            "Trần Thị Bình",
            dt.datetime(1990, 7, 4),
            "Nữ",
            "Đảng viên chính thức",
            "Chi bộ Phòng 1",
            "Chưa qua đào tạo",
        ],
        [
            "Đỗ Văn Dũng",
            dt.datetime(1992, 3, 3),
            "Nam",
            "Đảng viên dự bị",
            "Chi bộ Báo B",
            "Chưa qua đào tạo",
        ],
    ]


def test_xlsx_layout_bold_frozen_header_a4_landscape(login, users, member):
    sheet = xlsx_sheet(login(users.root_manager).get(MEMBERS, {"format": "xlsx"}))

    header_row = int(sheet.freeze_panes[1:]) - 1
    header = sheet.cell(row=header_row, column=1)
    assert header.value == "Họ và tên" and header.font.bold
    assert sheet.cell(row=header_row + 1, column=2).number_format == "DD/MM/YYYY"
    assert sheet.print_title_rows == f"${header_row}:${header_row}"
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert int(sheet.page_setup.fitToWidth) == 1
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.column_dimensions["A"].width == 28


def test_csv_is_utf8_with_bom_and_dates_dd_mm_yyyy(login, users, member, other_member):
    response = login(users.root_manager).get(MEMBERS, {"format": "csv"})

    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="danh-sach-dang-vien-' in response["Content-Disposition"]
    rows = csv_rows(response)
    assert rows == [
        HEADER,
        [
            "Trần Thị Bình",
            "04/07/1990",
            "Nữ",
            "Đảng viên chính thức",
            "Chi bộ Phòng 1",
            "Chưa qua đào tạo",
        ],
        ["Đỗ Văn Dũng", "03/03/1992", "Nam", "Đảng viên dự bị", "Chi bộ Báo B", "Chưa qua đào tạo"],
    ]


def test_export_honours_the_page_filters_and_ordering(login, users, member, other_member):
    client = login(users.root_manager)

    by_status = csv_rows(client.get(MEMBERS, {"format": "csv", "status": MemberStatus.FULL}))
    by_search = csv_rows(client.get(MEMBERS, {"format": "csv", "q": "dung"}))
    reversed_names = csv_rows(client.get(MEMBERS, {"format": "csv", "ordering": "-name"}))

    assert [r[0] for r in by_status[1:]] == ["Trần Thị Bình"]
    assert [r[0] for r in by_search[1:]] == ["Đỗ Văn Dũng"]
    assert [r[0] for r in reversed_names[1:]] == ["Đỗ Văn Dũng", "Trần Thị Bình"]


def test_organization_filter_limits_rows_and_is_named_on_the_sheet(
    login, users, tree, member, other_member
):
    response = login(users.root_manager).get(
        MEMBERS, {"format": "xlsx", "organization": tree.gc.pk}
    )

    rows = xlsx_rows(response)
    assert vi("Party organization: %(name)s", name="Đảng bộ Sở A") in [r[0] for r in rows[:6]]
    assert [r[0] for r in xlsx_table(response)[1:]] == ["Trần Thị Bình"]


def test_export_exports_every_page_not_only_the_current(login, users, tree, member):
    for given in ("An", "Ba", "Chi"):
        person = make_person("Lê", "Văn", given, organization=tree.a1)
        services.admit_member(
            actor=users.root_manager,
            person=person,
            organization=tree.a1,
            decision_date=dt.date(2020, 1, 6),
        )

    response = login(users.root_manager).get(MEMBERS, {"format": "csv", "page_size": 25, "page": 2})

    assert len(csv_rows(response)) == 1 + 4


# --- access -------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, member):
    response = client.get(MEMBERS, {"format": "xlsx"})
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_another_branch_gets_only_its_own_rows(login, users, member, other_member):
    rows = csv_rows(login(users.gb_manager).get(MEMBERS, {"format": "csv"}))
    assert [r[0] for r in rows[1:]] == ["Đỗ Văn Dũng"]


def test_organization_filter_outside_scope_is_404_and_not_audited(
    login, users, tree, member, other_member
):
    response = login(users.gb_manager).get(MEMBERS, {"format": "xlsx", "organization": tree.a1.pk})
    assert response.status_code == 404
    assert exports_of(users.gb_manager) == []


def test_statistician_is_refused_like_the_page(login, users, member):
    response = login(users.statistician).get(MEMBERS, {"format": "csv"})
    assert response.status_code == 403
    assert "Trần Thị Bình" not in response.content.decode()
    assert exports_of(users.statistician) == []


@pytest.mark.parametrize("bad", ["", "pdf", "XLSX"])
def test_unknown_format_is_400_naming_the_field(login, users, member, bad):
    response = login(users.root_manager).get(MEMBERS, {"format": bad})
    assert response.status_code == 400
    text = response.content.decode()
    assert vi("The file format (format): choose “xlsx” (Excel) or “csv”.") in text
    assert exports_of(users.root_manager) == []


def test_unreadable_filter_is_400_naming_it(login, users, member):
    response = login(users.root_manager).get(MEMBERS, {"format": "csv", "status": "bogus"})
    assert response.status_code == 400
    assert "Loại đảng viên:" in response.content.decode()


# --- audit --------------------------------------------------------------------------------------


def test_each_export_writes_one_audit_row(login, users, tree, member, other_member):
    client = login(users.root_manager)

    client.get(MEMBERS, {"format": "xlsx", "status": "full", "page": "3"})
    csv_rows(client.get(MEMBERS, {"format": "csv", "organization": tree.gc.pk}))

    first, second = exports_of(users.root_manager)
    assert first.object_type == "members.member"
    assert first.object_repr == "Danh sách đảng viên"
    assert first.organization == tree.root
    assert first.changes == {"format": "xlsx", "filters": {"status": "full"}, "rows": 1}
    assert second.organization == tree.gc
    assert second.changes == {
        "format": "csv",
        "filters": {"organization": str(tree.gc.pk)},
        "rows": 1,
    }
    assert first.path == MEMBERS


def test_export_appears_in_the_audit_log(login, users, tree, member):
    login(users.a1_manager).get(MEMBERS, {"format": "csv"})

    body = login(users.gc_viewer).get("/audit/", {"action": "export"}).content.decode()

    assert "Danh sách đảng viên" in body
    assert f"{vi('file format')}:</span> csv" in body
    assert f"{vi('rows')}:</span> 1" in body


# --- the page carries the links -------------------------------------------------------------


def test_list_page_links_to_both_formats_with_its_filters(login, users, member):
    body = login(users.root_manager).get("/members/", {"status": "full", "page": "1"}).content
    text = body.decode()
    assert 'href="/members/export/?status=full&amp;format=xlsx"' in text
    assert 'href="/members/export/?status=full&amp;format=csv"' in text
    assert vi("Download Excel") in text and vi("Download CSV") in text


# --- many rows: read in chunks, streamed ----------------------------------------------------


def bulk_members(organization, n: int) -> None:
    """``n`` full members of ``organization`` written in bulk (the services are too slow for
    thousands)."""
    ethnicity = kinh()
    people = []
    for i in range(n):
        person = Person(
            surname="Nguyễn",
            middle_name="Văn",
            given_name=f"Thành{i:05d}",
            sex="male",
            date_of_birth=dt.date(1980, 1, 1) + dt.timedelta(days=i),
            ethnicity=ethnicity,
        )
        derive_name_fields(person)
        people.append(person)
    people = Person.objects.bulk_create(people)
    members = Member.objects.bulk_create([Member(person=p) for p in people])
    MembershipPeriod.objects.bulk_create(
        [
            MembershipPeriod(
                member=m,
                organization=organization,
                status=MemberStatus.FULL,
                valid_from=dt.date(2010, 1, 1),
            )
            for m in members
        ]
    )


def page_reads(captured) -> int:
    """How many queries read rows of the member list (not counts, not the rest)."""
    return sum(
        1
        for query in captured.captured_queries
        # (on PostgreSQL the read goes through a server-side cursor: DECLARE ... FOR SELECT)
        if 'SELECT "members_membershipperiod"."id"' in query["sql"]
    )


@pytest.fixture
def chunk_sizes(monkeypatch):
    """The chunk size of every chunked read of a queryset (``QuerySet.iterator``)."""
    sizes: list[int | None] = []
    iterator = QuerySet.iterator

    def spy(self, chunk_size=None):
        sizes.append(chunk_size)
        return iterator(self, chunk_size=chunk_size)

    monkeypatch.setattr(QuerySet, "iterator", spy)
    return sizes


def test_large_export_streams_and_reads_in_chunks(
    login, users, tree, monkeypatch, chunk_sizes, django_assert_max_num_queries
):
    bulk_members(tree.a1, 5000)
    monkeypatch.setattr(exports, "CHUNK_SIZE", 1000)
    client = login(users.root_manager)

    with django_assert_max_num_queries(15) as captured:
        response = client.get(MEMBERS, {"format": "csv"})
        assert isinstance(response, StreamingHttpResponse)
        read_before_sending = page_reads(captured)
        chunks = iter(response.streaming_content)
        header = next(chunks)
        first = next(chunks)
        read_for_first_block = page_reads(captured)
        rest = list(chunks)

    # Nothing is read before the response starts; then one query, fetched 1.000 rows at a time,
    # and sent 1.000 rows a block.
    assert (read_before_sending, read_for_first_block, page_reads(captured)) == (0, 1, 1)
    assert chunk_sizes == [1000]
    assert header.startswith(b"\xef\xbb\xbf")
    assert first.count(b"\r\n") == 1000
    assert [c.count(b"\r\n") for c in rest] == [1000, 1000, 1000, 1000]
    assert exports_of(users.root_manager)[0].changes["rows"] == 5000


def test_large_xlsx_is_read_in_chunks(
    login, users, tree, monkeypatch, chunk_sizes, django_assert_max_num_queries
):
    bulk_members(tree.a1, 5000)
    monkeypatch.setattr(exports, "CHUNK_SIZE", 1000)
    client = login(users.root_manager)

    with django_assert_max_num_queries(15) as captured:
        response = client.get(MEMBERS, {"format": "xlsx"})
        assert isinstance(response, StreamingHttpResponse)
        read_before_sending = page_reads(captured)
        chunks = list(response.streaming_content)

    # Nothing is read before the response starts; then one query, sent in several blocks.
    assert (read_before_sending, page_reads(captured)) == (0, 1)
    assert len(chunks) > 2
    assert chunk_sizes == [1000]
    response.read_body = b"".join(chunks)
    assert len(xlsx_table(response)) == 1 + 5000
    assert exports_of(users.root_manager)[0].changes["rows"] == 5000


# --- staff list -----------------------------------------------------------------------------


def test_staff_export_lists_members_and_non_members(login, users, tree, member):
    make_person("Hồ", "Thị", "Lan", organization=tree.a1, sex="female")
    client = login(users.a1_manager)

    every = csv_rows(client.get(PEOPLE, {"format": "csv"}))
    non_members = csv_rows(client.get(PEOPLE, {"format": "csv", "non_members": "on"}))

    assert every[0] == ["Họ và tên", "Ngày sinh", "Giới tính", "Đảng viên"]
    # Vietnamese order: by given name first (Bình before Lan).
    assert [(r[0], r[3]) for r in every[1:]] == [("Trần Thị Bình", "Có"), ("Hồ Thị Lan", "Không")]
    assert [r[0] for r in non_members[1:]] == ["Hồ Thị Lan"]
    entry = exports_of(users.a1_manager)[-1]
    assert entry.object_type == "members.person"
    assert entry.changes["filters"] == {"non_members": "on"}
    assert entry.organization == tree.a1


def test_staff_export_scope_and_outside_filter(login, users, tree, member):
    make_person("Vũ", "Văn", "Nam", organization=tree.gb)
    client = login(users.gb_manager)

    rows = xlsx_table(client.get(PEOPLE, {"format": "xlsx"}))

    assert [r[0] for r in rows[1:]] == ["Vũ Văn Nam"]
    assert client.get(PEOPLE, {"format": "xlsx", "organization": tree.a1.pk}).status_code == 404


def test_staff_page_links_to_exports(login, users, member):
    text = login(users.a1_manager).get("/members/people/", {"q": "bình"}).content.decode()
    assert 'href="/members/people/export/?q=b%C3%ACnh&amp;format=xlsx"' in text


def test_long_list_is_exported_whole_in_the_page_order(login, users, tree, member, monkeypatch):
    # Past LARGE_LIST the page reads people first; the export keeps the same order.
    bulk_members(tree.a2, 5)
    monkeypatch.setattr(selectors, "LARGE_LIST", 2)
    monkeypatch.setattr(exports, "CHUNK_SIZE", 2)

    rows = csv_rows(login(users.root_manager).get(MEMBERS, {"format": "csv"}))

    assert [r[0] for r in rows[1:]] == [
        "Trần Thị Bình",
        *(f"Nguyễn Văn Thành{i:05d}" for i in range(5)),
    ]


def test_search_past_the_count_cap_exports_every_match(login, users, tree, member, monkeypatch):
    # The page counts a search up to a cap ("more than ..."); the file holds every match.
    bulk_members(tree.a2, 4)
    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", 2)
    monkeypatch.setattr(exports, "CHUNK_SIZE", 3)

    rows = csv_rows(login(users.root_manager).get(MEMBERS, {"format": "csv", "q": "thanh"}))

    assert len(rows) == 1 + 4
    assert "rows" not in exports_of(users.root_manager)[0].changes


def test_every_filter_of_the_form_reaches_the_export(login, users, member, other_member):
    # Filters read by read_member_filters (the one place) apply to the export as to the page.
    client = login(users.root_manager)

    women = csv_rows(client.get(MEMBERS, {"format": "csv", "sex": "female"}))
    minorities = csv_rows(client.get(MEMBERS, {"format": "csv", "ethnicity": "minority"}))

    assert [r[0] for r in women[1:]] == ["Trần Thị Bình"]
    assert minorities == [HEADER]
