"""Time the statistics forms against one hand-written SQL query each, on the configured database.

    python bench/statistics_forms.py                 # the largest root, 5 runs after 1 warm-up
    python bench/statistics_forms.py --explain       # and the plan of every query

For each form (1-TCTW organizations, 2-TCTW members, 3-TCTW admissions, 4-TCTW movement) of the
root as of the date (31/12/2025; 31/12/2019 for the demo) over the period from 1 January of that
year (``--start``), the median time of:
  - the engine (``dangbo.reports.statistics.engine`` and the form's table, uncached), as the
    superuser (scope None) and as bench-manager (the scope from ``core.access.scope_for``);
  - one hand-written SQL statement computing the same figures, run with the raw cursor,
and their ratio; then the whole of ``compute_statistics`` against the four hand queries added
up. Every hand query's figures are checked against the engine's table: a mismatch is printed
loudly and the script exits with status 1.

Not "statistics.py": run.py imports the standard library's ``statistics`` from this folder.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ensure_bench_users, setup  # noqa: E402

DEMO_AS_OF = dt.date(2019, 12, 31)
BENCH_AS_OF = dt.date(2025, 12, 31)


def _medians_ms(
    fns: list[Callable[[], object]], runs: int, warmup: int
) -> tuple[list[float], list[object]]:
    """Median time of each function and its last result; the functions take turns, run after
    run, so that the load of other jobs on the machine weighs on each alike."""
    results: list[object] = [None] * len(fns)
    for _ in range(warmup):
        for index, fn in enumerate(fns):
            results[index] = fn()
    spent: list[list[float]] = [[] for _ in fns]
    for _ in range(runs):
        for index, fn in enumerate(fns):
            started = time.perf_counter()
            results[index] = fn()
            spent[index].append((time.perf_counter() - started) * 1000)
    return [statistics.median(times) for times in spent], results


def _explain(label: str, fn: Callable[[], object]) -> None:
    """The plan of every SELECT the scenario runs (EXPLAIN ANALYZE on PostgreSQL)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fn()
    prefix = "EXPLAIN ANALYZE " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    print(f"\n=== {label}: {len(captured.captured_queries)} truy vấn")
    for query in captured.captured_queries:
        sql = query["sql"]
        if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
            continue
        print(f"  -- [{float(query['time']) * 1000:.0f} ms] {sql}")
        with connection.cursor() as cursor:
            cursor.execute(prefix + sql)
            for row in cursor.fetchall():
                print("    " + " | ".join(str(part) for part in row))


# --- The hand-written queries ----------------------------------------------------------------


class Tables:
    """Table names from the models, for the hand-written SQL."""

    def __init__(self) -> None:
        from dangbo.admissions.models import Candidate
        from dangbo.members.models import (
            Employment,
            Ethnicity,
            Member,
            MemberProfile,
            MembershipEvent,
            MembershipPeriod,
            Person,
        )
        from dangbo.organizations.models import Organization, OrganizationClosure

        self.period = MembershipPeriod._meta.db_table
        self.event = MembershipEvent._meta.db_table
        self.member = Member._meta.db_table
        self.person = Person._meta.db_table
        self.profile = MemberProfile._meta.db_table
        self.ethnicity = Ethnicity._meta.db_table
        self.employment = Employment._meta.db_table
        self.organization = Organization._meta.db_table
        self.closure = OrganizationClosure._meta.db_table
        self.candidate = Candidate._meta.db_table


def _subtree(t: Tables) -> str:
    """Ids of the subtree on a day: params (root, day, day)."""
    return (
        f"SELECT descendant_id FROM {t.closure} WHERE ancestor_id = %s "
        "AND valid_from <= %s AND (valid_to IS NULL OR valid_to > %s)"
    )


