"""Official Party documents as .docx: the page, the lines, the header (issuer left, "ĐẢNG CỘNG
SẢN VIỆT NAM" right) and the signature block with its recipients, in the layout of Party
documents (A4, Times New Roman 14). The texts are the caller's, already translated.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

FONT = "Times New Roman"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CENTER = WD_ALIGN_PARAGRAPH.CENTER
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY
# Room for the place of issue, written by hand when no organization up the tree names one
# (``organizations.selectors.place_of_issue``); the .xlsx forms leave the same dots.
BLANK_PLACE = "……………"


def new_document() -> DocxDocument:
    """An empty A4 document with the margins and font of Party documents."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    style.paragraph_format.space_after = Pt(3)
    return document


def add_line(
    container,
    text: str = "",
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    size: float | None = None,
    align=None,
    indent: bool = False,
    highlight: bool = False,
):
    """A paragraph of one run in ``container`` (the document or a table cell)."""
    paragraph = container.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1)
    if text:
        run = paragraph.add_run(text)
        run.bold, run.italic, run.underline = bold, italic, underline
        if size:
            run.font.size = Pt(size)
        if highlight:
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    return paragraph


def empty_cell(cell):
    """A table cell to write into, without the paragraph python-docx puts in every cell."""
    cell._element.remove(cell.paragraphs[0]._element)
    return cell


def add_header(
    document, *, superior: str, issuer: str, number: str, party: str, place_and_date: str
) -> None:
    """The header of an official document: the organization above the issuer (may be empty)
    and the issuer on the left with the number; the Party's name and the place and date on the
    right."""
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = (empty_cell(c) for c in table.rows[0].cells)
    left.width, right.width = Cm(7.5), Cm(9)
    if superior:
        add_line(left, superior, size=13, align=CENTER)
    add_line(left, issuer, bold=True, size=13, align=CENTER)
    add_line(left, "*", align=CENTER)
    add_line(left, number, size=13, align=CENTER)
    add_line(right, party, bold=True, underline=True, size=13, align=CENTER)
    add_line(right)
    add_line(right, place_and_date, italic=True, align=CENTER)
    add_line(document)


def add_signature(
    document,
    *,
    signer: Sequence[str],
    note: str,
    recipients_title: str,
    recipients: Sequence[str],
) -> None:
    """The signature block: the recipients on the left, the signer's lines (in bold) and the
    note under them on the right."""
    add_line(document)
    table = document.add_table(rows=1, cols=2)
    left, right = (empty_cell(c) for c in table.rows[0].cells)
    add_line(left, recipients_title, bold=True, italic=True, size=12)
    for recipient in recipients:
        add_line(left, f"- {recipient}", size=12)
    for text in signer:
        add_line(right, text, bold=True, align=CENTER)
    add_line(right, note, italic=True, size=12, align=CENTER)


def to_bytes(document: DocxDocument) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
