"""bench/entry: the staff side's two costs — reading a workbook, and the checks rerun on each save.

    .venv/bin/python bench/entry.py [--runs N] [--items 2000]

In a throw-away SQLite database, in one run, N times each (medians):
  - import: the seed report's workbook (staff download, 8 项 rows) read and previewed into an
    empty draft, then the same for a synthetic report with 2,000 项 rows; printed with the
    ratio and the cost per 项 row;
  - checks: every rule over the seed report, against filling its ten tables alone (the checks
    fill them too), with the ratio; and a whole entry-form save, which reruns the checks;
  - uploads: the peak memory of reading each hostile upload (bench/uploads.py).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(workdir: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def timed(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def big_report(items: int):
    """A department whose report has `items` 项 rows, general-budget income and spending on each."""
    from disclosures.models import ClassificationCode, Department, Fact, Region, ReportRow
    from disclosures.services import report_create

    year = 2023
    codes = []
    for n in range(items):
        category = 201 + n // 400
        section = f"{category}{(n // 20) % 20 + 1:02d}"
        codes.append((f"{category}", f"{section}", f"{section}{n % 20 + 1:02d}"))
    entries = {}
    for category, section, item in codes:
        entries[category] = ("类", f"测试类{category}")
        entries[section] = ("款", f"测试款{section}")
        entries[item] = ("项", f"测试项{item}")
    ClassificationCode.objects.bulk_create(
        ClassificationCode(year=year, kind="functional", code=c, name=name, level=level, order=i)
        for i, (c, (level, name)) in enumerate(sorted(entries.items()))
    )
    for source in ClassificationCode.objects.filter(year=2022, kind="economic"):
        source.pk, source.year = None, year
        source.save()
    region = Region.objects.create(name="测试县", level="county")
    departments = [
        Department.objects.create(
            region=region, code=f"09900{i}", name=f"测试局{i}", nature="行政单位"
        )
        for i in range(2)
    ]
    full = report_create(department=departments[0], year=year)
    facts = []
    for n, (_, _, item) in enumerate(codes):
        amount = Decimal(1000 + n)
        facts += [
            Fact(report=full, measure="income", code=item, source="general", amount=amount),
            Fact(
                report=full,
                measure="expense",
                code=item,
                source="general",
                nature="basic",
                amount=amount,
            ),
        ]
    Fact.objects.bulk_create(facts)
    ReportRow.objects.bulk_create(ReportRow(report=full, code=item) for _, _, item in codes)
    empty = report_create(department=departments[1], year=year)
    return full, empty


def workbook_of(report) -> bytes:
    from disclosures.renderers.excel import workbook
    from disclosures.selectors import report_draft_document_get, report_item_codes

    document = report_draft_document_get(pk=report.pk)
    return workbook(document, document.tables, supplements=report_item_codes(report=report))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--items", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup(Path(tmp))
        from disclosures.checks import report_check
        from disclosures.engine import report_fill
        from disclosures.selectors import (
            report_data_get,
            report_entry_form,
            report_tables,
            report_template,
        )
        from disclosures.services import demo_load, entry_save, import_preview, report_create

        seed = demo_load(publish=False)
        seed_book = workbook_of(seed)
        seed_empty = report_create(department=seed.department.supervisor, year=2022)
        full, empty = big_report(args.items)
        big_book = workbook_of(full)

        def preview(report, content):
            return lambda: import_preview(
                report=report, content=content, filename="b.xlsx", user=None
            )

        seed_time, seed_batch = timed(preview(seed_empty, seed_book), args.runs)
        big_time, big_batch = timed(preview(empty, big_book), max(1, args.runs // 2))
        assert not any(p[3] == "error" for p in seed_batch.problems), seed_batch.problems
        assert not any(p[3] == "error" for p in big_batch.problems), big_batch.problems[:3]

        data = report_data_get(report=seed)
        template = report_template(seed)
        fill_time, _tables = timed(lambda: report_fill(template.tables, data), args.runs * 4)
        check_time, findings = timed(
            lambda: report_check(data, report_tables(report=seed, data=data), template=template),
            args.runs * 4,
        )
        form = report_entry_form(report=seed, key="05")
        posted = {c.name: str(c.value or "") for c in form.inputs}

        def save():
            entry_save(report=seed, form=form, posted=posted)
            d = report_data_get(report=seed)
            return report_check(d, report_tables(report=seed, data=d), template=template)

        save_time, _ = timed(save, args.runs)

    rows = args.items
    print(f"bench/entry: {args.runs} runs each, medians")
    print("  import (read, solve, preview) into an empty draft")
    print(
        f"    seed workbook ({len(seed_book):,} bytes, 8 项 rows)   : {seed_time * 1000:8.1f} ms"
        f"  {len(seed_batch.changes)} changes"
    )
    print(
        f"    {rows:,} 项 rows ({len(big_book):,} bytes)         : {big_time * 1000:8.1f} ms"
        f"  {len(big_batch.changes)} changes"
    )
    print(
        f"    ratio {rows:,} rows / seed                  : {big_time / seed_time:8.1f}"
        f"   ({big_time / rows * 1000:.2f} ms per 项 row)"
    )
    print("  checks on the seed report")
    print(f"    fill the ten tables                      : {fill_time * 1000:8.2f} ms")
    print(
        f"    every rule (fills them too)              : {check_time * 1000:8.2f} ms"
        f"  {len(findings)} findings"
    )
    print(f"    ratio checks / fill                      : {check_time / fill_time:8.1f}")
    print(f"    an entry-form save with its checks       : {save_time * 1000:8.1f} ms")
    # The hostile uploads' peak memory (bench/uploads.py, beside this file).
    import uploads

    uploads.main()


if __name__ == "__main__":
    main()
