"""The `dangbo` command: demo, serve, manage."""

from __future__ import annotations

import argparse
import gettext
import os
import shutil
import sys
from pathlib import Path

# The command speaks the site's language (settings.LANGUAGE_CODE) from the site's own catalog.
# It reads the catalog with the standard library: `--help` and the checks before Django starts
# must work without settings (no secret key yet).
_catalog = gettext.translation(
    "django", localedir=Path(__file__).resolve().parent / "locale", languages=["vi"], fallback=True
)
_ = _catalog.gettext


def gettext_noop(message: str) -> str:
    """Mark a message for the catalog, translated where it is shown (Django's needs settings)."""
    return message


DEMO_ACCOUNTS = (
    ("demo-admin", "demo", gettext_noop("Administrator of the whole bloc committee")),
    ("demo-branch", "demo", gettext_noop("Manager of one branch")),
)


def _setup(*, demo: bool = False) -> None:
    if demo:
        os.environ["DANGBO_DEMO"] = "1"
        # The demo always uses its own SQLite file, never a configured server database.
        os.environ.pop("DANGBO_DATABASE_URL", None)
        os.environ.setdefault("DANGBO_ALLOWED_HOSTS", "localhost,127.0.0.1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangbo.settings")
    import django

    django.setup()


def _data_dir() -> Path:
    return Path(os.environ.get("DANGBO_DATA_DIR", "dangbo-data")).resolve()


def _prepare_static(verbosity: int = 0) -> None:
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=verbosity)


def _pending_migrations() -> list[str]:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def _serve(host: str, port: int, threads: int) -> None:
    from waitress import serve

    from dangbo.wsgi import application

    serve(application, host=host, port=port, threads=threads, ident="dangbo")


def cmd_demo(args: argparse.Namespace) -> int:
    data_dir = _data_dir()
    if args.reset and data_dir.exists():
        for name in ("dangbo.sqlite3", "dangbo.sqlite3-wal", "dangbo.sqlite3-shm"):
            (data_dir / name).unlink(missing_ok=True)
        shutil.rmtree(data_dir / "static", ignore_errors=True)
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["DANGBO_DATA_DIR"] = str(data_dir)
    _setup(demo=True)
    from django.core.management import call_command

    from dangbo.demo.builder import build_demo, demo_exists

    call_command("migrate", interactive=False, verbosity=0)
    if not demo_exists():
        print(_("Creating the sample data (a bloc committee, fictional data)…"), flush=True)
        summary = build_demo(progress=lambda text: print("  " + text, flush=True))
        seconds = f"{summary['seconds']:.1f}"
        print("  " + _("done in %(seconds)s seconds.") % {"seconds": seconds}, flush=True)
    _prepare_static()
    host = args.host
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(_("The demo serves on 127.0.0.1 only."), file=sys.stderr)
        host = "127.0.0.1"
    print()
    print(f"dangbo demo: http://{host}:{args.port}/")
    print(_("Accounts (password):"))
    for username, password, role in DEMO_ACCOUNTS:
        print(f"  {username:<12} {password:<6} {_(role)}")
    print(_("Fictional sample data. Ctrl+C to stop."), flush=True)
    _serve(host, args.port, args.threads)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    _data_dir().mkdir(parents=True, exist_ok=True)
    _setup()
    from django.core.management import call_command

    pending = _pending_migrations()
    if pending and not args.migrate:
        listed = ", ".join(pending[:5]) + ("…" if len(pending) > 5 else "")
        print(
            _(
                "The database is not up to date (%(pending)s). Run `dangbo manage migrate` "
                "(after a backup) or `dangbo serve --migrate`."
            )
            % {"pending": listed},
            file=sys.stderr,
        )
        return 2
    if pending:
        call_command("migrate", interactive=False, verbosity=1)
    _prepare_static()
    print(f"dangbo: http://{args.host}:{args.port}/", flush=True)
    _serve(args.host, args.port, args.threads)
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    _data_dir().mkdir(parents=True, exist_ok=True)
    _setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["dangbo manage", *args.rest])
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="dangbo", description=_("dangbo: records of party organizations and members")
    )
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help=_("run the demo with the sample data of a bloc committee"))
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--threads", type=int, default=8)
    demo.add_argument("--reset", action="store_true", help=_("delete and recreate the sample data"))
    demo.set_defaults(func=cmd_demo)

    serve = sub.add_parser("serve", help=_("serve the configured database"))
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--threads", type=int, default=8)
    serve.add_argument(
        "--migrate", action="store_true", help=_("apply the missing migrations, then serve")
    )
    serve.set_defaults(func=cmd_serve)

    manage = sub.add_parser(
        "manage", help=_("Django management commands (migrate, createsuperuser, …)")
    )
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
