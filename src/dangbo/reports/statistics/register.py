"""The member register (sổ danh sách đảng viên, 7-HSĐV) as an .xlsx file: every member of a
subtree on a date, in name order, laid out like the paper register (the layout helpers are the
forms', ``statistics.xlsx``). It may hold every member of a city, so it is streamed by
``core.xlsx_stream`` while its rows are read in chunks by one query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from dangbo.core import xlsx_stream
from dangbo.core.exports import batched
from dangbo.members.models import (
    Ethnicity,
    MembershipEvent,
    MembershipEventKind,
    MembershipPeriod,
    MemberStatus,
)
from dangbo.organizations.models import Organization
from dangbo.reports.statistics.xlsx import (
    BODY_SIZE,
    CM,
    FONT_NAME,
    HEADER_SIZE,
    REGISTER_FORM,
    SIGNATURE_ROWS,
    TITLE_SIZE,
    as_of_line,
    count_lines,
    issuer_lines,
    place_and_date,
    row_height,
    signer_title,
)

# --- the member register (7-HSĐV) ---------------------------------------------------------------


@dataclass(frozen=True)
class RegisterRow:
    """One member in the register: the registration on the day with its admission and
    recognition dates."""

    full_name: str
    date_of_birth: dt.date | None
    sex: str
    ethnicity: str
    religion: str
    hometown: str
    admitted_on: dt.date | None
    full_since: dt.date | None
    card_number: str
    branch: str
    note: str = ""


def _membership_dates(
    member_ids: Sequence[int], as_of: dt.date
) -> dict[int, tuple[dt.date | None, dt.date | None]]:
    """Per member, the admission decision of the membership current on ``as_of`` (the last one
    up to that day: a readmitted member counts from the new admission) and its recognition as a
    full member, if it came by then. One query for the whole batch."""
    events = (
        MembershipEvent.objects.filter(
            member_id__in=list(member_ids),
            kind__in=[MembershipEventKind.ADMISSION_DECISION, MembershipEventKind.RECOGNITION],
            date__lte=as_of,
        )
        .order_by("member_id", "date", "id")
        .values_list("member_id", "kind", "date")
    )
    dates: dict[int, tuple[dt.date | None, dt.date | None]] = {}
    for member_id, kind, day in events:
        admitted, recognized = dates.get(member_id, (None, None))
        if kind == MembershipEventKind.ADMISSION_DECISION:
            dates[member_id] = (day, None)  # a new membership starts over
        elif admitted is not None and recognized is None:
            dates[member_id] = (admitted, day)
    return dates


def register_rows(periods: Iterable[MembershipPeriod], *, as_of: dt.date) -> Iterator[RegisterRow]:
    """The register's rows for registrations read in list order (in chunks, with member,
    person and organization joined); the dates are read once per batch, not once per member."""
    ethnicities = dict(Ethnicity.objects.values_list("id", "name"))
    for batch in batched(periods):
        dates = _membership_dates([p.member_id for p in batch], as_of)
        for period in batch:
            member = period.member
            person = member.person
            admitted, recognized = dates.get(member.pk, (None, None))
            if period.status != MemberStatus.FULL:
                recognized = None
            yield RegisterRow(
                full_name=person.full_name,
                date_of_birth=person.date_of_birth,
                sex=person.get_sex_display(),
                ethnicity=ethnicities.get(person.ethnicity_id, ""),
                religion=person.get_religion_display(),
                hometown=person.hometown,
                admitted_on=admitted,
                full_since=recognized,
                card_number=member.card_number or member.card_number_old,
                branch=period.organization.name,
            )


def _register_columns() -> list[tuple[str, float]]:
    return [
        (_("No."), 6),
        (_("Full name"), 24),
        (_("Date of birth"), 12),
        (_("Sex"), 7),
        (_("Ethnic group"), 9),
        (_("Religion"), 12),
        (_("Home town"), 22),
        (_("Admitted on"), 12),
        (_("Full member since"), 12),
        (_("Party card number"), 14),
        (_("Party branch"), 26),
        (_("Note"), 12),
    ]


def _register_style(
    *,
    size: int = BODY_SIZE,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    align: str = "left",
    border: bool = False,
) -> xlsx_stream.Style:
    """A register cell: Times New Roman (the sheet's font), centred vertically, wrapped."""
    return xlsx_stream.Style(
        size=size,
        bold=bold,
        italic=italic,
        underline=underline,
        align=align,
        vertical="center",
        wrap=True,
        border=border,
    )


def register_chunks(
    rows: Iterable[RegisterRow],
    *,
    organization: Organization,
    superior: str,
    as_of: dt.date,
    place: str = "",
    signed_on: dt.date,
    written: list[int] | None = None,
) -> Iterator[bytes]:
    """The member register as an .xlsx file in blocks of bytes, sent while the rows are read
    (memory stays flat however many members). ``written``, when given, receives the number of
    members once the last one is written."""
    columns = _register_columns()
    widths = [width for _label, width in columns]
    last = len(columns)
    split = 4  # the left header block: STT to sex
    right = split + 1
    header_row = 9  # below the header block (see the rows below)
    sheet = xlsx_stream.Sheet(
        title=REGISTER_FORM,
        widths=widths,
        freeze=f"C{header_row + 2}",
        print_title_rows=(header_row, header_row + 1),
        print_area=True,
        landscape=True,
        margins=xlsx_stream.Margins(
            left=2 * CM, right=1.5 * CM, top=3 * CM, bottom=2 * CM, header=0.8 * CM, footer=0.8 * CM
        ),
        center_horizontally=True,
        grid_lines=False,
        footer=f'&C&"{FONT_NAME},Regular"&P/&N',
        font_name=FONT_NAME,
        font_size=BODY_SIZE,
        document_title=_("Party member register"),
    )
    Cell, Row = xlsx_stream.Cell, xlsx_stream.Row

    def width(first: int, end: int) -> float:
        return sum(widths[first - 1 : end])

    def at(column: int, value: Any, style: xlsx_stream.Style) -> list[Any]:
        """A row holding one styled cell at ``column``."""
        return [None] * (column - 1) + [Cell(value, style)]

    header_font = _register_style(size=HEADER_SIZE, align="center")
    header_bold = _register_style(size=HEADER_SIZE, bold=True, align="center")
    bordered = {
        side: _register_style(align=side, border=True) for side in ("left", "center", "right")
    }
    left, centre = bordered["left"], bordered["center"]

    # Every text is made now, in the request's language, not while the file is streamed.
    number = _("Form %(number)s") % {"number": REGISTER_FORM}
    party = _("COMMUNIST PARTY OF VIET NAM")
    title = _("PARTY MEMBER REGISTER")
    dates = as_of_line(as_of)
    when = place_and_date(place, signed_on)
    signer = signer_title(organization)
    prepared_by, secretary = _("PREPARED BY"), _("SECRETARY")

    def body() -> Iterator[Any]:
        yield Row(
            at(right, number, _register_style(bold=True, italic=True, align="right")),
            merges=[(right, last)],
        )
        for index, (text, is_bold) in enumerate(issuer_lines(superior, organization.name)):
            line: list[Any] = [Cell(text, header_bold if is_bold else header_font)]
            merges = [(1, split)]
            if index == 0:
                line += [
                    *[None] * (split - 1),
                    Cell(
                        party,
                        _register_style(
                            size=HEADER_SIZE, bold=True, underline=True, align="center"
                        ),
                    ),
                ]
                merges.append((right, last))
            yield Row(
                line,
                merges=merges,
                height=row_height(count_lines(text, width(1, split), HEADER_SIZE), HEADER_SIZE),
            )
        yield []
        yield Row(
            [
                Cell(
                    title,
                    _register_style(size=TITLE_SIZE, bold=True, align="center"),
                )
            ],
            merges=[(1, last)],
            height=row_height(1, TITLE_SIZE),
        )
        yield Row(
            [Cell(dates, _register_style(italic=True, align="center"))],
            merges=[(1, last)],
        )
        yield []
        yield Row(
            [
                Cell(label, _register_style(bold=True, align="center", border=True))
                for label, _w in columns
            ],
            height=row_height(max(count_lines(label, w) for label, w in columns)),
        )
        numbering = _register_style(italic=True, align="center", border=True)
        yield [Cell(str(index), numbering) for index in range(1, last + 1)]
        count = 0
        for item in rows:
            count += 1
            lines = max(
                count_lines(text, widths[index])
                for index, text in (
                    (1, item.full_name),
                    (5, item.religion),
                    (6, item.hometown),
                    (10, item.branch),
                    (11, item.note),
                )
            )
            yield Row(
                [
                    Cell(count, centre),
                    Cell(item.full_name, left),
                    Cell(item.date_of_birth, centre),
                    Cell(item.sex, centre),
                    Cell(item.ethnicity, centre),
                    Cell(item.religion, left),
                    Cell(item.hometown, left),
                    Cell(item.admitted_on, centre),
                    Cell(item.full_since, centre),
                    Cell(item.card_number, centre),
                    Cell(item.branch, left),
                    Cell(item.note, left),
                ],
                height=row_height(lines),
            )
        if written is not None:
            written.append(count)
        # Place, date and signatures: their rows are known only now, and so are their merges
        # (written after the rows, where the sheet's schema puts them).
        yield []
        yield Row(
            at(right + 4, when, _register_style(italic=True, align="center")),
            merges=[(right + 4, last)],
        )
        yield Row(
            [
                Cell(prepared_by, header_bold),
                *[None] * (right + 2),
                Cell(signer, header_bold),
            ],
            merges=[(1, split), (right + 4, last)],
        )
        yield Row(at(right + 4, secretary, header_bold), merges=[(right + 4, last)])
        for _row in range(SIGNATURE_ROWS):
            yield []

    return xlsx_stream.stream_xlsx(sheet, body())
