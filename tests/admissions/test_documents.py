"""Dossier forms as .docx: each downloads once its step exists, opens with python-docx and holds
the person, the votes and the number; scope and missing steps answer 404; the download is
audited; an administrator's template replaces the built-in layout."""

import datetime as dt
import io

import pytest
from docx import Document

from dangbo.admissions import documents, services
from dangbo.core.models import AuditEntry
from dangbo.organizations.models import Organization
from tests.admissions.factories import (
    COMMITTEE,
    MEETING,
    NEW_MEMBER_CLASS,
    admit,
    pass_branch,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def url(candidate, kind):
    return f"/admissions/{candidate.pk}/documents/{kind}.docx"


def text_of(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


@pytest.fixture
def recognized(users, candidate):
    """Lan admitted on the default dates, branch resolution numbered, recognized 20/08/2025."""
    admit(users.a1_manager, candidate)
    branch = candidate.steps.get(kind="branch_resolution")
    branch.document_number = "12-NQ/CB"
    branch.save()
    services.record_step(
        actor=users.a1_manager, candidate=candidate, kind="new_member_class", date=NEW_MEMBER_CLASS
    )
    services.record_step(
        actor=users.a1_manager,
        candidate=candidate,
        kind="recognition_review",
        date=dt.date(2025, 8, 5),
    )
    services.record_recognition(
        actor=users.a1_manager,
        candidate=candidate,
        date=dt.date(2025, 8, 20),
        document_number="301-QĐ/ĐU",
    )
    return candidate


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (
            "branch_resolution",
            ["Số 12-NQ/CB", "CHI BỘ PHÒNG 1", "ĐẢNG BỘ SỞ A", "14/06/2024", "có mặt: 8"],
        ),
        (
            "committee_resolution",
            ["Số ……-NQ/ĐU", "ĐẢNG BỘ SỞ A", "ĐẢNG BỘ KHỐI", "được triệu tập: 9", "đạt 100,00%"],
        ),
        ("decision", ["Số 125-QĐ/ĐU", "Nghị quyết số 12-NQ/CB", "tán thành: 9", "Kết nạp"]),
        ("recognition", ["Số 301-QĐ/ĐU", "đảng viên chính thức kể từ ngày 01/08/2025"]),
    ],
)
def test_each_document_downloads_filled(login, users, recognized, kind, expected):
    response = login(users.a1_manager).get(url(recognized, kind))

    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"] == (
        f'attachment; filename="{kind}-{recognized.pk}.docx"'
    )
    text = text_of(response.content)
    assert "Phạm Thị Lan" in text
    assert "10/03/1995" in text
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "……………, ngày" in text  # no place of issue named up the tree: dots to fill in
    assert "Nơi nhận:" in text
    assert "BÍ THƯ" in text
    assert "{{" not in text
    for fragment in expected:
        assert fragment in text


def test_place_is_the_issuers_own_or_the_one_above(users, recognized, tree):
    # given: the root names the place; a1 (the branch) names its own
    Organization.objects.filter(pk=tree.root.pk).update(place_name="TP Hồ Chí Minh")
    Organization.objects.filter(pk=tree.a1.pk).update(place_name="TP Thủ Đức")
    # when: the branch issues its resolution, the committee (gc, no place) the decision
    branch = documents.context(recognized, "branch_resolution")
    decision = documents.context(recognized, "decision")
    # then
    assert (branch["place"], decision["place"]) == ("TP Thủ Đức", "TP Hồ Chí Minh")
    text = text_of(documents.render(recognized, "decision"))
    assert "TP Hồ Chí Minh, ngày 15 tháng 07 năm 2024" in text


def test_layout_is_a4_times_new_roman_with_an_underlined_motto(users, recognized):
    document = Document(io.BytesIO(documents.render(recognized, "branch_resolution")))

    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert document.styles["Normal"].font.name == "Times New Roman"
    motto = [
        run
        for cell in document.tables[0].rows[0].cells
        for p in cell.paragraphs
        for run in p.runs
        if run.text == "ĐẢNG CỘNG SẢN VIỆT NAM"
    ]
    assert motto and motto[0].underline and motto[0].bold


