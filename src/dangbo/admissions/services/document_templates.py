"""Replacing the template of a dossier form (6, 8, 9, 16-KNĐ) and restoring the default. The
templates are used by every organization, so only those who may change the national rules may
change them (``can_manage_document_templates``). Files are written atomically and every change
is audited with the file's name and SHA-256."""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from docx import Document

from dangbo.admissions import documents
from dangbo.admissions.services._common import refuse
from dangbo.core import audit
from dangbo.core.services import can_change_rules

MAX_TEMPLATE_BYTES = 2 * 1024 * 1024
TEMPLATE_OBJECT_TYPE = "admissions.document_template"
FIELD = "template"


def can_manage_document_templates(user) -> bool:
    """May the user replace and restore the document templates? The same people as may change
    the national rules: a superuser, or an administrator of a top-level organization."""
    return can_change_rules(user)


def _require_manage(actor) -> None:
    if not can_manage_document_templates(actor):
        raise PermissionDenied(
            _(
                "Only a superuser or an administrator of a top-level organization may change "
                "the document templates: every organization uses them."
            )
        )


def _check_kind(kind: str) -> documents.DocumentKind:
    spec = documents.DOCUMENTS.get(kind)
    if spec is None:
        refuse(
            "kind",
            _("There is no document “%(kind)s”."),
            code="invalid_choice",
            params={"kind": kind},
        )
    return spec


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _state(kind: str) -> dict[str, str]:
    """What is in use for ``kind``, as audited: the source, the file and its SHA-256."""
    replaced = documents.is_replaced(kind)
    return {
        "source": "replacement" if replaced else "default",
        "sha256": sha256(documents.template_content(kind)),
    }


def check_template_file(*, file_name: str, content: bytes) -> None:
    """Refuse what is not a .docx that python-docx opens, or is over the size limit."""
    if not file_name.lower().endswith(".docx"):
        refuse(
            FIELD,
            _("Template file: only a Word document with the .docx extension is accepted."),
            code="extension",
        )
    if not content:
        refuse(FIELD, _("Template file: the file is empty."), code="empty")
    if len(content) > MAX_TEMPLATE_BYTES:
        refuse(
            FIELD,
            _("Template file: the file may be at most %(limit)s MB."),
            code="too_large",
            params={"limit": MAX_TEMPLATE_BYTES // (1024 * 1024)},
        )
    try:
        Document(io.BytesIO(content))
    except Exception:  # python-docx raises many kinds (zip, XML, content type): all mean "no"
        refuse(
            FIELD,
            _(
                "Template file: the file is not a valid Word document (.docx); open it in Word "
                "or LibreOffice and save it again as .docx."
            ),
            code="not_docx",
        )


def _write_atomically(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _audit(actor, kind: str, before: dict[str, str], after: dict[str, str]) -> None:
    spec = documents.DOCUMENTS[kind]
    audit.record(
        actor=actor,
        action=audit.AuditAction.UPDATE,
        object_type=TEMPLATE_OBJECT_TYPE,
        object_repr=f"{spec.form} ({kind}.docx)",
        changes={key: [before.get(key), after.get(key)] for key in sorted(after)},
    )


@transaction.atomic
def replace_document_template(*, actor, kind: str, file_name: str, content: bytes) -> None:
    """Use the uploaded .docx as the template of ``kind`` from now on (refused, with nothing
    changed, when it is not a .docx python-docx opens or exceeds the size limit)."""
    _require_manage(actor)
    _check_kind(kind)
    file_name = os.path.basename((file_name or "").replace("\\", "/"))
    check_template_file(file_name=file_name, content=content)
    before = _state(kind)
    after = {"source": "replacement", "file_name": file_name, "sha256": sha256(content)}
    # The audit line first: if writing the file fails, the transaction drops it.
    _audit(actor, kind, before, after)
    _write_atomically(documents.template_path(kind), content)


@transaction.atomic
def restore_default_template(*, actor, kind: str) -> None:
    """Remove the replacement of ``kind``: the built-in layout is used again."""
    _require_manage(actor)
    _check_kind(kind)
    if not documents.is_replaced(kind):
        refuse(
            FIELD,
            _("The default template is already in use for this document."),
            code="already_default",
        )
    before = _state(kind)
    default = documents.default_template_path(kind)
    after = {"source": "default", "file_name": default.name, "sha256": _state_default(kind)}
    _audit(actor, kind, before, after)
    documents.template_path(kind).unlink(missing_ok=True)


def _state_default(kind: str) -> str:
    default = documents.default_template_path(kind)
    if default.is_file():
        return sha256(default.read_bytes())
    out = io.BytesIO()
    documents.build_template(kind).save(out)
    return sha256(out.getvalue())
