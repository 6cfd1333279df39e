"""The dossier forms we hold data for, filled as .docx: the branch resolution (6-KNĐ), the
grassroots committee resolution (8-KNĐ), the admission decision (9-KNĐ) and the recognition
decision (16-KNĐ), in the layout of official Party documents.

A document kind is the step kind it is issued at (``branch_resolution``, ``committee_resolution``,
``decision``, ``recognition``). The document exists once that step is recorded (for a vote, a
passed one); the latest such step is used.

Replacing a template: an administrator uploads ``<kind>.docx`` on the page
/admissions/templates/ (``services.replace_document_template``), which writes it to
``DANGBO_DATA_DIR/document-templates/``; it is used instead of the built-in layout until the
default is restored. The
built-in templates can be written out as a starting point with ``write_default_templates()``
(the copies in ``document_templates/`` next to this module are made that way:
run from a Django shell). A template holds placeholders ``{{name}}``; keep each
placeholder inside one run (type it in one go, without changing its formatting). Placeholders:

================== ===========================================================================
``superior``       the organization above the issuer, in capitals ("ĐẢNG BỘ SỞ A")
``issuer``         the issuing organization, in capitals ("CHI BỘ PHÒNG 1")
``number``         the document number ("125-QĐ/ĐU"; dots and the suffix when none was recorded)
``place``          the issuer's place of issue ("TP Hồ Chí Minh"), its own or the nearest
                   organization's above it (``Organization.place_name``); dots when none
``day``            ``month`` ``year``: the date of the step (day and month on two digits)
``date``           the date of the step, dd/mm/yyyy
``full_name``      the person's full name; ``full_name_upper`` in capitals
``sex``            "Nam" / "Nữ"; ``date_of_birth`` dd/mm/yyyy
``birthplace``     ``hometown``, ``residence``, ``occupation``, ``ethnicity``, ``religion``
``branch``         the developing branch; ``committee`` the grassroots committee
``eligible``       for the vote of the document (the committee vote in the admission decision):
``present``        members entitled to vote, present, for, against, and the share for as a
``votes_for``      percentage of those entitled ("88,89"); empty when the step held no vote
``votes_against``
``percent_for``
``branch_date``    date of the branch resolution; ``branch_number`` its number
``committee_date`` date of the committee resolution; ``committee_number`` its number
``ceremony_date``  date of the admission ceremony (recognition decision)
``effective_date`` the day the member is full (recognition decision)
================== ===========================================================================
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from docx import Document
from docx.document import Document as DocxDocument

from dangbo.admissions.models import AdmissionStep, Candidate, StepKind
from dangbo.core import audit, docx
from dangbo.core.models import AuditAction
from dangbo.organizations.selectors import place_of_issue

TEMPLATE_DIR = Path(__file__).resolve().parent / "document_templates"
CONTENT_TYPE = docx.CONTENT_TYPE
PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")


@dataclass(frozen=True)
class DocumentKind:
    step_kind: str
    form: str
    title: str
    number_suffix: str
    signer: str
    vote: bool


DOCUMENTS = {
    StepKind.BRANCH_RESOLUTION.value: DocumentKind(
        StepKind.BRANCH_RESOLUTION, "6-KNĐ", "NGHỊ QUYẾT", "NQ/CB", "T/M CHI BỘ", vote=True
    ),
    StepKind.COMMITTEE_RESOLUTION.value: DocumentKind(
        StepKind.COMMITTEE_RESOLUTION, "8-KNĐ", "NGHỊ QUYẾT", "NQ/ĐU", "T/M ĐẢNG ỦY", vote=True
    ),
    StepKind.DECISION.value: DocumentKind(
        StepKind.DECISION, "9-KNĐ", "QUYẾT ĐỊNH", "QĐ/ĐU", "T/M BAN THƯỜNG VỤ", vote=False
    ),
    StepKind.RECOGNITION.value: DocumentKind(
        StepKind.RECOGNITION, "16-KNĐ", "QUYẾT ĐỊNH", "QĐ/ĐU", "T/M BAN THƯỜNG VỤ", vote=False
    ),
}


VOTE_PLACEHOLDERS = ("eligible", "present", "votes_for", "votes_against", "percent_for")
# Every placeholder with what it holds, in the order of the table above; ``placeholders_for``
# keeps those that mean something in one document.
PLACEHOLDERS: dict[str, Promise] = {
    "superior": _("the organization above the issuer, in capitals"),
    "issuer": _("the issuing organization, in capitals"),
    "number": _("the document number (dots and the suffix when none was recorded)"),
    "place": _("the place of issue"),
    "day": _("the day of the step's date, on two digits"),
    "month": _("the month of the step's date, on two digits"),
    "year": _("the year of the step's date"),
    "date": _("the date of the step, dd/mm/yyyy"),
    "form": _("the number of the form (6-KNĐ, 8-KNĐ, 9-KNĐ, 16-KNĐ)"),
    "full_name": _("the person's full name"),
    "full_name_upper": _("the person's full name, in capitals"),
    "sex": _("the person's sex (Nam / Nữ)"),
    "date_of_birth": _("the date of birth, dd/mm/yyyy"),
    "birthplace": _("the place of birth"),
    "hometown": _("the hometown"),
    "residence": _("the permanent residence"),
    "occupation": _("the occupation"),
    "ethnicity": _("the ethnicity"),
    "religion": _("the religion"),
    "branch": _("the developing branch"),
    "committee": _("the grassroots committee"),
    "eligible": _("members entitled to vote"),
    "present": _("members present at the vote"),
    "votes_for": _("votes for"),
    "votes_against": _("votes against"),
    "percent_for": _("the share of votes for among those entitled, in percent (88,89)"),
    "branch_date": _("the date of the branch resolution"),
    "branch_number": _("the number of the branch resolution"),
    "committee_date": _("the date of the committee resolution"),
    "committee_number": _("the number of the committee resolution"),
    "ceremony_date": _("the date of the admission ceremony"),
    "effective_date": _("the day the member is full (end of probation)"),
}


def placeholders_for(kind: str) -> list[tuple[str, Promise]]:
    """The placeholders that hold a value in the document of ``kind``, with what they hold."""
    skip: set[str] = set()
    if kind != StepKind.RECOGNITION:
        skip |= {"ceremony_date", "effective_date"}
    else:
        skip |= set(VOTE_PLACEHOLDERS)  # the recognition review holds no vote
    if kind == StepKind.BRANCH_RESOLUTION:
        skip |= {"committee_date", "committee_number"}  # not yet held
    return [(name, text) for name, text in PLACEHOLDERS.items() if name not in skip]


class DocumentUnavailable(LookupError):
    """The document does not exist (yet) for this candidate."""


# --- reading the data ---------------------------------------------------------------------------


def _latest(steps: list[AdmissionStep], kind: str, *, vote: bool) -> AdmissionStep | None:
    found = [s for s in steps if s.kind == kind and (not vote or getattr(s, "resolution", None))]
    if vote:
        found = [s for s in found if s.resolution.passed]
    return found[-1] if found else None


def available_kinds(steps: list[AdmissionStep]) -> list[str]:
    """The document kinds that exist for a case with these steps (in the procedure's order)."""
    return [
        kind for kind, spec in DOCUMENTS.items() if _latest(steps, spec.step_kind, vote=spec.vote)
    ]


def _date(day: dt.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else "…"


def _number(step: AdmissionStep | None, suffix: str) -> str:
    if step is not None and step.document_number:
        return step.document_number
    return f"……-{suffix}"


def _votes(step: AdmissionStep | None) -> dict[str, str]:
    resolution = getattr(step, "resolution", None) if step is not None else None
    if resolution is None:
        return dict.fromkeys(
            ("eligible", "present", "votes_for", "votes_against", "percent_for"), ""
        )
    share = resolution.votes_for * 100 / resolution.eligible_members
    return {
        "eligible": str(resolution.eligible_members),
        "present": str(resolution.present),
        "votes_for": str(resolution.votes_for),
        "votes_against": str(resolution.votes_against),
        "percent_for": f"{share:.2f}".replace(".", ","),
    }


def _parent(organization, day: dt.date):
    from dangbo.organizations.selectors import get_parent

    return get_parent(organization, day)


def context(candidate: Candidate, kind: str) -> dict[str, str]:
    """The placeholder values of one document (``DocumentUnavailable`` when it does not exist)."""
    spec = DOCUMENTS.get(kind)
    if spec is None:
        raise DocumentUnavailable(kind)
    steps = list(candidate.steps.all())
    step = _latest(steps, spec.step_kind, vote=spec.vote)
    if step is None:
        raise DocumentUnavailable(kind)
    branch_step = _latest(steps, StepKind.BRANCH_RESOLUTION, vote=True)
    committee_step = _latest(steps, StepKind.COMMITTEE_RESOLUTION, vote=True)
    ceremony = _latest(steps, StepKind.CEREMONY, vote=False)

    branch = candidate.organization
    committee = branch if branch.is_grassroots else (_parent(branch, step.date) or branch)
    issuer = branch if kind == StepKind.BRANCH_RESOLUTION else committee
    superior = _parent(issuer, step.date)
    person = candidate.person

    effective = None
    if kind == StepKind.RECOGNITION and ceremony is not None:
        from dangbo.members.services import probation_end

        effective, _rule = probation_end(ceremony.date)

    vote_step = step if spec.vote else committee_step
    if kind == StepKind.RECOGNITION:
        vote_step = _latest(steps, StepKind.RECOGNITION_REVIEW, vote=False)
    ethnicity = person.ethnicity
    return {
        "superior": superior.name.upper() if superior else "",
        "issuer": issuer.name.upper(),
        "number": _number(step, spec.number_suffix),
        "place": place_of_issue(issuer, step.date) or docx.BLANK_PLACE,
        "day": f"{step.date:%d}",
        "month": f"{step.date:%m}",
        "year": f"{step.date:%Y}",
        "date": _date(step.date),
        "form": spec.form,
        "full_name": person.full_name,
        "full_name_upper": person.full_name.upper(),
        "sex": "Nữ" if person.sex == "female" else "Nam",
        "date_of_birth": _date(person.date_of_birth),
        "birthplace": person.birthplace or "…",
        "hometown": person.hometown or "…",
        "residence": person.residence or "…",
        "occupation": person.occupation or "…",
        "ethnicity": ethnicity.name if ethnicity else "…",
        "religion": person.get_religion_display(),
        "branch": branch.name,
        "committee": committee.name,
        **_votes(vote_step),
        "branch_date": _date(branch_step.date if branch_step else None),
        "branch_number": _number(branch_step, "NQ/CB"),
        "committee_date": _date(committee_step.date if committee_step else None),
        "committee_number": _number(committee_step, "NQ/ĐU"),
        "ceremony_date": _date(ceremony.date if ceremony else None),
        "effective_date": _date(effective),
    }


# --- the built-in layout ------------------------------------------------------------------------


def _header(document) -> None:
    docx.add_header(
        document,
        superior="{{superior}}",
        issuer="{{issuer}}",
        number="Số {{number}}",
        party="ĐẢNG CỘNG SẢN VIỆT NAM",
        place_and_date="{{place}}, ngày {{day}} tháng {{month}} năm {{year}}",
    )


def _signature(document, signer: str, recipients: list[str]) -> None:
    docx.add_signature(
        document,
        signer=[signer, "BÍ THƯ"],
        note="(Ký, ghi rõ họ và tên)",
        recipients_title="Nơi nhận:",
        recipients=recipients,
    )


def _identity(document) -> None:
    docx.add_line(
        document,
        "Họ và tên: {{full_name}}; giới tính: {{sex}}; sinh ngày {{date_of_birth}}; "
        "dân tộc: {{ethnicity}}; tôn giáo: {{religion}}.",
        align=docx.JUSTIFY,
        indent=True,
    )
    docx.add_line(
        document,
        "Nơi sinh: {{birthplace}}; quê quán: {{hometown}}; nơi thường trú: {{residence}}; "
        "nghề nghiệp: {{occupation}}.",
        align=docx.JUSTIFY,
        indent=True,
    )


def _votes_paragraph(document, who: str) -> None:
    docx.add_line(
        document,
        f"Tổng số {who} được triệu tập: {{{{eligible}}}}; có mặt: {{{{present}}}}; "
        "số tán thành việc kết nạp: {{votes_for}}, đạt {{percent_for}}% so với tổng số "
        f"{who}; số không tán thành: {{{{votes_against}}}}.",
        align=docx.JUSTIFY,
        indent=True,
    )


def build_template(kind: str) -> DocxDocument:
    """The built-in layout of ``kind``, with its placeholders not yet filled."""
    spec = DOCUMENTS[kind]
    document = docx.new_document()
    _header(document)
    docx.add_line(document, spec.title, bold=True, size=15, align=docx.CENTER)
    if kind == StepKind.BRANCH_RESOLUTION:
        docx.add_line(document, "đề nghị kết nạp đảng viên", bold=True, align=docx.CENTER)
        docx.add_line(document, "–––––", align=docx.CENTER)
        docx.add_line(
            document,
            "Ngày {{date}}, {{branch}} đã họp xét đơn xin vào Đảng và hồ sơ của quần chúng:",
            align=docx.JUSTIFY,
            indent=True,
        )
        _identity(document)
        _votes_paragraph(document, "đảng viên chính thức của chi bộ")
        docx.add_line(document, "CHI BỘ QUYẾT NGHỊ", bold=True, align=docx.CENTER)
        docx.add_line(
            document,
            "Đề nghị cấp ủy cấp trên xem xét, kết nạp quần chúng {{full_name}} vào Đảng "
            "Cộng sản Việt Nam.",
            align=docx.JUSTIFY,
            indent=True,
        )
        _signature(document, spec.signer, ["Cấp ủy {{committee}},", "Lưu chi bộ."])
    elif kind == StepKind.COMMITTEE_RESOLUTION:
        docx.add_line(document, "đề nghị kết nạp đảng viên", bold=True, align=docx.CENTER)
        docx.add_line(document, "–––––", align=docx.CENTER)
        docx.add_line(
            document,
            "Căn cứ Nghị quyết số {{branch_number}} ngày {{branch_date}} của "
            "{{branch}} đề nghị kết nạp quần chúng {{full_name}} vào Đảng; ngày {{date}}, "
            "cấp ủy {{committee}} đã họp xét:",
            align=docx.JUSTIFY,
            indent=True,
        )
        _identity(document)
        _votes_paragraph(document, "cấp ủy viên")
        docx.add_line(document, "ĐẢNG ỦY QUYẾT NGHỊ", bold=True, align=docx.CENTER)
        docx.add_line(
            document,
            "Kết nạp (đề nghị cấp trên kết nạp) quần chúng {{full_name}} vào Đảng Cộng sản "
            "Việt Nam.",
            align=docx.JUSTIFY,
            indent=True,
        )
        _signature(document, spec.signer, ["{{branch}},", "Lưu văn phòng đảng ủy."])
    elif kind == StepKind.DECISION:
        docx.add_line(document, "kết nạp đảng viên", bold=True, align=docx.CENTER)
        docx.add_line(document, "–––––", align=docx.CENTER)
        docx.add_line(document, "BAN THƯỜNG VỤ {{issuer}}", bold=True, align=docx.CENTER)
        docx.add_line(
            document,
            "Căn cứ Điều lệ Đảng Cộng sản Việt Nam; xét Nghị quyết số {{branch_number}} ngày "
            "{{branch_date}} của {{branch}} và Nghị quyết số {{committee_number}} ngày "
            "{{committee_date}} của cấp ủy {{committee}} (tổng số cấp ủy viên: {{eligible}}; "
            "có mặt: {{present}}; tán thành: {{votes_for}}, đạt {{percent_for}}%; không tán "
            "thành: {{votes_against}}),",
            align=docx.JUSTIFY,
            indent=True,
        )
        docx.add_line(document, "QUYẾT ĐỊNH", bold=True, align=docx.CENTER)
        docx.add_line(
            document,
            "Điều 1. Kết nạp quần chúng {{full_name}}, sinh ngày {{date_of_birth}}, quê quán "
            "{{hometown}}, vào Đảng Cộng sản Việt Nam.",
            align=docx.JUSTIFY,
            indent=True,
        )
        docx.add_line(
            document,
            "Điều 2. {{branch}} tổ chức lễ kết nạp đảng viên theo quy định; thời gian "
            "dự bị là 12 tháng kể từ ngày chi bộ tổ chức lễ kết nạp.",
            align=docx.JUSTIFY,
            indent=True,
        )
        docx.add_line(
            document,
            "Điều 3. {{branch}} và đồng chí {{full_name}} chịu trách nhiệm thi hành "
            "Quyết định này.",
            align=docx.JUSTIFY,
            indent=True,
        )
        _signature(document, spec.signer, ["Như Điều 3,", "Lưu văn phòng đảng ủy."])
    else:
        docx.add_line(document, "công nhận đảng viên chính thức", bold=True, align=docx.CENTER)
        docx.add_line(document, "–––––", align=docx.CENTER)
        docx.add_line(document, "BAN THƯỜNG VỤ {{issuer}}", bold=True, align=docx.CENTER)
        docx.add_line(
            document,
            "Căn cứ Điều lệ Đảng Cộng sản Việt Nam; xét đề nghị của {{branch}} về "
            "việc công nhận đảng viên chính thức cho đồng chí {{full_name}}, kết nạp ngày "
            "{{ceremony_date}},",
            align=docx.JUSTIFY,
            indent=True,
        )
        docx.add_line(document, "QUYẾT ĐỊNH", bold=True, align=docx.CENTER)
        docx.add_line(
            document,
            "Điều 1. Công nhận đồng chí {{full_name}}, sinh ngày {{date_of_birth}}, quê quán "
            "{{hometown}}, là đảng viên chính thức kể từ ngày {{effective_date}}.",
            align=docx.JUSTIFY,
            indent=True,
        )
        docx.add_line(
            document,
            "Điều 2. {{branch}} và đồng chí {{full_name}} chịu trách nhiệm thi hành "
            "Quyết định này.",
            align=docx.JUSTIFY,
            indent=True,
        )
        _signature(document, spec.signer, ["Như Điều 2,", "Lưu văn phòng đảng ủy."])
    return document


# --- filling ------------------------------------------------------------------------------------


def _paragraphs(document):
    def walk(container):
        yield from container.paragraphs
        for table in container.tables:
            for row in table.rows:
                for cell in row.cells:
                    yield from walk(cell)

    yield from walk(document)
    for section in document.sections:
        for part in (section.header, section.footer):
            yield from walk(part)


def fill(document, values: dict[str, str]) -> None:
    """Replace the ``{{name}}`` placeholders of every run (an unknown name is left as it is)."""

    def substitute(text: str) -> str:
        return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)

    for paragraph in _paragraphs(document):
        for run in paragraph.runs:
            if "{{" in run.text:
                run.text = substitute(run.text)
        # A placeholder split across runs by an editor: joined into the first run.
        if PLACEHOLDER.search(paragraph.text) and paragraph.runs:
            text = substitute(paragraph.text)
            if text != paragraph.text:
                paragraph.runs[0].text = text
                for run in paragraph.runs[1:]:
                    run.text = ""


def template_path(kind: str) -> Path:
    """Where an administrator's replacement template for ``kind`` is looked for."""
    return Path(settings.DATA_DIR) / "document-templates" / f"{kind}.docx"


def default_template_path(kind: str) -> Path:
    """The shipped copy of the built-in layout of ``kind``."""
    return TEMPLATE_DIR / f"{kind}.docx"


def is_replaced(kind: str) -> bool:
    """Is an administrator's replacement in use for ``kind`` (rather than the default)?"""
    return template_path(kind).is_file()


def template_content(kind: str) -> bytes:
    """The template in use for ``kind``, as a .docx with its placeholders not yet filled."""
    for path in (template_path(kind), default_template_path(kind)):
        try:
            return path.read_bytes()
        except FileNotFoundError:  # none there (or restored meanwhile): the next one
            continue
    return docx.to_bytes(build_template(kind))


def render(candidate: Candidate, kind: str) -> bytes:
    """The filled document of ``kind`` (``DocumentUnavailable`` when it does not exist)."""
    values = context(candidate, kind)
    uploaded = template_path(kind)
    document = Document(str(uploaded)) if uploaded.is_file() else build_template(kind)
    fill(document, values)
    return docx.to_bytes(document)


def export_document(*, actor, candidate: Candidate, kind: str) -> bytes:
    """Render a document of a candidate the actor may see (the caller scoped it), audited."""
    content = render(candidate, kind)
    audit.record(
        actor=actor,
        action=AuditAction.EXPORT,
        obj=candidate,
        organization=candidate.organization,
        changes={"document": [None, f"{kind}.docx"]},
    )
    return content


def write_default_templates(directory: Path = TEMPLATE_DIR) -> list[Path]:
    """Write the built-in templates, a starting point for an administrator's replacements."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in DOCUMENTS:
        path = directory / f"{kind}.docx"
        build_template(kind).save(str(path))
        written.append(path)
    return written
