"""With DEBUG off, static files are served by WhiteNoise under hashed names, compressed and cached
for a year, after `collectstatic`; settings are read at start-up, so this runs in a fresh
process."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FETCH = """
import django, re
django.setup()
from django.templatetags.static import static
from django.test import Client
url = static("css/site.css")
assert re.fullmatch(r"/static/css/site\\.[0-9a-f]{12}\\.css", url), url
client = Client(HTTP_ACCEPT_ENCODING="gzip, br")
response = client.get(url, HTTP_HOST="127.0.0.1")
encoding = response.get("Content-Encoding", "")
print(response.status_code, response["Cache-Control"], encoding, sep="|")
page = client.get("/", HTTP_HOST="127.0.0.1", secure=True).content.decode()
print(url in page)
"""


def test_static_files_are_hashed_compressed_and_cached_for_a_year(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "test-" + "x" * 50,
        "STATIC_ROOT": str(tmp_path / "static"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECURE_SSL_REDIRECT": "0",
    }
    run = {"cwd": ROOT, "env": env, "capture_output": True, "text": True, "timeout": 300}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], check=True, **run)
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], **run)
    assert list((tmp_path / "static" / "css").glob("site.*.css.gz"))
    result = subprocess.run([sys.executable, "-c", FETCH], **run)
    assert result.returncode == 0, result.stderr[-2000:]
    status_line, linked = result.stdout.strip().splitlines()[-2:]
    status, cache_control, encoding = status_line.split("|")
    assert status == "200" and "max-age=315360000" in cache_control and "immutable" in cache_control
    assert encoding in ("gzip", "br")
    assert linked == "True"
