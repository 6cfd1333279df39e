"""The statistics forms as tables: 1-TCTW organizations, 2-TCTW members, 3-TCTW admissions,
4-TCTW the movement of members; in the layout of the 2012 forms, the known layout of the annual
report (DOMAIN.md §10).

A table is plain data (rows of cells, each with the parameters of the list it counts), so the
page, the .xlsx file and the review report render the same figures.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from dangbo.members.categories import (
    THEORY_LABELS,
    THEORY_LEVELS,
    AgeBand,
)
from dangbo.members.models import (
    EXIT_KINDS,
    Ethnicity,
    GeneralEducation,
    MembershipEventKind,
    MemberStatus,
    ProfessionalLevel,
    Religion,
    Sex,
)
from dangbo.organizations.models import (
    FunctionalGroup,
    OrganizationKind,
    OrganizationLevel,
    StatisticsType,
)
from dangbo.reports.statistics.engine import Cube

# Where a figure's list is: the member list (registrations on a date), the events list (what
# happened over a period) or the organization list of the statistics.
MEMBERS, EVENTS, ORGANIZATIONS = "members", "events", "organizations"


@dataclass(frozen=True)
class Cell:
    value: int | None  # None: the cell does not apply
    # The list the figure counts: (MEMBERS | EVENTS | ORGANIZATIONS, its filter parameters).
    target: tuple[str, tuple[tuple[str, str], ...]] | None = None


@dataclass(frozen=True)
class Row:
    code: str
    label: str
    cells: tuple[Cell, ...]
    depth: int = 0  # 0: a heading or total row; 1, 2: its parts
    total: bool = False


@dataclass(frozen=True)
class Table:
    key: str
    number: str  # "1-TCTW"
    title: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...] = field(default=())
    notes: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not any(cell.value for row in self.rows for cell in row.cells)


def is_(value):
    """A test of a cube's column: equal to ``value``."""
    return lambda v: v == value


def _is(value):
    return lambda v: v == value


def _in(values):
    values = frozenset(values)
    return lambda v: v in values


def _both(first, second):
    return lambda v: first(v) and second(v)


def _not(value):
    return lambda v: v != value


def _params(**filters: object) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((k, str(v)) for k, v in filters.items() if v not in (None, "")))


# --- 1-TCTW: party organizations -------------------------------------------------------------