def _inside_on_event_date(t: Tables, column: str, date: str) -> str:
    """The organization in ``column`` lay in the subtree on ``date``: params (root,).

    ``ancestor_id + 0``: SQLite's statistics say an ancestor has 4 closure rows on average
    (most organizations are leaves), so it would probe by (ancestor_id, valid_from) and read
    the root's whole subtree for every row; the descendant's few ancestors are the right probe.
    """
    return (
        f"EXISTS (SELECT 1 FROM {t.closure} c WHERE c.ancestor_id + 0 = %s "
        f"AND c.descendant_id = {column} AND c.valid_from <= {date} "
        f"AND (c.valid_to IS NULL OR c.valid_to > {date}))"
    )


def _age_case(bands, day: dt.date, birth: str) -> tuple[str, list]:
    """The index of the age group on ``day`` of the date of birth in ``birth`` (-1: none)."""
    whens, params = [], []
    for index, band in enumerate(bands):
        after, until = band.born(day)
        if after is None:
            whens.append(f"WHEN {birth} <= %s THEN {index}")
            params.append(until)
        else:
            whens.append(f"WHEN {birth} <= %s AND {birth} > %s THEN {index}")
            params += [until, after]
    return f"CASE {' '.join(whens)} ELSE -1 END", params


def _person_columns(bands, day: dt.date, age_band: str | None = None) -> tuple[str, list]:
    """Age group on ``day`` (or the column ``age_band`` holding it), ethnic group, Kinh or not,
    religion, education, qualification, theory group, occupation, women: the counted columns of
    ``pe`` (a person or a member profile) and ``e`` (ethnicity)."""
    from dangbo.members.categories import ADVANCED_OR_BACHELOR, KINH_CODE
    from dangbo.members.models import PoliticalTheoryLevel, Sex

    age, params = (age_band, []) if age_band else _age_case(bands, day, "pe.date_of_birth")
    sql = (
        f"{age} AS age_band, pe.ethnicity_id AS ethnicity_id, "
        "CASE WHEN e.code = %s THEN 1 ELSE 0 END AS kinh, pe.religion AS religion, "
        "pe.general_education AS general_education, pe.professional_level AS professional_level, "
        "CASE WHEN pe.political_theory_level IN (%s, %s) THEN %s "
        "ELSE pe.political_theory_level END AS theory, pe.occupation AS occupation, "
        "CASE WHEN pe.sex = %s THEN 1 ELSE 0 END AS c1, "
        "CASE WHEN e.code = %s THEN 0 ELSE 1 END AS c2"
    )
    params += [
        KINH_CODE,
        PoliticalTheoryLevel.ADVANCED,
        PoliticalTheoryLevel.BACHELOR,
        ADVANCED_OR_BACHELOR,
        Sex.FEMALE,
        KINH_CODE,
    ]
    return sql, params


# One pass over the rows (materialized), then one small GROUP BY per section of the form.
_SECTIONS = ("age_band", "ethnicity_id", "religion", "general_education", "professional_level")
_SECTIONS += ("theory", "occupation")


def _characteristics_sql(cte: str, params: list, weight: str = "1") -> tuple[str, list]:
    """One row per category of each section: (section, value, Kinh?, total, c1, c2, c3), each
    row of ``cte`` counting ``weight`` times. On PostgreSQL one pass with GROUPING SETS; SQLite
    has none: the rows materialized once, then a GROUP BY per section."""
    counts = f"SUM({weight}), SUM(c1 * {weight}), SUM(c2 * {weight}), SUM(c3 * {weight})"
    from django.db import connection

    if connection.vendor == "postgresql":
        section = " ".join(f"WHEN GROUPING({c}) = 0 THEN '{c}'" for c in _SECTIONS)
        value = " ".join(
            f"WHEN GROUPING({c}) = 0 THEN CAST({c} AS VARCHAR(200))" for c in _SECTIONS
        )
        sets = ", ".join(["()", *[f"({c})" for c in _SECTIONS]])
        sql = (
            f"SELECT CASE {section} ELSE 'total' END, CASE {value} ELSE '' END, MAX(kinh), "
            f"{counts} FROM ({cte}) x GROUP BY GROUPING SETS ({sets})"
        )
        return sql, params
    parts = [f"SELECT 'total' AS d, '' AS v, 0 AS k, {counts} FROM x"]
    for column in _SECTIONS:
        parts.append(
            f"SELECT '{column}', CAST({column} AS VARCHAR(200)), MAX(kinh), {counts} "
            f"FROM x GROUP BY {column}"
        )
    return f"WITH x AS MATERIALIZED ({cte}) " + " UNION ALL ".join(parts), params


