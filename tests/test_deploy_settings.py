"""What deploying changes, shown working: with DEBUG off, static files served by WhiteNoise under
hashed names, compressed and cached for a year; the cache swapped for a shared Redis by
`CACHE_URL`; rendered downloads kept by another storage backend named in `FILE_STORAGE`.
Settings are read at start-up, so each runs in a fresh process."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

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


SHARED_CACHE = """
import django
django.setup()
from django.conf import settings
from django.core.cache import cache
print(settings.CACHES["default"]["BACKEND"])
import sys
if sys.argv[1] == "write":
    cache.set("deploy-test", "shared", 60)
else:
    print(cache.get("deploy-test"))
    cache.delete("deploy-test")
"""


def redis_up() -> bool:
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not redis_up(), reason="no Redis at 127.0.0.1:6379")
def test_cache_url_shares_one_redis_between_processes():
    env = {**os.environ, "CACHE_URL": "redis://127.0.0.1:6379/14"}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    run = {"cwd": ROOT, "env": env, "capture_output": True, "text": True, "timeout": 60}
    writer = subprocess.run([sys.executable, "-c", SHARED_CACHE, "write"], **run)
    reader = subprocess.run([sys.executable, "-c", SHARED_CACHE, "read"], **run)
    assert writer.returncode == 0 and reader.returncode == 0, writer.stderr + reader.stderr
    backend, value = reader.stdout.split()
    assert backend == "django.core.cache.backends.redis.RedisCache" and value == "shared"


OTHER_STORAGE = """
import django
django.setup()
from django.core.files.storage import default_storage, storages
from django.core.management import call_command
from django.test import Client
from disclosures.models import RenderedFile
call_command("migrate", verbosity=0)
call_command("load_demo", verbosity=0)
client = Client()
first = client.get("/departments/021001/2022/download.csv", HTTP_HOST="127.0.0.1")
again = client.get("/departments/021001/2022/download.csv", HTTP_HOST="127.0.0.1")
record = RenderedFile.objects.get(format="csv")
print(type(storages["default"]).__name__, first.status_code, again.status_code)
print(default_storage.exists(record.file.name), first.getvalue() == again.getvalue())
"""


def test_file_storage_swaps_the_backend_rendered_files_are_kept_in(tmp_path):
    env = {
        **os.environ,
        "FILE_STORAGE": "django.core.files.storage.InMemoryStorage",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media-unused"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    run = {"cwd": ROOT, "env": env, "capture_output": True, "text": True, "timeout": 300}
    result = subprocess.run([sys.executable, "-c", OTHER_STORAGE], **run)
    assert result.returncode == 0, result.stderr[-2000:]
    backend, stored = result.stdout.strip().splitlines()[-2:]
    assert backend == "InMemoryStorage 200 200" and stored == "True True"
    assert not (tmp_path / "media-unused").exists()


REPLICA = """
import django
django.setup()
from django.core.management import call_command
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
call_command("migrate", verbosity=0)
call_command("load_demo", "--with-staff", verbosity=0)
client = Client()
def queries(url, login=False):
    with CaptureQueriesContext(connections["default"]) as primary, CaptureQueriesContext(
        connections["replica"]
    ) as replica:
        status = client.get(url, HTTP_HOST="127.0.0.1").status_code
    return status, len(primary), len(replica)
print(*queries("/departments/021001/2022/"))
print(*queries("/search/?q=总工会"))
print(*queries("/departments/021001/2022/download.csv"))
from accounts.models import User
client.force_login(User.objects.get(username="admin"))
print(*queries("/admin/disclosures/report/"))
"""


def test_a_read_replica_serves_the_public_sites_reads_and_staff_stay_on_the_primary(tmp_path):
    database = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "DATABASE_REPLICA_URL": database,  # the same file: a replica with no lag
        "MEDIA_ROOT": str(tmp_path / "media"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    run = {"cwd": ROOT, "env": env, "capture_output": True, "text": True, "timeout": 300}
    result = subprocess.run([sys.executable, "-c", REPLICA], **run)
    assert result.returncode == 0, result.stderr[-2000:]
    page, search, download, admin = (
        tuple(map(int, line.split())) for line in result.stdout.strip().splitlines()[-4:]
    )
    assert page[0] == 200 and page[1] == 0 and page[2] > 5  # every read from the replica
    assert search[0] == 200 and search[1] == 0 and search[2] >= 2
    # A first download writes its stored file: the writes (and the locked read) on the primary.
    assert download[0] == 200 and download[1] >= 2 and download[2] >= 2
    assert admin[0] == 200 and admin[1] > 0 and admin[2] == 0  # staff: the primary only