def organization_table(
    cube: Cube, *, organization_id: int, as_of: dt.date, staff: int, members: int
) -> Table:
    base = {"organization": organization_id, "as_of": as_of.isoformat()}

    def cell(**where) -> Cell:
        tests = {k: _is(v) for k, v in where.items()}
        return Cell(cube.count(**tests), (ORGANIZATIONS, _params(**base, **where)))

    grassroots = OrganizationLevel.GRASSROOTS
    rows = [
        Row("1", str(_("Grassroots party organizations")), (cell(level=grassroots),), total=True),
        Row(
            "1.1",
            str(_("Grassroots party committees")),
            (cell(level=grassroots, kind=OrganizationKind.COMMITTEE),),
            depth=1,
        ),
        Row(
            "1.2",
            str(_("Grassroots party branches")),
            (cell(level=grassroots, kind=OrganizationKind.BRANCH),),
            depth=1,
        ),
    ]
    by_type = cube.breakdown("statistics_type", level=_is(grassroots))
    rows.append(Row("1.3", str(_("Grassroots organizations by statistics type")), (), depth=1))
    for index, (value, label) in enumerate(StatisticsType.choices, start=1):
        rows.append(
            Row(
                f"1.3.{index}",
                str(label),
                (cell(level=grassroots, statistics_type=value),),
                depth=2,
            )
        )
    if by_type.get(""):
        rows.append(
            Row(
                "1.3.0",
                str(_("Statistics type not set")),
                (
                    Cell(
                        by_type[""],
                        (ORGANIZATIONS, _params(**base, level=grassroots, statistics_type="-")),
                    ),
                ),
                depth=2,
            )
        )
    if cube.count(level=_is(grassroots), functional_group=_not("")):
        rows.append(Row("1.4", str(_("Grassroots organizations by functional group")), (), depth=1))
    for index, (value, label) in enumerate(FunctionalGroup.choices, start=1):
        count = cube.count(level=_is(grassroots), functional_group=_is(value))
        if count:
            rows.append(
                Row(
                    f"1.4.{index}",
                    str(label),
                    (cell(level=grassroots, functional_group=value),),
                    depth=2,
                )
            )
    rows += [
        Row(
            "2",
            str(_("Subordinate party committees")),
            (cell(level=OrganizationLevel.SUB_COMMITTEE),),
            total=True,
        ),
        Row(
            "3",
            str(_("Party branches under grassroots committees")),
            (cell(level=OrganizationLevel.BRANCH),),
            total=True,
        ),
        Row("4", str(_("Party cells")), (cell(level=OrganizationLevel.CELL),), total=True),
        Row(
            "5",
            str(_("Staff (officials, civil servants, employees, workers)")),
            (Cell(staff),),
            total=True,
        ),
        Row("6", str(_("Party members")), (Cell(members, (MEMBERS, _params(**base))),), total=True),
    ]
    notes = []
    if staff:
        share = 100 * members / staff
        notes.append(
            str(_("Party members as a share of staff: %(share)s%%."))
            % {"share": f"{share:.1f}".replace(".", ",")}
        )
    return Table(
        key="organizations",
        number="1-TCTW",
        title=str(_("Party organizations")),
        columns=(str(_("Number")),),
        rows=tuple(rows),
        notes=tuple(notes),
    )


# --- 2-TCTW and 3-TCTW: members and admissions by their characteristics ------------------------


@dataclass(frozen=True)
class _Column:
    label: str
    where: dict  # column -> test
    params: dict  # list filter parameters


def _characteristic_rows(
    cube: Cube,
    columns: list[_Column],
    *,
    bands: tuple[AgeBand, ...],
    minorities: frozenset[int],
    kind: str,
    base: dict,
    total_label: str,
) -> list[Row]:
    ethnic_names = dict(Ethnicity.objects.values_list("id", "name"))

    def row(code, label, where: dict, params: dict, depth=1, total=False) -> Row:
        cells = []
        for column in columns:
            tests = dict(where)
            for name, test in column.where.items():
                tests[name] = _both(tests[name], test) if name in tests else test
            value = cube.count(**tests)
            clash = any(params.get(k, v) != v for k, v in column.params.items())
            # Where the row and the column filter the same thing, the row is the narrower
            # (a given minority within the minorities); a clash that counts nothing links nowhere.
            target = (
                None
                if clash and not value
                else (kind, _params(**base, **{**column.params, **params}))
            )
            cells.append(Cell(value, target))
        return Row(code, label, tuple(cells), depth=depth, total=total)

    rows = [row("1", total_label, {}, {}, depth=0, total=True)]
    rows.append(Row("2", str(_("By age group")), (), depth=0))
    for index, band in enumerate(bands):
        rows.append(
            row(f"2.{index + 1}", band.label, {"age_band": _is(index)}, {"age_band": band.key})
        )
    rows.append(Row("3", str(_("By ethnic group")), (), depth=0))
    kinh = [i for i in ethnic_names if i not in minorities]
    rows.append(
        row(
            "3.1",
            str(_("Kinh")),
            {"ethnicity_id": _in(kinh)},
            {"ethnicity": kinh[0] if kinh else ""},
        )
    )
    rows.append(
        row(
            "3.2",
            str(_("Ethnic minorities")),
            {"ethnicity_id": _in(minorities)},
            {"ethnicity": "minority"},
        )
    )
    by_ethnicity = cube.breakdown("ethnicity_id")
    for ethnicity_id, _count in sorted(by_ethnicity.items(), key=lambda item: (-item[1], item[0])):
        if ethnicity_id in minorities and _count:
            rows.append(
                row(
                    f"3.2.{ethnicity_id}",
                    ethnic_names[ethnicity_id],
                    {"ethnicity_id": _is(ethnicity_id)},
                    {"ethnicity": ethnicity_id},
                    depth=2,
                )
            )
    rows.append(Row("4", str(_("By religion")), (), depth=0))
    rows.append(
        row(
            "4.1",
            str(_("Followers of a religion")),
            {"religion": _not(Religion.NONE)},
            {"religion": "any"},
        )
    )
    for index, (value, label) in enumerate(Religion.choices[1:], start=1):
        rows.append(
            row(f"4.1.{index}", str(label), {"religion": _is(value)}, {"religion": value}, depth=2)
        )
    sections = [
        ("5", _("By general education"), "general_education", GeneralEducation.choices),
        ("6", _("By professional qualification"), "professional_level", ProfessionalLevel.choices),
        (
            "7",
            _("By political theory (highest level)"),
            "political_theory_level",
            [(key, THEORY_LABELS[key]) for key in THEORY_LEVELS],
        ),
    ]
    for code, title, column, choices in sections:
        rows.append(Row(code, str(title), (), depth=0))
        for index, (value, label) in enumerate(choices, start=1):
            rows.append(row(f"{code}.{index}", str(label), {column: _is(value)}, {column: value}))
    rows.append(Row("8", str(_("By occupation")), (), depth=0))
    occupations: Counter = cube.breakdown("occupation")
    for index, (text, _count) in enumerate(
        sorted(occupations.items(), key=lambda item: (-item[1], item[0])), start=1
    ):
        rows.append(
            row(
                f"8.{index}",
                str(text or _("Not recorded")),
                {"occupation": _is(text)},
                {"occupation": text or "-"},
            )
        )
    return rows