def test_branch_resolution_holds_the_votes(login, users, candidate):
    pass_branch(users.a1_manager, candidate)

    response = login(users.a1_manager).get(url(candidate, "branch_resolution"))

    text = text_of(response.content)
    # nine full members in the branch, eight present and for: 88,89 % of those entitled
    assert "được triệu tập: 9; có mặt: 8" in text
    assert "số tán thành việc kết nạp: 8, đạt 88,89%" in text
    assert "số không tán thành: 0" in text
    assert "Số ……-NQ/CB" in text
    assert "T/M CHI BỘ" in text


@pytest.mark.parametrize("username", ["a2_manager", "gb_manager", "statistician", "nobody"])
def test_out_of_scope_is_404(login, users, recognized, username):
    client = login(getattr(users, username))
    before = AuditEntry.objects.count()

    response = client.get(url(recognized, "decision"))

    assert response.status_code == 404
    assert AuditEntry.objects.count() == before


def test_missing_step_and_unknown_kind_are_404(login, users, candidate):
    pass_branch(users.a1_manager, candidate)
    client = login(users.a1_manager)

    assert client.get(url(candidate, "branch_resolution")).status_code == 200
    for kind in ("committee_resolution", "decision", "recognition", "ceremony", "nothing"):
        assert client.get(url(candidate, kind)).status_code == 404


def test_download_is_audited_as_an_export(login, users, recognized):
    login(users.gc_viewer).get(url(recognized, "decision"))

    entry = AuditEntry.objects.order_by("-id").first()
    assert entry.action == "export"
    assert entry.actor == users.gc_viewer
    assert entry.object_type == "admissions.candidate"
    assert entry.object_id == str(recognized.pk)
    assert entry.organization == recognized.organization
    assert entry.changes == {"document": [None, "decision.docx"]}


def test_candidate_page_links_the_documents_that_exist(login, users, candidate):
    client = login(users.a1_manager)
    assert 'id="documents"' not in client.get(f"/admissions/{candidate.pk}/").content.decode()

    pass_branch(users.a1_manager, candidate)
    services.record_committee_resolution(
        actor=users.a1_manager,
        candidate=candidate,
        date=COMMITTEE,
        eligible_members=9,
        present=9,
        votes_for=9,
        votes_against=0,
    )

    page = client.get(f"/admissions/{candidate.pk}/").content.decode()
    assert url(candidate, "branch_resolution") in page
    assert url(candidate, "committee_resolution") in page
    assert url(candidate, "decision") not in page


def test_replacement_template_is_used(login, users, candidate, settings, tmp_path):
    pass_branch(users.a1_manager, candidate, MEETING)
    settings.DATA_DIR = tmp_path
    template = Document()
    template.add_paragraph("MẪU RIÊNG {{issuer}} Số {{number}}")
    paragraph = template.add_paragraph("{{full_name}}: ")
    paragraph.add_run("{{votes_")  # a placeholder split across runs by an editor
    paragraph.add_run("for}}/{{eligible}} ({{percent_for}}%) {{unknown}}")
    (tmp_path / "document-templates").mkdir()
    template.save(str(tmp_path / "document-templates" / "branch_resolution.docx"))

    response = login(users.a1_manager).get(url(candidate, "branch_resolution"))

    text = text_of(response.content)
    assert "MẪU RIÊNG CHI BỘ PHÒNG 1 Số ……-NQ/CB" in text
    assert "Phạm Thị Lan: 8/9 (88,89%) {{unknown}}" in text
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in text


def test_shipped_templates_are_the_built_in_layout(tmp_path):
    written = documents.write_default_templates(tmp_path)

    assert sorted(p.name for p in written) == sorted(
        p.name for p in documents.TEMPLATE_DIR.glob("*.docx")
    )
    for path in written:
        shipped = Document(str(documents.TEMPLATE_DIR / path.name))
        built = Document(str(path))
        assert [p.text for p in shipped.paragraphs] == [p.text for p in built.paragraphs]