def form1_sql(t: Tables, root: int, as_of: dt.date) -> tuple[str, list]:
    from dangbo.members.models import MemberStatus

    on = "valid_from <= %s AND (valid_to IS NULL OR valid_to > %s)"
    sql = (
        "SELECT 'org', o.level, o.kind, o.statistics_type, o.functional_group, COUNT(*) "
        f"FROM {t.organization} o WHERE o.id IN ({_subtree(t)}) "
        "AND (o.founded_on IS NULL OR o.founded_on <= %s) "
        "AND (o.dissolved_on IS NULL OR o.dissolved_on > %s) "
        "GROUP BY o.level, o.kind, o.statistics_type, o.functional_group "
        "UNION ALL SELECT 'staff', '', '', '', '', COUNT(*) "
        f"FROM {t.employment} WHERE organization_id IN ({_subtree(t)}) "
        "AND start_date <= %s AND (end_date IS NULL OR end_date > %s) "
        "UNION ALL SELECT 'members', '', '', '', '', COUNT(*) "
        f"FROM {t.period} WHERE {on} AND status IN (%s, %s) "
        f"AND organization_id IN ({_subtree(t)})"
    )
    statuses = [MemberStatus.PROBATIONARY, MemberStatus.FULL]
    sub = [root, as_of, as_of]
    params = [*sub, as_of, as_of, *sub, as_of, as_of, as_of, as_of, *statuses, *sub]
    return sql, params


def form2_sql(t: Tables, root: int, as_of: dt.date, bands) -> tuple[str, list]:
    """The registrations counted per (age group, status, profile) first, as one would by hand
    on these tables, then spelled out by the profiles' columns."""
    from dangbo.members.models import MemberStatus

    age, params = _age_case(bands, as_of, "p.date_of_birth")
    grouped = (
        f"SELECT {age} AS age_band, p.status, p.profile_id, COUNT(*) AS n FROM {t.period} p "
        "WHERE p.valid_from <= %s AND (p.valid_to IS NULL OR p.valid_to > %s) "
        f"AND p.status IN (%s, %s) AND p.organization_id IN ({_subtree(t)}) "
        "GROUP BY 1, p.status, p.profile_id"
    )
    params += [as_of, as_of, MemberStatus.PROBATIONARY, MemberStatus.FULL, root, as_of, as_of]
    columns, column_params = _person_columns(bands, as_of, age_band="g.age_band")
    cte = (
        f"SELECT {columns}, CASE WHEN g.status = %s THEN 1 ELSE 0 END AS c3, g.n AS n "
        f"FROM ({grouped}) g JOIN {t.profile} pe ON pe.id = g.profile_id "
        f"JOIN {t.ethnicity} e ON e.id = pe.ethnicity_id"
    )
    # Parameters in the order of the text: the columns, c3, then the grouped subquery.
    return _characteristics_sql(cte, [*column_params, MemberStatus.PROBATIONARY, *params], "n")


def form3_sql(t: Tables, root: int, start: dt.date, end: dt.date, bands) -> tuple[str, list]:
    from dangbo.admissions.models import CandidateSource
    from dangbo.members.models import MembershipEventKind

    columns, params = _person_columns(bands, end)
    cte = (
        f"SELECT {columns}, CASE WHEN EXISTS (SELECT 1 FROM {t.candidate} ca "
        "WHERE ca.person_id = pe.id AND ca.source = %s) THEN 1 ELSE 0 END AS c3 "
        f"FROM {t.event} ev JOIN {t.member} m ON m.id = ev.member_id "
        f"JOIN {t.person} pe ON pe.id = m.person_id JOIN {t.ethnicity} e ON e.id = pe.ethnicity_id "
        "WHERE ev.kind = %s AND ev.date >= %s AND ev.date <= %s "
        f"AND {_inside_on_event_date(t, 'ev.organization_id', 'ev.date')}"
    )
    params += [CandidateSource.YOUTH_UNION, MembershipEventKind.ADMISSION_DECISION, start, end]
    params += [root]
    return _characteristics_sql(cte, params)