def _shared_columns(minorities: frozenset[int]) -> list[_Column]:
    """The columns forms 2-TCTW and 3-TCTW share: total, women, ethnic minorities."""
    return [
        _Column(str(_("Total")), {}, {}),
        _Column(str(_("Women")), {"sex": _is(Sex.FEMALE)}, {"sex": Sex.FEMALE}),
        _Column(
            str(_("Ethnic minorities")),
            {"ethnicity_id": _in(minorities)},
            {"ethnicity": "minority"},
        ),
    ]


def member_table(
    cube: Cube,
    *,
    organization_id: int,
    as_of: dt.date,
    bands: tuple[AgeBand, ...],
    minorities: frozenset[int],
) -> Table:
    columns = [
        *_shared_columns(minorities),
        _Column(
            str(_("Probationary")),
            {"status": _is(MemberStatus.PROBATIONARY)},
            {"status": MemberStatus.PROBATIONARY},
        ),
    ]
    rows = _characteristic_rows(
        cube,
        columns,
        bands=bands,
        minorities=minorities,
        kind=MEMBERS,
        base={"organization": organization_id, "as_of": as_of.isoformat()},
        total_label=str(_("Party members")),
    )
    return Table(
        key="members",
        number="2-TCTW",
        title=str(_("Party members")),
        columns=tuple(c.label for c in columns),
        rows=tuple(rows),
    )


def admission_table(
    cube: Cube,
    *,
    organization_id: int,
    start: dt.date,
    end: dt.date,
    bands: tuple[AgeBand, ...],
    minorities: frozenset[int],
) -> Table:
    columns = [
        *_shared_columns(minorities),
        _Column(str(_("Youth Union members")), {"youth_union": _is(True)}, {"youth_union": "1"}),
    ]
    rows = _characteristic_rows(
        cube,
        columns,
        bands=bands,
        minorities=minorities,
        kind=EVENTS,
        base={
            "organization": organization_id,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "kind": MembershipEventKind.ADMISSION_DECISION,
        },
        total_label=str(_("New members admitted")),
    )
    return Table(
        key="admissions",
        number="3-TCTW",
        title=str(_("Admission of new members")),
        columns=tuple(c.label for c in columns),
        rows=tuple(rows),
        notes=(str(_("Age in whole years on the last day of the period.")),),
    )


