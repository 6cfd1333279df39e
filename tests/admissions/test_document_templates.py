"""The document template page at /admissions/templates/: only superusers and administrators of a
top-level organization reach it; it lists the four dossier forms with the template in use and
their placeholders; an uploaded .docx replaces a template (written atomically, audited with its
name and SHA-256) and the generated documents use it; a bad file is refused with nothing
changed; the default can be restored."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from dangbo.admissions import documents, services
from dangbo.core.models import AuditEntry, Role
from tests.admissions.factories import pass_branch
from tests.factories import UserFactory, grant

LIST = "/admissions/templates/"
KINDS = ["branch_resolution", "committee_resolution", "decision", "recognition"]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    """Replacements go to a fresh data directory, never the real one."""
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def root_admin(tree):
    user = UserFactory(username="root_admin")
    grant(user, tree.root, Role.ADMINISTRATOR)
    return user


@pytest.fixture
def gc_admin(tree):
    """Administrator under the root: manages roles there, not the national templates."""
    user = UserFactory(username="gc_admin")
    grant(user, tree.gc, Role.ADMINISTRATOR)
    return user


def docx_bytes(*paragraphs: str) -> bytes:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def upload(client, kind: str, content: bytes, name: str = "mau-rieng.docx"):
    return client.post(
        f"/admissions/templates/{kind}/upload/",
        {"template": SimpleUploadedFile(name, content, content_type=DOCX)},
    )


def text_of(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def template_audits():
    return AuditEntry.objects.filter(object_type="admissions.document_template").order_by("id")


# --- access -----------------------------------------------------------------------------------

PAGES = [
    ("get", LIST),
    ("get", "/admissions/templates/decision.docx"),
    ("post", "/admissions/templates/decision/upload/"),
    ("post", "/admissions/templates/decision/restore/"),
]


@pytest.mark.parametrize(("method", "path"), PAGES)
def test_anonymous_is_sent_to_login(client, tree, method, path):
    response = getattr(client, method)(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize(
    "who", ["a1_manager", "root_manager", "statistician", "nobody", "gc_admin"]
)
@pytest.mark.parametrize(("method", "path"), PAGES)
def test_others_are_refused(login, users, gc_admin, data_dir, who, method, path):
    user = gc_admin if who == "gc_admin" else getattr(users, who)

    response = getattr(login(user), method)(path)

    assert response.status_code == 403
    assert not (data_dir / "document-templates").exists()
    assert not template_audits().exists()


@pytest.mark.parametrize("who", ["superuser", "root_admin"])
def test_superusers_and_root_administrators_see_the_four_documents(login, users, root_admin, who):
    client = login(users.admin if who == "superuser" else root_admin)

    response = client.get(LIST)

    assert response.status_code == 200
    page = response.content.decode()
    for kind in KINDS:
        assert f'data-template="{kind}" data-source="default"' in page
        assert f"/admissions/templates/{kind}.docx" in page
        assert f"/admissions/templates/{kind}/upload/" in page
        assert f"/admissions/templates/{kind}/restore/" not in page  # nothing to restore
    for form in ("6-KNĐ", "8-KNĐ", "9-KNĐ", "16-KNĐ"):
        assert form in page


def test_each_document_lists_its_placeholders(login, root_admin):
    page = login(root_admin).get(LIST).content.decode()

    def section(kind):
        start = page.index(f'id="template-{kind}"')
        return page[start : page.index("</section>", start)]

    for kind in KINDS:
        assert 'data-placeholder="full_name"' in section(kind)
        assert "{{full_name}}" in section(kind)
    assert 'data-placeholder="effective_date"' in section("recognition")
    assert 'data-placeholder="effective_date"' not in section("decision")
    assert 'data-placeholder="votes_for"' in section("branch_resolution")
    assert 'data-placeholder="votes_for"' not in section("recognition")


def test_unknown_document_is_404(login, root_admin):
    client = login(root_admin)

    assert client.get("/admissions/templates/ceremony.docx").status_code == 404
    assert upload(client, "ceremony", docx_bytes("x")).status_code == 404
    assert client.post("/admissions/templates/nothing/restore/").status_code == 404
    assert not template_audits().exists()


def test_links_for_administrators_only(login, users, root_admin):
    assert LIST in login(root_admin).get("/admissions/").content.decode()
    assert LIST in login(root_admin).get("/rules/").content.decode()
    assert LIST not in login(users.a1_manager).get("/admissions/").content.decode()
    assert LIST not in login(users.root_manager).get("/rules/").content.decode()


# --- download, upload, restore ----------------------------------------------------------------


def test_download_gives_the_default_template(login, root_admin):
    response = login(root_admin).get("/admissions/templates/decision.docx")

    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"] == 'attachment; filename="decision.docx"'
    assert response.content == (documents.TEMPLATE_DIR / "decision.docx").read_bytes()
    assert "{{full_name}}" in text_of(response.content)


def test_upload_replaces_the_template_used_for_documents(
    login, users, root_admin, candidate, data_dir
):
    pass_branch(users.a1_manager, candidate)
    content = docx_bytes("MẪU RIÊNG {{issuer}}", "Quần chúng {{full_name}}: {{votes_for}} phiếu")
    client = login(root_admin)

    response = upload(client, "branch_resolution", content)

    assert response.status_code == 302
    assert response["Location"] == f"{LIST}#template-branch_resolution"
    written = data_dir / "document-templates" / "branch_resolution.docx"
    assert written.read_bytes() == content
    assert [p.name for p in written.parent.iterdir()] == ["branch_resolution.docx"]  # no temp
    page = client.get(LIST).content.decode()
    assert 'data-template="branch_resolution" data-source="replacement"' in page
    assert 'data-template="decision" data-source="default"' in page
    assert "/admissions/templates/branch_resolution/restore/" in page
    assert client.get("/admissions/templates/branch_resolution.docx").content == content
    # the branch manager's document now comes from the new template
    document = login(users.a1_manager).get(
        f"/admissions/{candidate.pk}/documents/branch_resolution.docx"
    )
    text = text_of(document.content)
    assert "MẪU RIÊNG CHI BỘ PHÒNG 1" in text
    assert "Quần chúng Phạm Thị Lan: 8 phiếu" in text
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in text


def test_upload_is_audited_with_the_name_and_sha256(login, root_admin):
    content = docx_bytes("{{full_name}}")
    default = (documents.TEMPLATE_DIR / "decision.docx").read_bytes()

    upload(login(root_admin), "decision", content, name="QĐ kết nạp.docx")

    entry = template_audits().get()
    assert entry.action == "update"
    assert entry.actor == root_admin
    assert entry.organization is None
    assert entry.object_repr == "9-KNĐ (decision.docx)"
    assert entry.path == "/admissions/templates/decision/upload/"
    assert entry.changes == {
        "file_name": [None, "QĐ kết nạp.docx"],
        "sha256": [hashlib.sha256(default).hexdigest(), hashlib.sha256(content).hexdigest()],
        "source": ["default", "replacement"],
    }


BAD_FILES = [
    ("mau.doc", docx_bytes("{{full_name}}")),  # a .docx under another extension
    ("mau.docx", b"PK\x03\x04 not really a zip"),
    ("mau.docx", b"plain text, not a Word document"),
    ("mau.pdf", b"%PDF-1.4\n"),
    ("mau.docx", docx_bytes("x" * 10) + b"\0" * (2 * 1024 * 1024)),  # over 2 MB
]


@pytest.mark.parametrize(("name", "content"), BAD_FILES)
def test_bad_files_are_refused_with_nothing_changed(login, root_admin, data_dir, name, content):
    client = login(root_admin)
    first = docx_bytes("BẢN ĐANG DÙNG {{full_name}}")
    upload(client, "recognition", first)
    audits = template_audits().count()

    response = upload(client, "recognition", content, name=name)

    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_recognition_template-errors"' in page
    assert (data_dir / "document-templates" / "recognition.docx").read_bytes() == first
    assert [p.name for p in (data_dir / "document-templates").iterdir()] == ["recognition.docx"]
    assert template_audits().count() == audits


def test_missing_file_is_refused(login, root_admin, data_dir):
    response = login(root_admin).post("/admissions/templates/decision/upload/", {})

    assert response.status_code == 400
    assert 'id="id_decision_template-errors"' in response.content.decode()
    assert not (data_dir / "document-templates").exists()
    assert not template_audits().exists()


def test_restore_brings_back_the_default(login, users, root_admin, candidate, data_dir):
    pass_branch(users.a1_manager, candidate)
    client = login(root_admin)
    content = docx_bytes("MẪU RIÊNG {{full_name}}")
    upload(client, "branch_resolution", content)

    response = client.post("/admissions/templates/branch_resolution/restore/")

    assert response.status_code == 302
    assert not (data_dir / "document-templates" / "branch_resolution.docx").exists()
    page = client.get(LIST).content.decode()
    assert 'data-template="branch_resolution" data-source="default"' in page
    text = text_of(
        login(users.a1_manager)
        .get(f"/admissions/{candidate.pk}/documents/branch_resolution.docx")
        .content
    )
    assert "MẪU RIÊNG" not in text
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    upload_entry, restore_entry = template_audits()
    default = (documents.TEMPLATE_DIR / "branch_resolution.docx").read_bytes()
    assert restore_entry.actor == root_admin
    assert restore_entry.changes == {
        "file_name": [None, "branch_resolution.docx"],
        "sha256": [hashlib.sha256(content).hexdigest(), hashlib.sha256(default).hexdigest()],
        "source": ["replacement", "default"],
    }


def test_restore_without_a_replacement_changes_nothing(login, root_admin):
    response = login(root_admin).post("/admissions/templates/decision/restore/", follow=True)

    assert response.status_code == 200
    assert not template_audits().exists()


# --- the services themselves ------------------------------------------------------------------


def test_services_refuse_others(users, data_dir):
    with pytest.raises(PermissionDenied):
        services.replace_document_template(
            actor=users.a1_manager, kind="decision", file_name="a.docx", content=docx_bytes("x")
        )
    with pytest.raises(PermissionDenied):
        services.restore_default_template(actor=users.root_manager, kind="decision")
    assert not (data_dir / "document-templates").exists()
    assert not template_audits().exists()


def test_service_refusal_names_the_field(users):
    with pytest.raises(ValidationError) as refused:
        services.replace_document_template(
            actor=users.admin, kind="decision", file_name="a.docx", content=b"nope"
        )

    assert refused.value.error_dict["template"][0].code == "not_docx"