def form4_sql(t: Tables, root: int, start: dt.date, end: dt.date) -> tuple[str, list]:
    from dangbo.members.models import EXIT_KINDS, MembershipEventKind, MemberStatus

    before = start - dt.timedelta(days=1)
    kinds = [
        MembershipEventKind.ADMISSION_DECISION,
        MembershipEventKind.RECOGNITION,
        *sorted(EXIT_KINDS),
    ]
    members = (
        f"SELECT %s, COUNT(*) FROM {t.period} WHERE valid_from <= %s "
        "AND (valid_to IS NULL OR valid_to > %s) AND status IN (%s, %s) "
        f"AND organization_id IN ({_subtree(t)})"
    )
    statuses = [MemberStatus.PROBATIONARY, MemberStatus.FULL]
    inside = _inside_on_event_date(t, "ev.organization_id", "ev.date")
    # The registration that ended on the transfer's date, at an organization inside on that date.
    came_from_inside = (
        f"EXISTS (SELECT 1 FROM {t.period} b WHERE b.member_id = ev.member_id "
        f"AND b.valid_to = ev.date AND {_inside_on_event_date(t, 'b.organization_id', 'ev.date')})"
    )
    transfers = f"FROM {t.event} ev WHERE ev.kind = %s AND ev.date >= %s AND ev.date <= %s "
    sql = " UNION ALL ".join(
        [
            members,
            members,
            f"SELECT ev.kind, COUNT(*) FROM {t.event} ev WHERE ev.kind IN "
            f"({', '.join(['%s'] * len(kinds))}) AND ev.date >= %s AND ev.date <= %s "
            f"AND {inside} GROUP BY ev.kind",
            f"SELECT 'transfer_in', COUNT(*) {transfers} AND {inside} AND NOT {came_from_inside}",
            f"SELECT 'transfer_out', COUNT(*) {transfers} AND {came_from_inside} AND NOT {inside}",
        ]
    )
    transfer = MembershipEventKind.TRANSFER
    params = [
        *["before", before, before, *statuses, root, before, before],
        *["after", end, end, *statuses, root, end, end],
        *[*kinds, start, end, root],
        *[transfer, start, end, root, root],
        *[transfer, start, end, root, root],
    ]
    return sql, params


def run_sql(sql: str, params: list) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# --- The figures, keyed the same way from both sides -----------------------------------------


def table_figures(table) -> dict:
    """Code (occupations: label) → the row's values, for rows that hold figures."""
    figures = {}
    for row in table.rows:
        if not row.cells:
            continue
        key = (
            ("8", row.label) if row.code.startswith("8.") and table.key != "movement" else row.code
        )
        figures[key] = tuple(cell.value for cell in row.cells)
    return figures