# --- 4-TCTW: the movement of members over a period ---------------------------------------------

EXIT_ORDER = (
    MembershipEventKind.DECEASED,
    MembershipEventKind.EXPELLED,
    MembershipEventKind.REMOVED,
    MembershipEventKind.RESIGNED,
    MembershipEventKind.PROBATION_REMOVED,
    MembershipEventKind.LOST_CONTACT,
)
assert set(EXIT_ORDER) == set(EXIT_KINDS)
TRANSFER_IN, TRANSFER_OUT = "transfer_in", "transfer_out"


def movement_table(
    *,
    organization_id: int,
    start: dt.date,
    end: dt.date,
    members_before: int,
    members_after: int,
    events: Counter,
    transfers_in: int,
    transfers_out: int,
) -> Table:
    before_day = start - dt.timedelta(days=1)
    base = {"organization": organization_id, "start": start.isoformat(), "end": end.isoformat()}

    def event_cell(kind: str, count: int) -> Cell:
        return Cell(count, (EVENTS, _params(**base, kind=kind)))

    admitted = events.get(MembershipEventKind.ADMISSION_DECISION, 0)
    exits = sum(events.get(kind, 0) for kind in EXIT_ORDER)
    rows = [
        Row(
            "1",
            str(_("Members at the start of the period (%(day)s)"))
            % {"day": f"{before_day:%d/%m/%Y}"},
            (
                Cell(
                    members_before,
                    (MEMBERS, _params(organization=organization_id, as_of=before_day.isoformat())),
                ),
            ),
            total=True,
        ),
        Row("2", str(_("Increase")), (Cell(admitted + transfers_in),), total=True),
        Row(
            "2.1",
            str(_("Admitted")),
            (event_cell(MembershipEventKind.ADMISSION_DECISION, admitted),),
            depth=1,
        ),
        Row("2.2", str(_("Transferred in")), (event_cell(TRANSFER_IN, transfers_in),), depth=1),
        Row("3", str(_("Decrease")), (Cell(exits + transfers_out),), total=True),
    ]
    for index, kind in enumerate(EXIT_ORDER, start=1):
        rows.append(
            Row(
                f"3.{index}",
                str(MembershipEventKind(kind).label),
                (event_cell(kind, events.get(kind, 0)),),
                depth=1,
            )
        )
    rows.append(
        Row(
            f"3.{len(EXIT_ORDER) + 1}",
            str(_("Transferred out")),
            (event_cell(TRANSFER_OUT, transfers_out),),
            depth=1,
        )
    )
    rest = members_after - (members_before + admitted + transfers_in - exits - transfers_out)
    if rest:
        rows.append(
            Row(
                "4",
                str(_("Change from reorganizing the tree (organizations moved in or out)")),
                (Cell(rest),),
                total=True,
            )
        )
    rows.append(
        Row(
            "5",
            str(_("Members at the end of the period (%(day)s)")) % {"day": f"{end:%d/%m/%Y}"},
            (
                Cell(
                    members_after,
                    (MEMBERS, _params(organization=organization_id, as_of=end.isoformat())),
                ),
            ),
            total=True,
        )
    )
    rows.append(
        Row(
            "6",
            str(_("Recognized as full members in the period")),
            (
                event_cell(
                    MembershipEventKind.RECOGNITION, events.get(MembershipEventKind.RECOGNITION, 0)
                ),
            ),
            total=True,
        )
    )
    return Table(
        key="movement",
        number="4-TCTW",
        title=str(_("Movement of party members")),
        columns=(str(_("Number")),),
        rows=tuple(rows),
    )
