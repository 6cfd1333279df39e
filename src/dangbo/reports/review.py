"""The review report (báo cáo sơ kết / tổng kết) of a period as .docx: the statistics of an
organization's subtree written out as sentences, in the layout of official Party documents.

The figures are the statistics' own (``reports.statistics``): the forms 1–4-TCTW and the
progress against the Congress target, so the report, the statistics page and the .xlsx files
agree. The assessment and the directions are the committee's to write: the report leaves them
as marked placeholders and never words a judgement of its own.

Every sentence is one translatable text with named figures, so an English reader gets an
English report; lists of items (age groups, levels) are joined from translated items.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from dangbo.core import docx
from dangbo.members.categories import ADVANCED_OR_BACHELOR, THEORY_LEVELS, age_bands_on
from dangbo.members.models import GeneralEducation, ProfessionalLevel
from dangbo.organizations.models import FunctionalGroup, OrganizationKind, OrganizationLevel
from dangbo.organizations.selectors import get_parent
from dangbo.reports.statistics import Statistics
from dangbo.reports.statistics.forms import EXIT_ORDER, Table
from dangbo.targets.models import ProgressVerdict

INTERIM, FINAL = "interim", "final"
KINDS = (INTERIM, FINAL)


# --- figures as text -----------------------------------------------------------------------------


def _n(value: int) -> str:
    """A count with the thousands grouped in the active language (8.445; 8,445)."""
    return number_format(value, use_l10n=True, force_grouping=True)


def _percent(part: int, whole: int) -> str:
    """``part`` as a share of ``whole`` in percent, one decimal (41,3), none when it is 0 (117)."""
    if not whole:
        return "0"
    share = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    places = 0 if share == share.to_integral_value() else 1
    return number_format(share, decimal_pos=places, use_l10n=True, force_grouping=True)


def _decimal(value: Decimal) -> str:
    """A rate as typed, without trailing zeros (2,5; 3)."""
    digits = f"{value:f}".rstrip("0").rstrip(".") if "." in f"{value:f}" else f"{value:f}"
    places = len(digits.partition(".")[2])
    return number_format(Decimal(digits), decimal_pos=places, use_l10n=True, force_grouping=True)


def _day(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


def _items(items: Sequence[str]) -> str:
    return "; ".join(items)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _cells(table: Table, code: str) -> tuple[int, ...]:
    """The figures of the row ``code`` of a form (zeros when the row is absent)."""
    for row in table.rows:
        if row.code == code:
            return tuple(cell.value or 0 for cell in row.cells)
    return (0,)


def _value(table: Table, code: str, column: int = 0) -> int:
    cells = _cells(table, code)
    return cells[column] if column < len(cells) else 0


def _values(table: Table, code: str, columns: int) -> tuple[int, ...]:
    """The first ``columns`` figures of the row ``code`` (zeros for the missing ones)."""
    return tuple(_value(table, code, column) for column in range(columns))


# --- who issues the report -----------------------------------------------------------------------


def _is_branch(organization) -> bool:
    return organization.kind in (OrganizationKind.BRANCH, OrganizationKind.CELL)


# Levels above the grassroots: their committee acts between meetings through a standing committee.
STANDING_COMMITTEE_LEVELS = frozenset(
    {OrganizationLevel.CENTRAL, OrganizationLevel.PROVINCIAL, OrganizationLevel.UPPER}
)


def _has_standing_committee(organization) -> bool:
    return organization.level in STANDING_COMMITTEE_LEVELS


def _signer(organization) -> list[str]:
    if _has_standing_committee(organization):
        first = _("ON BEHALF OF THE STANDING COMMITTEE")
    elif _is_branch(organization):
        first = _("ON BEHALF OF THE PARTY BRANCH")
    else:
        first = _("ON BEHALF OF THE PARTY COMMITTEE")
    return [first, _("SECRETARY")]


# --- the parts of the body -----------------------------------------------------------------------


def _organizations_part(s: Statistics) -> list[str]:
    """I. Party organizations and members on the ``as_of`` date."""
    organizations = s.organizations
    members = s.member_count
    figures = {
        "date": _day(s.as_of),
        "grassroots": _n(_value(organizations, "1")),
        "committees": _n(_value(organizations, "1.1")),
        "branches": _n(_value(organizations, "1.2")),
        "subordinate_branches": _n(_value(organizations, "3")),
        "members": _n(members),
        "full": _n(members - s.probationary),
        "probationary": _n(s.probationary),
        "staff": _n(s.staff),
        "share": _percent(members, s.staff),
    }
    organization = s.organization
    if _has_standing_committee(organization):
        if s.staff:
            text = _(
                "As of %(date)s the party organization has %(grassroots)s grassroots party "
                "organizations (%(committees)s grassroots party committees, %(branches)s "
                "grassroots party branches) and %(subordinate_branches)s party branches under "
                "grassroots committees; it has %(members)s party members (%(full)s full, "
                "%(probationary)s probationary) among %(staff)s officials, civil servants, "
                "public employees and workers, that is %(share)s%%."
            )
        else:
            text = _(
                "As of %(date)s the party organization has %(grassroots)s grassroots party "
                "organizations (%(committees)s grassroots party committees, %(branches)s "
                "grassroots party branches) and %(subordinate_branches)s party branches under "
                "grassroots committees; it has %(members)s party members (%(full)s full, "
                "%(probationary)s probationary)."
            )
    elif not _is_branch(organization):
        if s.staff:
            text = _(
                "As of %(date)s the party committee has %(subordinate_branches)s party branches "
                "under it and %(members)s party members (%(full)s full, %(probationary)s "
                "probationary) among %(staff)s officials, civil servants, public employees and "
                "workers, that is %(share)s%%."
            )
        else:
            text = _(
                "As of %(date)s the party committee has %(subordinate_branches)s party branches "
                "under it and %(members)s party members (%(full)s full, %(probationary)s "
                "probationary)."
            )
    elif s.staff:
        text = _(
            "As of %(date)s the party branch has %(members)s party members (%(full)s full, "
            "%(probationary)s probationary) among %(staff)s officials, civil servants, public "
            "employees and workers, that is %(share)s%%."
        )
    else:
        text = _(
            "As of %(date)s the party branch has %(members)s party members (%(full)s full, "
            "%(probationary)s probationary)."
        )
    sentences = [text % figures]
    sub_committees = _value(organizations, "2")
    if sub_committees:
        sentences.append(
            _("There are %(count)s subordinate party committees.") % {"count": _n(sub_committees)}
        )
    cells = _value(organizations, "4")
    if cells:
        sentences.append(_("There are %(count)s party cells.") % {"count": _n(cells)})
    groups = []
    for index, (value, _label) in enumerate(FunctionalGroup.choices, start=1):
        count = _value(organizations, f"1.4.{index}")
        if count:
            label = _lower_first(str(FunctionalGroup(value).label))
            groups.append(f"{label}: {_n(count)}")
    if groups:
        sentences.append(
            _("By function, the grassroots party organizations are: %(groups)s.")
            % {"groups": _items(groups)}
        )
    return sentences


def _resolution(progress) -> str:
    target = progress.target
    return (
        (target.resolution if target is not None else "")
        or progress.term.resolution
        or _("the Congress resolution")
    )


def _admissions_part(s: Statistics) -> list[str]:
    """II. Admissions: since the Congress against its target, in the period, by year."""
    sentences = []
    progress = s.progress
    period = {"start": _day(s.start), "end": _day(s.as_of)}
    if progress is None:
        sentences.append(
            _(
                "From %(start)s to %(end)s, %(admitted)s new party members were admitted; no "
                "admission target of a Congress resolution applies to this date."
            )
            % {**period, "admitted": _n(s.admitted)}
        )
    else:
        figures = {
            "congress": _day(progress.term.starts_on),
            "end": _day(progress.counted_to),
            "admitted": _n(progress.admitted),
            "resolution": _resolution(progress),
        }
        verdict = progress.verdict
        if progress.new_members and verdict in (
            ProgressVerdict.EXCEEDED,
            ProgressVerdict.ON_TRACK,
            ProgressVerdict.BEHIND,
        ):
            figures |= {
                "share": _percent(progress.admitted, progress.new_members),
                "target": _n(progress.new_members),
                "elapsed": _percent(progress.elapsed_days, progress.term_days),
            }
            if verdict == ProgressVerdict.EXCEEDED:
                text = _(
                    "From the Congress (%(congress)s) to %(end)s, %(admitted)s new party members "
                    "were admitted, %(share)s%% of the target set by %(resolution)s "
                    "(%(target)s members): the target is exceeded."
                )
            elif verdict == ProgressVerdict.ON_TRACK:
                text = _(
                    "From the Congress (%(congress)s) to %(end)s, %(admitted)s new party members "
                    "were admitted, %(share)s%% of the target set by %(resolution)s "
                    "(%(target)s members): on track, with %(elapsed)s%% of the term elapsed."
                )
            else:
                text = _(
                    "From the Congress (%(congress)s) to %(end)s, %(admitted)s new party members "
                    "were admitted, %(share)s%% of the target set by %(resolution)s "
                    "(%(target)s members): behind, with %(elapsed)s%% of the term elapsed."
                )
        else:
            text = _(
                "From the Congress (%(congress)s) to %(end)s, %(admitted)s new party members "
                "were admitted; %(resolution)s set no target for the number of new members."
            )
        sentences.append(text % figures)
        if s.start != progress.term.starts_on:
            sentences.append(
                _(
                    "In the period of this report, from %(start)s to %(end)s, %(admitted)s new "
                    "party members were admitted."
                )
                % {**period, "admitted": _n(s.admitted)}
            )
    total, women, minorities, youth_union = _values(s.admissions, "1", 4)
    parts = []
    if women:
        parts.append(
            _("%(count)s women (%(share)s%%)")
            % {"count": _n(women), "share": _percent(women, total)}
        )
    if minorities:
        parts.append(
            _("%(count)s from ethnic minorities (%(share)s%%)")
            % {"count": _n(minorities), "share": _percent(minorities, total)}
        )
    if youth_union:
        parts.append(
            _("%(count)s members of the Ho Chi Minh Communist Youth Union (%(share)s%%)")
            % {"count": _n(youth_union), "share": _percent(youth_union, total)}
        )
    if total and parts:
        sentences.append(
            _("Among the new members admitted from %(start)s to %(end)s there are %(parts)s.")
            % {**period, "parts": _items(parts)}
        )
    if s.yearly_targets:
        years = []
        for year, admitted, target in s.yearly_targets:
            if target is None:
                years.append(_("%(year)s: %(admitted)s") % {"year": year, "admitted": _n(admitted)})
            else:
                years.append(
                    _("%(year)s: %(admitted)s (target %(target)s)")
                    % {"year": year, "admitted": _n(admitted), "target": _n(target)}
                )
        rate = progress.yearly_rate_percent if progress is not None else None
        if rate is not None:
            text = _(
                "New members admitted by year (yearly target: %(rate)s%% of the members on "
                "1 January): %(years)s."
            )
        elif any(target is not None for _year, _admitted, target in s.yearly_targets):
            text = _(
                "New members admitted by year (against the term's target spread evenly over "
                "its days): %(years)s."
            )
        else:
            text = _("New members admitted by year: %(years)s.")
        rate_text = "" if rate is None else _decimal(rate)
        sentences.append(text % {"rate": rate_text, "years": _items(years)})
    return sentences


def _exit_item(kind: str, count: int) -> str:
    texts = {
        "deceased": _("%(count)s died"),
        "expelled": _("%(count)s expelled"),
        "removed": _("%(count)s had their names removed"),
        "resigned": _("%(count)s left the Party on request"),
        "probation_removed": _("%(count)s removed from the probationary list"),
        "lost_contact": _("%(count)s lost contact"),
    }
    return texts[kind] % {"count": _n(count)}


def _movement_part(s: Statistics) -> list[str]:
    """III. The movement of members over the period (form 4-TCTW)."""
    movement = s.movement
    before_day = s.start - dt.timedelta(days=1)
    sentences = [
        _(
            "The party organization had %(before)s members on %(before_day)s and %(after)s "
            "on %(end)s."
        )
        % {
            "before": _n(_value(movement, "1")),
            "before_day": _day(before_day),
            "after": _n(_value(movement, "5")),
            "end": _day(s.as_of),
        }
    ]
    admitted, transfers_in = _value(movement, "2.1"), _value(movement, "2.2")
    increase = admitted + transfers_in
    if increase and not transfers_in:
        sentences.append(
            _("In the period %(count)s members were added, all by admission.")
            % {"count": _n(increase)}
        )
    elif increase:
        parts = []
        if admitted:
            parts.append(_("%(count)s admitted") % {"count": _n(admitted)})
        if transfers_in:
            parts.append(_("%(count)s transferred in") % {"count": _n(transfers_in)})
        sentences.append(
            _("In the period %(count)s members were added: %(parts)s.")
            % {"count": _n(increase), "parts": _items(parts)}
        )
    else:
        sentences.append(_("In the period no member was added."))
    parts = []
    expelled = 0
    for index, kind in enumerate(EXIT_ORDER, start=1):
        count = _value(movement, f"3.{index}")
        if kind == "expelled":
            expelled = count
        if count:
            parts.append(_exit_item(str(kind), count))
    transfers_out = _value(movement, f"3.{len(EXIT_ORDER) + 1}")
    if transfers_out:
        parts.append(_("%(count)s transferred out") % {"count": _n(transfers_out)})
    decrease = _value(movement, "3")
    if decrease:
        sentences.append(
            _("In the period %(count)s members left: %(parts)s.")
            % {"count": _n(decrease), "parts": _items(parts)}
        )
    else:
        sentences.append(_("In the period no member left."))
    if not expelled:
        sentences.append(_("No member was expelled from the Party."))
    rest = _value(movement, "4")
    if rest > 0:
        sentences.append(
            _("Reorganizing the party organizations added %(count)s members.") % {"count": _n(rest)}
        )
    elif rest < 0:
        sentences.append(
            _("Reorganizing the party organizations took away %(count)s members.")
            % {"count": _n(-rest)}
        )
    recognized = _value(movement, "6")
    if recognized:
        sentences.append(
            _("In the period %(count)s probationary members were recognized as full members.")
            % {"count": _n(recognized)}
        )
    return sentences


def _level_items(counts: Sequence[tuple[str, int]], total: int, texts: dict[str, str]) -> list[str]:
    return [
        texts[key] % {"count": _n(count), "share": _percent(count, total)}
        for key, count in counts
        if count
    ]


def _quality_part(s: Statistics) -> list[str]:
    """IV. Who the members are: women, ethnic minorities, age, theory and education levels."""
    members = s.members
    total, women, minorities = _values(members, "1", 3)
    if not total:
        return [_("The party organization has no members on this date.")]
    sentences = [
        _("Women number %(count)s, %(share)s%% of the members.")
        % {"count": _n(women), "share": _percent(women, total)}
    ]
    if minorities:
        sentences.append(
            _("Members from ethnic minorities number %(count)s, %(share)s%% of the members.")
            % {"count": _n(minorities), "share": _percent(minorities, total)}
        )
    groups = []
    for index, band in enumerate(age_bands_on(s.as_of), start=1):
        count = _value(members, f"2.{index}")
        if not count:
            continue
        figures = {"count": _n(count), "share": _percent(count, total)}
        if band.high is None:
            groups.append(
                _("over %(age)s: %(count)s (%(share)s%%)") % {**figures, "age": band.low - 1}
            )
        else:
            groups.append(
                _("%(low)s to %(high)s: %(count)s (%(share)s%%)")
                % {**figures, "low": band.low, "high": band.high}
            )
    if groups:
        sentences.append(_("By age: %(groups)s.") % {"groups": _items(groups)})

    level_texts = {
        ADVANCED_OR_BACHELOR: _("advanced or bachelor: %(count)s (%(share)s%%)"),
        "doctor": _("doctorate: %(count)s (%(share)s%%)"),
        "master": _("master's: %(count)s (%(share)s%%)"),
        "bachelor": _("university: %(count)s (%(share)s%%)"),
        "college": _("college: %(count)s (%(share)s%%)"),
        "intermediate": _("intermediate: %(count)s (%(share)s%%)"),
        "elementary": _("elementary: %(count)s (%(share)s%%)"),
        "none": _("no training: %(count)s (%(share)s%%)"),
        "upper_secondary": _("upper secondary: %(count)s (%(share)s%%)"),
        "lower_secondary": _("lower secondary: %(count)s (%(share)s%%)"),
        "primary": _("primary: %(count)s (%(share)s%%)"),
    }
    theory = [(key, _value(members, f"7.{i}")) for i, key in enumerate(THEORY_LEVELS, start=1)]
    items = _level_items(list(reversed(theory)), total, level_texts)
    if items:
        sentences.append(_("Political theory: %(levels)s.") % {"levels": _items(items)})
    professional = [
        (str(value), _value(members, f"6.{i}"))
        for i, (value, _label) in enumerate(ProfessionalLevel.choices, start=1)
    ]
    items = _level_items(list(reversed(professional)), total, level_texts)
    if items:
        sentences.append(_("Professional qualification: %(levels)s.") % {"levels": _items(items)})
    education = [
        (str(value), _value(members, f"5.{i}"))
        for i, (value, _label) in enumerate(GeneralEducation.choices, start=1)
    ]
    items = _level_items(list(reversed(education)), total, level_texts)
    if items:
        sentences.append(_("General education: %(levels)s.") % {"levels": _items(items)})
    return sentences


# --- the document --------------------------------------------------------------------------------


def review_report(
    statistics: Statistics, *, kind: str, signed_on: dt.date | None, place: str
) -> bytes:
    """The review report (``kind`` interim or final) of ``statistics``' organization for the
    period [start, as_of], as a .docx in the active language, issued at ``place`` on
    ``signed_on`` (dots to fill in for either when empty or None)."""
    if kind not in KINDS:
        raise ValueError(kind)
    s = statistics
    organization = s.organization
    document = docx.new_document()
    parent = get_parent(organization, s.as_of)
    suffix = "BC/CB" if _is_branch(organization) else "BC/ĐU"
    if signed_on is None:
        day = month = year = "……"
    else:
        day, month, year = f"{signed_on:%d}", f"{signed_on:%m}", f"{signed_on:%Y}"
    docx.add_header(
        document,
        superior=parent.name.upper() if parent is not None else "",
        issuer=organization.name.upper(),
        number=_("No. %(number)s") % {"number": f"……-{suffix}"},
        party=_("COMMUNIST PARTY OF VIETNAM"),
        place_and_date=_("%(place)s, %(day)s/%(month)s/%(year)s")
        % {"place": place or docx.BLANK_PLACE, "day": day, "month": month, "year": year},
    )
    period = {"start": _day(s.start), "end": _day(s.as_of), "organization": organization.name}
    docx.add_line(document, _("REPORT"), bold=True, size=15, align=docx.CENTER)
    if kind == INTERIM:
        subtitle = _(
            "Interim review of party organization building and party members from %(start)s "
            "to %(end)s"
        )
        intro = _(
            "The executive committee of %(organization)s reports on the interim review of party "
            "organization building and party members from %(start)s to %(end)s as follows:"
        )
    else:
        subtitle = _(
            "Final review of party organization building and party members from %(start)s "
            "to %(end)s"
        )
        intro = _(
            "The executive committee of %(organization)s reports on the final review of party "
            "organization building and party members from %(start)s to %(end)s as follows:"
        )
    docx.add_line(document, subtitle % period, bold=True, align=docx.CENTER)
    docx.add_line(document, "–––––", align=docx.CENTER)
    docx.add_line(document, intro % period, align=docx.JUSTIFY, indent=True)

    parts = [
        (_("I. PARTY ORGANIZATIONS AND MEMBERS"), _organizations_part(s)),
        (_("II. ADMISSION OF NEW MEMBERS"), _admissions_part(s)),
        (_("III. MOVEMENT OF PARTY MEMBERS"), _movement_part(s)),
        (_("IV. QUALITY OF THE PARTY MEMBERS"), _quality_part(s)),
    ]
    for heading, sentences in parts:
        docx.add_line(document, heading, bold=True, align=docx.JUSTIFY)
        # One paragraph per sentence: the committee edits and moves them one by one.
        for sentence in sentences:
            docx.add_line(document, sentence, align=docx.JUSTIFY, indent=True)

    standing = _has_standing_committee(organization)
    docx.add_line(document, _("V. GENERAL ASSESSMENT AND DIRECTIONS"), bold=True)
    docx.add_line(
        document,
        _(
            "(This part is written by the committee: the software compiles the figures above "
            "and makes no judgement of its own.)"
        ),
        italic=True,
        align=docx.JUSTIFY,
        indent=True,
    )
    assessment = (
        _("[The standing committee adds its assessment]")
        if standing
        else _("[The executive committee adds its assessment]")
    )
    directions = (
        _("[The standing committee adds the directions and tasks]")
        if standing
        else _("[The executive committee adds the directions and tasks]")
    )
    sections = [
        (_("1. Strengths"), assessment),
        (_("2. Shortcomings and their causes"), assessment),
        (
            _("3. Directions and tasks for the rest of the term")
            if kind == INTERIM
            else _("3. Directions and tasks for the next term"),
            directions,
        ),
    ]
    for title, placeholder in sections:
        docx.add_line(document, title, bold=True, indent=True)
        docx.add_line(document, placeholder, italic=True, indent=True, highlight=True)

    recipients = [_("The committee above (for report),")]
    if _is_branch(organization):
        recipients.append(_("Filed at the party branch."))
    else:
        recipients += [
            _("The party organizations under it,"),
            _("Filed at the committee office."),
        ]
    docx.add_signature(
        document,
        signer=_signer(organization),
        note=_("(Signature and full name)"),
        recipients_title=_("Recipients:"),
        recipients=recipients,
    )
    return docx.to_bytes(document)