def form1_figures(rows) -> dict:
    from dangbo.organizations.models import (
        FunctionalGroup,
        OrganizationKind,
        OrganizationLevel,
        StatisticsType,
    )

    orgs = [r for r in rows if r[0] == "org"]
    scalar = {r[0]: r[5] for r in rows if r[0] != "org"}

    def n(**where) -> int:
        index = {"level": 1, "kind": 2, "statistics_type": 3, "functional_group": 4}
        return sum(r[5] for r in orgs if all(r[index[k]] == v for k, v in where.items()))

    g = OrganizationLevel.GRASSROOTS
    f = {
        "1": n(level=g),
        "1.1": n(level=g, kind=OrganizationKind.COMMITTEE),
        "1.2": n(level=g, kind=OrganizationKind.BRANCH),
    }
    for index, (value, _label) in enumerate(StatisticsType.choices, start=1):
        f[f"1.3.{index}"] = n(level=g, statistics_type=value)
    if n(level=g, statistics_type=""):
        f["1.3.0"] = n(level=g, statistics_type="")
    for index, (value, _label) in enumerate(FunctionalGroup.choices, start=1):
        if n(level=g, functional_group=value):
            f[f"1.4.{index}"] = n(level=g, functional_group=value)
    f["2"] = n(level=OrganizationLevel.SUB_COMMITTEE)
    f["3"] = n(level=OrganizationLevel.BRANCH)
    f["4"] = n(level=OrganizationLevel.CELL)
    f["5"] = scalar.get("staff", 0)
    f["6"] = scalar.get("members", 0)
    return {code: (value,) for code, value in f.items()}


def characteristics_figures(rows, bands) -> dict:
    from django.utils.translation import gettext

    from dangbo.members.categories import THEORY_LEVELS
    from dangbo.members.models import GeneralEducation, ProfessionalLevel, Religion

    by: dict[str, dict[str, tuple]] = {}
    kinh_flag: dict[str, int] = {}
    for d, v, k, *counts in rows:
        by.setdefault(d, {})[v] = tuple(c or 0 for c in counts)
        if d == "ethnicity_id":
            kinh_flag[v] = k
    zero = (0, 0, 0, 0)

    def add(values) -> tuple:
        return tuple(sum(parts) for parts in zip(*values, strict=True)) if values else zero

    f = {"1": by.get("total", {}).get("", zero)}
    for index in range(len(bands)):
        f[f"2.{index + 1}"] = by.get("age_band", {}).get(str(index), zero)
    ethnic = by.get("ethnicity_id", {})
    f["3.1"] = add([c for v, c in ethnic.items() if kinh_flag[v]])
    f["3.2"] = add([c for v, c in ethnic.items() if not kinh_flag[v]])
    for v, c in ethnic.items():
        if not kinh_flag[v] and c[0]:
            f[f"3.2.{v}"] = c
    religion = by.get("religion", {})
    f["4.1"] = add([c for v, c in religion.items() if v != Religion.NONE])
    for index, (value, _label) in enumerate(Religion.choices[1:], start=1):
        f[f"4.1.{index}"] = religion.get(value, zero)
    for code, column, values in (
        ("5", "general_education", GeneralEducation.values),
        ("6", "professional_level", ProfessionalLevel.values),
        ("7", "theory", list(THEORY_LEVELS)),
    ):
        for index, value in enumerate(values, start=1):
            f[f"{code}.{index}"] = by.get(column, {}).get(value, zero)
    for text, c in by.get("occupation", {}).items():
        f[("8", text or str(gettext("Not recorded")))] = c
    return f


def form4_figures(rows) -> dict:
    from dangbo.members.models import MembershipEventKind
    from dangbo.reports.statistics.forms import EXIT_ORDER

    n = Counter(dict(rows))
    admitted, recognized = n[MembershipEventKind.ADMISSION_DECISION], n["recognition"]
    exits = [n[kind] for kind in EXIT_ORDER]
    f = {
        "1": n["before"],
        "2": admitted + n["transfer_in"],
        "2.1": admitted,
        "2.2": n["transfer_in"],
        "3": sum(exits) + n["transfer_out"],
    }
    for index, count in enumerate(exits, start=1):
        f[f"3.{index}"] = count
    f[f"3.{len(exits) + 1}"] = n["transfer_out"]
    rest = n["after"] - (n["before"] + f["2"] - f["3"])
    if rest:
        f["4"] = rest
    f["5"] = n["after"]
    f["6"] = recognized
    return {code: (value,) for code, value in f.items()}


