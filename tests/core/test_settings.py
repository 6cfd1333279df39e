"""Settings read DANGBO_* variables once, at import: each case imports them in a fresh process."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

SECRET = "test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
NAMES = [
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_PROXY_SSL_HEADER",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "TRUST_PROXY",
    "DEBUG",
    "SESSION_COOKIE_AGE",
    "DATABASES",
]


def load_settings(tmp_path, **variables: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DANGBO_")}
    env.update(DANGBO_SECRET_KEY=SECRET, DANGBO_DATA_DIR=str(tmp_path), **variables)
    code = (
        "import json, dangbo.settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {NAMES!r}}}, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_defaults_are_plain_http_on_localhost_with_sqlite_in_the_data_dir(tmp_path):
    s = load_settings(tmp_path)

    assert s["SESSION_COOKIE_SECURE"] is False
    assert s["CSRF_COOKIE_SECURE"] is False
    assert s["SECURE_SSL_REDIRECT"] is False
    assert s["SECURE_HSTS_SECONDS"] == 0
    assert s["SECURE_PROXY_SSL_HEADER"] is None
    assert s["ALLOWED_HOSTS"] == ["localhost", "127.0.0.1"]
    assert s["CSRF_TRUSTED_ORIGINS"] == []
    assert s["TRUST_PROXY"] is False
    assert s["DEBUG"] is False
    assert s["SESSION_COOKIE_AGE"] == 8 * 3600
    assert s["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert s["DATABASES"]["default"]["NAME"] == str(tmp_path.resolve() / "dangbo.sqlite3")


@pytest.mark.parametrize("value", ["1", "true", "yes", "on"])
def test_https_makes_cookies_secure_and_redirects(tmp_path, value):
    s = load_settings(tmp_path, DANGBO_HTTPS=value)

    assert s["SESSION_COOKIE_SECURE"] is True
    assert s["CSRF_COOKIE_SECURE"] is True
    assert s["SECURE_SSL_REDIRECT"] is True
    assert s["SECURE_HSTS_SECONDS"] == 31536000
    assert s["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_https_off_values_leave_cookies_plain(tmp_path):
    s = load_settings(tmp_path, DANGBO_HTTPS="0")

    assert s["SESSION_COOKIE_SECURE"] is False
    assert s["CSRF_COOKIE_SECURE"] is False


def test_hosts_origins_proxy_session_age_and_database_url(tmp_path):
    s = load_settings(
        tmp_path,
        DANGBO_ALLOWED_HOSTS="dangbo.example.vn, 10.0.0.5",
        DANGBO_CSRF_TRUSTED_ORIGINS="https://dangbo.example.vn",
        DANGBO_TRUST_PROXY="1",
        DANGBO_SESSION_AGE="3600",
        DANGBO_DATABASE_URL="postgres://dangbo:pw@db.example.vn:5432/dangbo",
    )

    assert s["ALLOWED_HOSTS"] == ["dangbo.example.vn", "10.0.0.5"]
    assert s["CSRF_TRUSTED_ORIGINS"] == ["https://dangbo.example.vn"]
    assert s["TRUST_PROXY"] is True
    assert s["SESSION_COOKIE_AGE"] == 3600
    database = s["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["NAME"], database["HOST"], database["PORT"]) == (
        "dangbo",
        "db.example.vn",
        5432,
    )
