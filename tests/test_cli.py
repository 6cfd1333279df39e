"""The `dangbo` command, run as a person runs it: in a fresh process, configured by environment."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

SECRET = "test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
DANGBO = Path(sys.executable).with_name("dangbo")  # the console script `pip install` made


def clean_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The test process's environment without any DANGBO_* setting, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DANGBO_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["DANGBO_DATA_DIR"] = str(data_dir)
    env.update(extra)
    return env


def run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        args,
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def test_help_lists_the_three_commands(tmp_path):
    # when
    result = run([str(DANGBO), "--help"], clean_env(tmp_path), tmp_path)

    # then
    assert result.returncode == 0, result.stderr
    for command in ("demo", "serve", "manage"):
        assert command in result.stdout


def test_serve_refuses_a_database_with_pending_migrations(tmp_path):
    # given an empty data directory: its SQLite database has every migration pending
    env = clean_env(tmp_path / "data", DANGBO_SECRET_KEY=SECRET)

    # when (port 9 is never reached: the command must stop before serving)
    result = run([str(DANGBO), "serve", "--port", "9"], env, tmp_path)

    # then it says what to do, exits 2, and migrated nothing
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Cơ sở dữ liệu chưa được cập nhật" in result.stderr
    assert "dangbo manage migrate" in result.stderr
    assert "dangbo serve --migrate" in result.stderr
    assert "http://" not in result.stdout
    database = tmp_path / "data" / "dangbo.sqlite3"
    with closing(sqlite3.connect(database)) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert "django_migrations" not in tables


@pytest.mark.parametrize("flag", ["", "DANGBO_DEMO", "DANGBO_DEBUG", "DANGBO_TESTING"])
def test_settings_need_a_secret_key_outside_demo_debug_and_tests(tmp_path, flag):
    # given no DANGBO_SECRET_KEY, and at most one of the modes that allow a built-in key
    env = clean_env(tmp_path, **({flag: "1"} if flag else {}))

    # when
    result = run(
        [sys.executable, "-c", "import dangbo.settings as s; print(s.SECRET_KEY)"], env, tmp_path
    )

    # then
    if flag:
        assert result.returncode == 0, result.stderr
        assert "insecure" in result.stdout
    else:
        assert result.returncode != 0
        assert "ImproperlyConfigured" in result.stderr
        assert "DANGBO_SECRET_KEY is required" in result.stderr


def test_manage_runs_django_commands_with_a_secret_key(tmp_path):
    # when
    result = run(
        [str(DANGBO), "manage", "check"], clean_env(tmp_path, DANGBO_SECRET_KEY=SECRET), tmp_path
    )

    # then
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