def compare(label: str, engine: dict, hand: dict) -> bool:
    if engine == hand:
        return True
    print(f"\n!!!!!!!! KHÔNG KHỚP – {label}: số liệu của truy vấn viết tay khác bộ máy !!!!!!!!")
    for key in sorted(set(engine) | set(hand), key=str):
        if engine.get(key) != hand.get(key):
            print(f"   {key}: bộ máy {engine.get(key)} ≠ SQL viết tay {hand.get(key)}")
    return False


# --- Main ------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Đo thời gian các biểu thống kê.")
    parser.add_argument("--root", help="mã tổ chức gốc (mặc định: tổ chức gốc lớn nhất)")
    parser.add_argument("--as-of", type=dt.date.fromisoformat, help="ngày xem, YYYY-MM-DD")
    parser.add_argument("--start", type=dt.date.fromisoformat, help="đầu kỳ (mặc định 1/1)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--explain", action="store_true", help="in kế hoạch truy vấn")
    parser.add_argument("--no-whole", action="store_true", help="bỏ qua compute_statistics")
    parser.add_argument(
        "--forms", default="1,2,3,4", help="các biểu cần đo, ví dụ 1,2 (mặc định: cả bốn)"
    )
    parser.add_argument(
        "--superuser-only",
        action="store_true",
        help="chỉ đo với quản trị (kiểm tra phạm vi của quản lý chậm ở quy mô toàn quốc)",
    )
    args = parser.parse_args(argv)

    os.environ.setdefault("DANGBO_TESTING", "1")
    setup()
    from django.db import connection
    from django.db.models import Count

    from dangbo.core.access import scope_for
    from dangbo.demo.generator import vn
    from dangbo.members.categories import age_bands_on
    from dangbo.organizations.models import Organization, OrganizationClosure
    from dangbo.reports.statistics import compute_statistics, engine
    from dangbo.reports.statistics.forms import (
        admission_table,
        member_table,
        movement_table,
        organization_table,
    )

    if args.root:
        root = Organization.objects.get(code=args.root)
    else:
        # The organization with the largest subtree. Not organizations.selectors.list_roots:
        # its NOT IN is planned as an unhashed subplan on PostgreSQL, quadratic at 311.000
        # organizations (see README).
        largest = (
            OrganizationClosure.objects.values("ancestor_id")
            .annotate(n=Count("id"))
            .order_by("-n")
            .first()
        )
        if largest is None:
            print("Cơ sở dữ liệu chưa có tổ chức nào: hãy chạy bench/generate.py.", file=sys.stderr)
            return 2
        root = Organization.objects.get(pk=largest["ancestor_id"])
    as_of = args.as_of or (DEMO_AS_OF if root.code == "DCD-HCM" else BENCH_AS_OF)
    start = args.start or dt.date(as_of.year, 1, 1)
    pk = root.pk
    admin, manager = ensure_bench_users(pk)
    users = (
        (("quản trị", admin),)
        if args.superuser_only
        else (("quản trị", admin), ("quản lý", manager))
    )
    t = Tables()
    bands = age_bands_on(as_of)

    def form1(scope):
        staff = engine.count_staff(pk, as_of, scope)
        members = engine.count_members(pk, as_of, scope)
        cube = engine.organization_cube(pk, as_of, scope)
        return organization_table(
            cube, organization_id=pk, as_of=as_of, staff=staff, members=members
        )

    def form2(scope):
        minorities = engine.minority_ids()
        return member_table(
            engine.member_cube(pk, as_of, scope),
            organization_id=pk,
            as_of=as_of,
            bands=age_bands_on(as_of),
            minorities=minorities,
        )

    def form3(scope):
        minorities = engine.minority_ids()
        return admission_table(
            engine.admission_cube(pk, start, as_of, scope),
            organization_id=pk,
            start=start,
            end=as_of,
            bands=age_bands_on(as_of),
            minorities=minorities,
        )

    def form4(scope):
        return movement_table(
            organization_id=pk,
            start=start,
            end=as_of,
            members_before=engine.count_members(pk, start - dt.timedelta(days=1), scope),
            members_after=engine.count_members(pk, as_of, scope),
            events=engine.event_counts(pk, start, as_of, scope),
            transfers_in=engine.transfers(pk, start, as_of, scope, inward=True).count(),
            transfers_out=engine.transfers(pk, start, as_of, scope, inward=False).count(),
        )

    forms = [
        ("1-TCTW tổ chức", form1, form1_sql(t, pk, as_of), form1_figures),
        ("2-TCTW đảng viên", form2, form2_sql(t, pk, as_of, bands), None),
        ("3-TCTW kết nạp", form3, form3_sql(t, pk, start, as_of, bands), None),
        ("4-TCTW biến động", form4, form4_sql(t, pk, start, as_of), form4_figures),
    ]

    def with_scope(user, fn):
        # As a page would: the user's count scope first (None for the superuser; for the
        # manager on the root, None after checking that the subtree lies in the scope).
        return lambda: fn(scope_for(user, personal=False, within=(pk, as_of)))

    members = engine.count_members(pk, as_of, None)
    scale = f"{root.code} ({vn(members)} đv)"
    database = connection.vendor
    print(
        f"{database} {connection.settings_dict['NAME']}: {root.code} ngày {as_of:%d/%m/%Y}, "
        f"kỳ từ {start:%d/%m/%Y}; trung vị của {args.runs} lần sau {args.warmup} lần chạy thử.",
        flush=True,
    )
    header = (
        f"{'biểu':<18} {'CSDL':<10} {'quy mô':<22} {'người dùng':<10} {'bộ máy ms':>10} "
        f"{'SQL tay ms':>10} {'tỷ lệ':>6}  kiểm tra"
    )
    print(header)
    print("-" * len(header), flush=True)
    ok = True
    hand_total = 0.0
    chosen = {int(number) for number in args.forms.split(",") if number.strip()}
    forms = [form for number, form in enumerate(forms, start=1) if number in chosen]
    for label, fn, (sql, params), to_figures in forms:
        scenarios = [lambda s=sql, p=params: run_sql(s, p)]
        scenarios += [with_scope(user, fn) for _label, user in users]
        (hand_ms, *engine_ms), (hand_rows, *tables) = _medians_ms(scenarios, args.runs, args.warmup)
        hand_total += hand_ms
        hand = (
            to_figures(hand_rows)
            if to_figures is not None
            else characteristics_figures(hand_rows, bands)
        )
        for (user_label, _user), ms, table in zip(users, engine_ms, tables, strict=True):
            same = compare(f"{label}, {user_label}", table_figures(table), hand)
            ok = ok and same
            print(
                f"{label:<18} {database:<10} {scale:<22} {user_label:<10} {ms:>10.0f} "
                f"{hand_ms:>10.0f} {ms / hand_ms:>6.2f}  "
                f"{'khớp' if same else 'KHÔNG KHỚP'} ({sum(map(len, hand.values()))} số)",
                flush=True,
            )
        if args.explain:
            _explain(f"{label}: bộ máy", with_scope(admin, fn))
            _explain(f"{label}: SQL viết tay", lambda s=sql, p=params: run_sql(s, p))
    if not args.no_whole:

        def whole(user):
            scope = scope_for(user, personal=False, within=(pk, as_of))
            return compute_statistics(root, as_of, start, scope)

        whole_ms, _results = _medians_ms(
            [lambda user=user: whole(user) for _label, user in users], args.runs, args.warmup
        )
        for (user_label, _user), ms in zip(users, whole_ms, strict=True):
            print(
                f"{'compute_statistics':<18} {database:<10} {scale:<22} {user_label:<10} "
                f"{ms:>10.0f} {hand_total:>10.0f} {ms / hand_total if hand_total else 0:>6.2f}  "
                "(SQL tay: tổng 4 biểu)",
                flush=True,
            )
    if not ok:
        print("\n!!!!!!!! CÓ SỐ LIỆU KHÔNG KHỚP (xem ở trên) !!!!!!!!", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
