"""Time the everyday reads on whatever data the configured database holds.

    python bench/run.py                      # the root found in the database, 15 runs each
    python bench/run.py --runs 30 --explain  # and print the query plans

Scenarios (median and 95th percentile in milliseconds):
  (a) dashboard figures of the root as of a date (reports.selectors.headline_figures)
  (b) member list, page 1 sorted by name: 50 rows and the total count
  (c) search by a folded name ("nguyen van an"), page 1 and count
  (d) a member's record: get_member, party age and status
each as a superuser and, for (a)–(c), as a manager whose role sits on the root; then the same
pages through Django's test client ("/", "/members/", "/members/?q=…", "/members/<id>/"),
skipped when a page is missing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ensure_bench_users, setup  # noqa: E402

SEARCH = "nguyen van an"
PAGE = 50
DEMO_AS_OF = dt.date(2019, 12, 31)
BENCH_AS_OF = dt.date(2025, 12, 31)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _time(fn: Callable[[int], object], runs: int, warmup: int) -> list[float]:
    for index in range(warmup):
        fn(index)
    spent = []
    for index in range(runs):
        started = time.perf_counter()
        fn(index)
        spent.append((time.perf_counter() - started) * 1000)
    return spent


def _explain(fn: Callable[[int], object]) -> None:
    """Print the plan of every query the scenario runs (EXPLAIN ANALYZE on PostgreSQL)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fn(0)
    prefix = "EXPLAIN ANALYZE " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    for query in captured.captured_queries:
        sql = query["sql"]
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        print(f"  -- {sql[:400]}{'…' if len(sql) > 400 else ''}")
        with connection.cursor() as cursor:
            cursor.execute(prefix + sql)
            for row in cursor.fetchall():
                print("    " + " | ".join(str(part) for part in row))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Đo thời gian các thao tác đọc thường dùng.")
    parser.add_argument("--root", help="mã tổ chức gốc (mặc định: tổ chức gốc lớn nhất)")
    parser.add_argument("--as-of", type=dt.date.fromisoformat, help="ngày xem, YYYY-MM-DD")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--explain", action="store_true", help="in kế hoạch truy vấn")
    parser.add_argument("--no-client", action="store_true", help="bỏ qua các trang qua Client")
    args = parser.parse_args(argv)

    # Plain static files storage: the pages render without a collectstatic manifest.
    os.environ.setdefault("DANGBO_TESTING", "1")
    setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from dangbo.demo.generator import vn
    from dangbo.members import services
    from dangbo.members.models import Member, MembershipPeriod
    from dangbo.members.selectors import MemberFilters, get_member, list_member_periods
    from dangbo.organizations.models import Organization, OrganizationClosure
    from dangbo.organizations.selectors import list_roots
    from dangbo.reports.selectors import headline_figures

    if args.root:
        root = Organization.objects.get(code=args.root)
    else:
        roots = list_roots()
        if not roots:
            print("Cơ sở dữ liệu chưa có tổ chức nào: hãy chạy bench/generate.py.", file=sys.stderr)
            return 2
        sizes = {r.pk: OrganizationClosure.objects.filter(ancestor_id=r.pk).count() for r in roots}
        root = max(roots, key=lambda r: sizes[r.pk])
    as_of = args.as_of or (DEMO_AS_OF if root.code == "DCD-HCM" else BENCH_AS_OF)
    admin, manager = ensure_bench_users(root.pk)
    members = (
        MembershipPeriod.objects.filter(valid_from__lte=as_of).exclude(valid_to__lte=as_of).count()
    )
    scale = f"{root.code} ({vn(members)} đv)"
    database = connection.vendor
    step = max(1, Member.objects.count() // (args.runs + args.warmup))
    first = Member.objects.order_by("id").values_list("id", flat=True).first() or 0
    sample_ids = [first + step * i for i in range(args.runs + args.warmup)]

    # A full name, as a user types it to find one person: few matches, no index on SQLite.
    RARE = (
        Member.objects.order_by("id").values_list("person__search_name", flat=True)[
            sample_ids[1] - first
        ]
        if Member.objects.exists()
        else "tran thi binh"
    )

    def dashboard(user, cold=False):
        def run(i):
            if cold:  # as after any recorded change: the cached figures no longer apply
                cache.clear()
            return headline_figures(user=user, organization=root, as_of=as_of)

        return run

    def member_list(user, q=""):
        def run(i):
            qs = list_member_periods(user=user, as_of=as_of, filters=MemberFilters(q=q))
            return list(qs[:PAGE]), qs.count()

        return run

    def member_page(i):
        member = get_member(user=admin, pk=sample_ids[i % len(sample_ids)])
        return services.party_age_months(member, as_of), services.status_on(member, as_of)

    scenarios: list[tuple[str, Callable[[int], object]]] = [
        ("(a) số liệu tổng hợp – quản trị, chưa có đệm", dashboard(admin, cold=True)),
        ("(a) số liệu tổng hợp – quản lý, chưa có đệm", dashboard(manager, cold=True)),
        ("(a) số liệu tổng hợp – quản trị, có đệm", dashboard(admin)),
        ("(a) số liệu tổng hợp – quản lý, có đệm", dashboard(manager)),
        ("(b) danh sách đảng viên tr.1 – quản trị", member_list(admin)),
        ("(b) danh sách đảng viên tr.1 – quản lý", member_list(manager)),
        (f"(c) tìm “{SEARCH}” – quản trị", member_list(admin, SEARCH)),
        (f"(c) tìm “{SEARCH}” – quản lý", member_list(manager, SEARCH)),
        (f"(c) tìm tên hiếm “{RARE}” – quản trị", member_list(admin, RARE)),
        ("(d) hồ sơ một đảng viên", member_page),
    ]

    if not args.no_client:
        setup_test_environment(debug=False)
        client = Client()
        client.force_login(admin)
        member_id = sample_ids[len(sample_ids) // 2]
        for label, path in (
            ("trang / (có đệm)", "/"),
            ("trang /members/", "/members/"),
            ("trang /members/?q=…", f"/members/?q={SEARCH.replace(' ', '+')}"),
            ("trang /members/<id>/", f"/members/{member_id}/"),
        ):
            try:
                status = client.get(path).status_code
            except Exception as error:  # a page still being written elsewhere
                print(f"Bỏ qua {path}: {type(error).__name__}: {error}", file=sys.stderr)
                continue
            if status != 200:
                print(f"Bỏ qua {path}: mã trả về {status}.", file=sys.stderr)
                continue
            scenarios.append((label, lambda i, path=path: client.get(path)))

    header = (
        f"{'kịch bản':<44} {'CSDL':<10} {'quy mô':<26} {'trung vị ms':>11} "
        f"{'p95 ms':>8} {'số lần':>6}"
    )
    print(header)
    print("-" * len(header))
    for label, fn in scenarios:
        spent = _time(fn, args.runs, args.warmup)
        print(
            f"{label:<44} {database:<10} {scale:<26} {statistics.median(spent):>11.1f} "
            f"{_percentile(spent, 0.95):>8.1f} {len(spent):>6}",
            flush=True,
        )
        if args.explain and not label.startswith("trang"):
            _explain(fn)
    return 0


if __name__ == "__main__":
    sys.exit(main())
