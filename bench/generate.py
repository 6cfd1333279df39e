"""Generate fictional data at scale into the configured database, for the benchmarks.

    python bench/generate.py --scale hcmc          # 366.000 đảng viên
    python bench/generate.py --scale national      # 5,6 triệu đảng viên (PostgreSQL)
    python bench/generate.py --members 50000       # tùy chọn

The database comes from the usual settings: DANGBO_DATABASE_URL, or SQLite in DANGBO_DATA_DIR.
Run `python -m django migrate` first. Rows are drawn and written in batches (COPY on PostgreSQL,
executemany on SQLite), so memory stays bounded; timings are printed as it goes.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ensure_bench_users, pending_migrations, setup  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Tạo dữ liệu thử tải (hư cấu) theo quy mô.")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--scale", choices=["hcmc", "national"], help="quy mô có sẵn")
    group.add_argument("--members", type=int, help="số đảng viên (tỷ lệ như TP HCM)")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument(
        "--sink",
        choices=["fast", "orm"],
        default="fast",
        help="fast: COPY (PostgreSQL) / executemany (SQLite); orm: bulk_create",
    )
    parser.add_argument("--batch-size", type=int, default=20000, help="số người mỗi lô")
    parser.add_argument(
        "--append", action="store_true", help="cho phép ghi thêm vào cơ sở dữ liệu đã có người"
    )
    args = parser.parse_args(argv)

    setup()
    from django.db import connection

    import scales
    from dangbo.demo.generator import analyze, generate, vn
    from dangbo.members.models import Person

    scale = scales.PRESETS[args.scale] if args.scale else scales.custom(args.members)
    pending = pending_migrations()
    if pending:
        print(
            f"Cơ sở dữ liệu chưa migrate ({len(pending)} migration). Hãy chạy "
            "`python -m django migrate` trước.",
            file=sys.stderr,
        )
        return 2
    if Person.objects.exists() and not args.append:
        print(
            "Cơ sở dữ liệu đã có dữ liệu cá nhân; hãy dùng một cơ sở dữ liệu trống "
            "(hoặc --append).",
            file=sys.stderr,
        )
        return 2
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO off")

    database = f"{connection.vendor} {connection.settings_dict['NAME']}"
    print(
        f"Quy mô {scale.key}: {vn(scale.members)} đảng viên, {vn(scale.staff)} người, "
        f"{vn(scale.grassroots)} tổ chức cơ sở đảng → {database}",
        flush=True,
    )
    started = time.perf_counter()

    def progress(text: str) -> None:
        print(f"[{time.perf_counter() - started:7.1f} s] {text}", flush=True)

    result = generate(
        scale=scale, seed=args.seed, progress=progress, sink=args.sink, batch_size=args.batch_size
    )
    ensure_bench_users(result.root_id)
    analyze_started = time.perf_counter()
    analyze()
    progress(f"ANALYZE: {time.perf_counter() - analyze_started:.1f} giây.")
    total = time.perf_counter() - started
    rows = (
        result.people * 2
        + result.members
        + result.events
        + result.periods
        + result.closure_rows
        + result.organizations * 2
    )
    print(
        f"Xong: {total:.1f} giây, khoảng {vn(rows)} dòng "
        f"({vn(round(rows / total))} dòng/giây, {vn(round(result.members / total))} "
        f"đảng viên/giây).",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
