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
