"""bench/serve: a published report page against a static file of the same bytes, through the same
gunicorn, as the README deploys it.

    .venv/bin/python bench/serve.py [--seconds 5] [--rounds 3] [--concurrency 8]
                                    [--database-url postgres://postgres@127.0.0.1:5432/bench_scale]

Uses the database bench/scale leaves (10,000 synthetic departments × 5 years; made here with
generate_synthetic when it is empty). Starts gunicorn on loopback with DEBUG=0, WhiteNoise and
persistent database connections (workers 2 × cores + 1, gthread), writes the report page's bytes
into the static files, then drives, alternating in rounds, with the same client (threads with
keep-alive connections) and concurrency:
  - the published report page (/departments/…/2022/), served from the page cache;
  - the static file of the same bytes (WhiteNoise);
  - the home page and a search at 100 % data.
Prints each one's median throughput (requests per second), and the report page's ratio to the
static file (target >= 0.8).
"""

import argparse
import http.client
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PORT = 8765
REPORT = "/departments/9000100/2022/"


def drive(path: str, seconds: float, concurrency: int) -> float:
    """Requests per second answered 200, `concurrency` threads each on a keep-alive connection."""
    done = [0] * concurrency
    stop = time.perf_counter() + seconds

    def worker(i: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        while time.perf_counter() < stop:
            try:
                connection.request("GET", path, headers={"Accept-Encoding": "identity"})
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    raise SystemExit(f"{path} answered {response.status}")
                done[i] += 1
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
            except (http.client.HTTPException, OSError):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / (time.perf_counter() - start)


def wait_up(process: subprocess.Popen) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise SystemExit("gunicorn stopped")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            connection.request("GET", "/")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("gunicorn did not answer")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--departments", type=int, default=10_000)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/bench_scale")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "SECURE_COOKIES": "0",
        "CONN_MAX_AGE": "60",
        "STATIC_ROOT": str(workdir / "static"),
        "MEDIA_ROOT": str(workdir / "media"),
    }
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from disclosures.models import Department

    call_command("migrate", verbosity=0)
    if not Department.objects.filter(code=REPORT.split("/")[2]).exists():
        from disclosures.synthetic import synthetic_generate

        call_command("load_demo", verbosity=0)
        synthetic_generate(departments=args.departments, years=range(2018, 2023))
    departments = Department.objects.count()
    call_command("collectstatic", "--noinput", verbosity=0)
    page = Client().get(REPORT, HTTP_HOST="127.0.0.1")
    if page.status_code != 200:
        raise SystemExit(f"{REPORT} answered {page.status_code}")
    static_file = workdir / "static" / "bench" / "report.html"
    static_file.parent.mkdir(parents=True)
    static_file.write_bytes(page.content)

    cores = os.cpu_count() or 1
    workers = 2 * cores + 1
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            f"--bind=127.0.0.1:{PORT}",
            f"--workers={workers}",
            "--worker-class=gthread",
            "--threads=2",
            "--keep-alive=5",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_up(server)
        targets = {
            "report page (published, cached)": REPORT,
            "static file, same bytes": "/static/bench/report.html",
            "home page": "/",
            "search 财政局 (paginated)": "/search/?q=" + quote("财政局"),
        }
        for path in targets.values():  # warm every worker's cache and connection
            drive(path, 1, args.concurrency)
        rates: dict[str, list[float]] = {label: [] for label in targets}
        for _ in range(args.rounds):
            for label, path in targets.items():
                rates[label].append(drive(path, args.seconds, args.concurrency))
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)

    median = {label: statistics.median(values) for label, values in rates.items()}
    print(
        f"bench/serve: gunicorn {workers} workers × 2 threads (gthread) on loopback, DEBUG=0, "
        f"{departments:,} departments; {args.concurrency} client threads with keep-alive, "
        f"{args.rounds} rounds of {args.seconds:g} s each, alternating; medians"
    )
    print(f"  page bytes: {len(page.content):,}")
    for label, rate in median.items():
        runs = ", ".join(f"{r:,.0f}" for r in rates[label])
        print(f"  {label:<34}: {rate:8,.0f} req/s   ({runs})")
    ratio = median["report page (published, cached)"] / median["static file, same bytes"]
    print(f"  ratio report page / static file   : {ratio:8.2f}   (target >= 0.80)")


if __name__ == "__main__":
    main()
