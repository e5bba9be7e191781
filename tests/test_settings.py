"""Settings come from the environment with safe local defaults."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def settings_value(expr: str, **env: str) -> str:
    clean = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEBUG", "SECRET_KEY")
    }
    result = subprocess.run(
        [sys.executable, "-c", f"import config.settings as s; print({expr})"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
    )
    return result.stdout.strip() or result.stderr.strip().splitlines()[-1]


def test_defaults_are_local_sqlite_and_debug():
    assert settings_value("s.DATABASES['default']['ENGINE']") == "django.db.backends.sqlite3"
    assert settings_value("s.DEBUG") == "True"
    assert settings_value("s.LANGUAGE_CODE") == "zh-hans"


def test_database_url_and_hosts_from_environment():
    engine = settings_value(
        "s.DATABASES['default']['ENGINE']", DATABASE_URL="postgres://u@db.example:5432/jue"
    )
    assert engine == "django.db.backends.postgresql"
    hosts = settings_value("s.ALLOWED_HOSTS", ALLOWED_HOSTS="a.example, b.example")
    assert hosts == "['a.example', 'b.example']"


def test_production_without_secret_key_refuses_to_start():
    assert "SECRET_KEY must be set" in settings_value("s.DEBUG", DEBUG="0")
    assert settings_value("s.DEBUG", DEBUG="0", SECRET_KEY="x" * 50) == "False"


# ---------------------------------------------------------------------------------------------
# Production settings that hold (check --deploy), from the environment

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k" * 20 + "-a-long-random-production-key-0123456789-xyz",
    "ALLOWED_HOSTS": "juesuan.example.gov.cn",
}


def deploy_check(**env: str) -> subprocess.CompletedProcess:
    # Not the test run's own switches (the browser tests allow Django's ORM in async code).
    unset = ("DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean, **PRODUCTION, **env},
        capture_output=True,
        text=True,
    )


def test_check_deploy_is_clean_in_production():
    result = deploy_check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_https_settings_come_from_the_environment():
    assert settings_value("s.SECURE_SSL_REDIRECT", **PRODUCTION) == "True"
    assert settings_value("s.SECURE_HSTS_SECONDS", **PRODUCTION) == str(365 * 24 * 3600)
    assert settings_value("s.SECURE_HSTS_SECONDS", **PRODUCTION, SECURE_HSTS_SECONDS="600") == "600"
    # Turned off, check --deploy says so: the setting is really read.
    result = deploy_check(SECURE_SSL_REDIRECT="0", SECURE_HSTS_SECONDS="0")
    assert result.returncode != 0 and "W008" in result.stdout + result.stderr
    proxy = settings_value(
        "s.SECURE_PROXY_SSL_HEADER",
        **PRODUCTION,
        SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https",
    )
    assert proxy == "('HTTP_X_FORWARDED_PROTO', 'https')"
    origins = settings_value(
        "s.CSRF_TRUSTED_ORIGINS", CSRF_TRUSTED_ORIGINS="https://a.example.gov.cn,https://b.example"
    )
    assert origins == "['https://a.example.gov.cn', 'https://b.example']"
    assert settings_value("s.SECURE_PROXY_SSL_HEADER", SECURE_PROXY_SSL_HEADER="x").startswith(
        "RuntimeError"
    )
