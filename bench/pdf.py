"""bench/pdf: the whole seed report to PDF, WeasyPrint against Debian's Chromium, same HTML.

    .venv/bin/python bench/pdf.py [--runs N]

Loads the seed report into a throw-away SQLite database, writes the HTML the portal's PDF renderer
makes, then in one run, alternating, N times each:
  - WeasyPrint cold: a fresh Python process imports WeasyPrint and writes the PDF;
  - Chromium: `chromium --headless --print-to-pdf` prints the same HTML file.
then warm, each in a process that has already rendered once: WeasyPrint in this process (the
portal's case: a server renders a published report's files on the first download) against
Chromium kept running through Playwright, a new page for each print. Prints the median times, the
ratios WeasyPrint/Chromium (cold is the target: <= 0.80), page counts, file sizes and the peak
memory (resident, whole process tree) of the cold runs.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from disclosures.chromium import CHROMIUM, CHROMIUM_FLAGS  # noqa: E402

# The portal's own PDF writer (disclosures/renderers/weasy.py), in a bare Python process.
WEASYPRINT_COLD = """
import sys
sys.path.insert(0, sys.argv[3])
from disclosures.renderers.weasy import pdf_write
with open(sys.argv[1], encoding="utf-8") as f, open(sys.argv[2], "wb") as out:
    out.write(pdf_write(f.read(), base_url=sys.argv[3]))
"""


def seed_html(workdir: Path) -> Path:
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from disclosures.fonts import fonts_build
    from disclosures.renderers.pdf import document_html
    from disclosures.selectors import report_document_get
    from disclosures.services import demo_load

    fonts_build()
    call_command("migrate", verbosity=0)
    demo_load()
    document = report_document_get(department_code="021001", year=2022)
    path = workdir / "report.html"
    path.write_text(document_html(document), encoding="utf-8")
    return path


def measure(command: list[str]) -> tuple[float, int]:
    """Wall time and peak resident memory of the whole process tree, sampled every 10 ms."""
    start = time.perf_counter()
    process = psutil.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while process.poll() is None:
        try:
            tree = [process, *process.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.01)
    elapsed = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"{command[0]} failed with exit code {process.returncode}")
    return elapsed, peak


def pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)


def warm_weasyprint(html: str, runs: int) -> tuple[list[float], list[float]]:
    """The portal's case: a server process that has rendered before renders again. Tagged (what
    the portal writes) and untagged, alternating: the cost of tagging."""
    from django.conf import settings

    from disclosures.renderers.weasy import pdf_write

    base = str(settings.BASE_DIR)
    pdf_write(html, base)
    tagged, untagged = [], []
    for _ in range(runs):
        for tags, times in ((True, tagged), (False, untagged)):
            start = time.perf_counter()
            pdf_write(html, base, tags=tags)
            times.append(time.perf_counter() - start)
    return tagged, untagged


def warm_chromium(html: Path, runs: int) -> list[float]:
    """Chromium's best case: the browser kept running (Playwright), a new page for each print."""
    from playwright.sync_api import sync_playwright

    flags = [f for f in CHROMIUM_FLAGS if f != "--headless"]
    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=flags, headless=True)
        for i in range(runs + 1):
            start = time.perf_counter()
            page = browser.new_page()
            page.goto(html.as_uri())
            page.pdf(prefer_css_page_size=True)
            page.close()
            if i:  # the first print warms the browser up
                times.append(time.perf_counter() - start)
        browser.close()
    return times


def runs_line(label: str, times: list[float]) -> str:
    return f"  {label:<26}: {', '.join(f'{t:.2f}' for t in times)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        html = seed_html(workdir)
        weasy_pdf, chrome_pdf = workdir / "weasyprint.pdf", workdir / "chromium.pdf"
        weasy, chrome = [], []
        for _ in range(args.runs):
            weasy.append(
                measure(
                    [sys.executable, "-c", WEASYPRINT_COLD, str(html), str(weasy_pdf), str(ROOT)]
                )
            )
            chrome.append(
                measure(
                    [
                        CHROMIUM,
                        *CHROMIUM_FLAGS,
                        "--no-pdf-header-footer",
                        f"--print-to-pdf={chrome_pdf}",
                        html.as_uri(),
                    ]
                )
            )
        weasy_warm, weasy_untagged = warm_weasyprint(html.read_text(encoding="utf-8"), args.runs)
        chrome_warm = warm_chromium(html, args.runs)

        median = statistics.median
        w_time, c_time = median(t for t, _ in weasy), median(t for t, _ in chrome)
        w_mem, c_mem = max(m for _, m in weasy), max(m for _, m in chrome)
        w_warm, c_warm = median(weasy_warm), median(chrome_warm)
        w_untagged = median(weasy_untagged)
        mib = 1024 * 1024
        print(
            f"bench/pdf: the seed report ({html.stat().st_size:,} bytes of HTML) on "
            f"Python {sys.version.split()[0]}, {args.runs} runs each, medians"
        )
        print("  cold: a new process for each PDF")
        print(
            f"    WeasyPrint (portal's writer): {w_time:5.2f} s  peak {w_mem / mib:6.1f} MiB  "
            f"{pages(weasy_pdf)} pages  {weasy_pdf.stat().st_size:,} bytes"
        )
        print(
            f"    Chromium --print-to-pdf     : {c_time:5.2f} s  peak {c_mem / mib:6.1f} MiB  "
            f"{pages(chrome_pdf)} pages  {chrome_pdf.stat().st_size:,} bytes"
        )
        print(f"    ratio WeasyPrint/Chromium   : {w_time / c_time:5.2f}  (target <= 0.80)")
        print(f"    memory ratio                : {w_mem / c_mem:5.2f}")
        print("  warm: a process that has rendered before")
        print(f"    WeasyPrint in the server process     : {w_warm:5.2f} s")
        print(f"    Chromium kept running (Playwright)   : {c_warm:5.2f} s")
        print(f"    ratio WeasyPrint/Chromium            : {w_warm / c_warm:5.2f}")
        print("  tagging (PDF/UA structure), WeasyPrint warm, alternating")
        print(f"    tagged                               : {w_warm:5.2f} s")
        print(f"    untagged                             : {w_untagged:5.2f} s")
        print(f"    ratio tagged/untagged                : {w_warm / w_untagged:5.2f}")
        print("  every run, in seconds")
        print(runs_line("WeasyPrint cold", [t for t, _ in weasy]))
        print(runs_line("Chromium cold", [t for t, _ in chrome]))
        print(runs_line("WeasyPrint warm", weasy_warm))
        print(runs_line("WeasyPrint warm untagged", weasy_untagged))
        print(runs_line("Chromium warm", chrome_warm))


if __name__ == "__main__":
    main()
