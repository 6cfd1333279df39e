"""Browser fixtures: headless Debian Chromium driven by Playwright against pytest-django's
live server, and a database that the server thread and the test both see.

The data fixtures of tests/conftest.py (tree, users, member) are reused as they are: every
browser test uses ``live_server``, which makes pytest-django run it as a transactional test, so
what those fixtures write is committed and visible to the server thread.
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an asyncio loop in this thread; Django would otherwise refuse to run
# ORM queries from the test body ("You cannot call this from an async context").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "pw-Test-12345"  # what tests.factories.UserFactory sets


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


@pytest.fixture
def browser(transactional_db) -> Iterator:
    """A headless Chromium for one test. Missing browser: skip on a laptop, fail in CI.

    Set up after the test database (so torn down before its flush), and per test: while
    Playwright runs, its event loop changes the context Django keys its connections by.
    """
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: `apt-get install -y chromium`"
        if in_ci():
            pytest.fail(message + " (CI must run the browser tests)", pytrace=False)
        pytest.skip(message)
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Without this, ORM calls made while Playwright runs would open new connections that know
    # nothing of the test database's state (serialized data, open transactions).
    own = {alias: connections[alias] for alias in connections}
    with sync_playwright() as playwright:
        for alias, connection in own.items():
            connections[alias] = connection
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(request, browser, live_server) -> Iterator:
    """A fresh browser context (no cookies) in Vietnamese; a screenshot on failure."""
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
        tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        (ARTIFACTS / f"{name}.html").write_text(tab.content(), encoding="utf-8")
    context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    # Keep each phase's report on the item, so that the page fixture knows the test failed.
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def _audit_trigger_sql(name: str) -> list[str]:
    migration = importlib.import_module("dangbo.core.migrations.0002_audit_append_only_and_rules")
    return list(getattr(migration, name))


@pytest.fixture
def audit_log_flushable(transactional_db) -> Iterator[None]:
    """Lets the transactional test's final flush empty the append-only audit table.

    The audit table's triggers refuse DELETE and TRUNCATE, which is how a transactional test
    cleans up. They stay on while the test runs, and are dropped just before the flush (this
    fixture is set up after ``transactional_db``, so it is torn down before it).
    """
    from django.db import connection

    reverse, forward = {
        "sqlite": ("SQLITE_REVERSE", "SQLITE"),
        "postgresql": ("POSTGRES_REVERSE", "POSTGRES"),
    }[connection.vendor]
    with connection.cursor() as cursor:
        for sql in _audit_trigger_sql(reverse) + _audit_trigger_sql(forward):
            cursor.execute(sql)
    yield
    with connection.cursor() as cursor:
        for sql in _audit_trigger_sql(reverse):
            cursor.execute(sql)


@pytest.fixture
def log_in(page, live_server):
    """Logs in through the real /login/ form and returns the page on the dashboard."""

    def do(username: str, password: str = PASSWORD):
        response = page.goto(live_server.url + "/login/")
        assert response is not None and response.ok, (
            f"/login/ answered {response and response.status}"
        )
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        with page.expect_navigation():
            page.click("button[type=submit]")
        return page

    return do
