"""bench/scale: the public pages at 10 % and at 100 % of a province's data, in one run.

    .venv/bin/python bench/scale.py [--departments 10000] [--years 2018-2022] [--runs 5]
                                    [--database-url postgres://postgres@127.0.0.1:5432/bench_scale]

Creates the database afresh (PostgreSQL by default, as a province runs; an sqlite:/// URL works
too), loads the seed report and generate_synthetic's departments: first a tenth of them, then
the rest. At each size it times every page the public reaches through the Django test client
(median of N runs after one to warm up) and counts its queries:
  home, a city's region page, search (a name found in every county, a code prefix, one
  department's full name), a department, its year comparison, a report page and a table page
  (rendered, the cache emptied before each run, and served from the cache), and each download
  of a report from storage (PDF, Excel, CSV, JSON).
It prints, for each page, the time at both sizes, their ratio (target: every ratio <= 1.5) and the
query counts.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEPARTMENT = "9000100"  # a synthetic department of the first tenth: measured at both sizes


def fresh_database(url: str) -> None:
    """Drops and recreates the benchmark's database (PostgreSQL), or removes the SQLite file."""
    parsed = urlparse(url)
    if parsed.scheme.startswith("postgres"):
        import psycopg

        name = parsed.path.lstrip("/")
        admin = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')
    elif parsed.scheme == "sqlite":
        Path(parsed.path).unlink(missing_ok=True)


def pages() -> list[tuple[str, str, bool]]:
    """(label, address, rendered: the page cache emptied before each run)."""
    from disclosures.models import Region

    city = Region.objects.get(name="合成东1市")
    report = f"/departments/{DEPARTMENT}/2022/"
    return [
        ("home", "/", False),
        ("region (a city)", f"/regions/{city.pk}/", False),
        ("search: name in every county", "/search/?q=财政局", False),
        ("search: code prefix", "/search/?q=90001", False),
        ("search: one department", "/search/?q=合成东1市第3县财政局", False),
        ("department", f"/departments/{DEPARTMENT}/", False),
        ("compare", f"/departments/{DEPARTMENT}/compare/", False),
        ("report page, rendered", report, True),
        ("report page, cached", report, False),
        ("table page, rendered", report + "tables/03/", True),
        ("table page, cached", report + "tables/03/", False),
        ("download PDF from storage", report + "download.pdf", False),
        ("download Excel from storage", report + "download.xlsx", False),
        ("download CSV from storage", report + "download.csv", False),
        ("download JSON from storage", report + "download.json", False),
    ]


def measure(client, url: str, rendered: bool, runs: int) -> tuple[float, int, int]:
    """Median seconds, queries and bytes of one request, after one to warm up."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get():
        response = client.get(url)
        body = response.getvalue() if response.streaming else response.content
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        return body

    get()
    times, queries, size = [], 0, 0
    for _ in range(runs):
        if rendered:
            cache.clear()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            size = len(get())
            times.append(time.perf_counter() - start)
        queries = len(captured)
    return statistics.median(times), queries, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--departments", type=int, default=10_000)
    parser.add_argument("--years", default="2018-2022")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/bench_scale")
    args = parser.parse_args()
    fresh_database(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from disclosures.fonts import fonts_build
    from disclosures.management.commands.generate_synthetic import year_range
    from disclosures.synthetic import synthetic_generate

    settings.ALLOWED_HOSTS = ["testserver"]
    fonts_build()
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    years = year_range(args.years)
    client = Client()
    sizes = (args.departments // 10, args.departments)
    results: dict[str, list[tuple[float, int, int]]] = {}
    loads = []
    for size in sizes:
        made = synthetic_generate(departments=size, years=years)
        loads.append((size, made.reports, made.seconds))
        if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
            from django.db import connection

            # Settled, as a database that has been running: no autovacuum racing the timings.
            connection.ensure_connection()
            connection.connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        for label, url, rendered in pages():
            results.setdefault(label, []).append(measure(client, url, rendered, args.runs))

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(
        f"bench/scale: {engine}, {args.runs} runs each (medians), pages through the Django test "
        f"client; departments × years {args.years}"
    )
    for size, reports, seconds in loads:
        print(
            f"  generate_synthetic to {size:,} departments: {reports:,} reports in {seconds:.1f} s"
        )
    small, large = sizes
    print(
        f"  {'page':<30} {f'{small:,} dep.':>12} {f'{large:,} dep.':>12} {'ratio':>6}"
        f"  queries   bytes"
    )
    worst = 0.0
    for label, ((t1, q1, _), (t2, q2, b2)) in results.items():
        ratio = t2 / t1
        worst = max(worst, ratio)
        print(
            f"  {label:<30} {t1 * 1000:9.1f} ms {t2 * 1000:9.1f} ms {ratio:6.2f}  "
            f"{q1:>3} / {q2:<3} {b2:>7,}"
        )
    print(f"  worst ratio {worst:.2f} (target: every ratio <= 1.5)")


if __name__ == "__main__":
    main()
