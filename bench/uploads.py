"""bench/uploads: the peak memory and time of reading hostile uploads, against a real workbook.

    .venv/bin/python bench/uploads.py

Each file is read in a fresh process by the reader the three imports share
(`disclosures.workbooks.workbook_sheets`, values then formulas, as a report's import reads it),
and the process's peak resident memory is printed with its ratio to the same process reading a
real workbook (5,000 rows × 19 columns of figures, the largest a report could be). Target: every
hostile file under 200 MB. `bench/entry` runs this too.
"""

import io
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

ROOT = Path(__file__).resolve().parent.parent
TARGET_MB = 200

CHILD = """
import resource, sys, time
sys.path.insert(0, {root!r})
from disclosures.workbooks import Deadline, WorkbookRefused, workbook_sheets
content = open(sys.argv[1], "rb").read()
start = time.perf_counter()
try:
    deadline = Deadline()
    rows = sum(len(r) for r in workbook_sheets(content, deadline=deadline).values())
    rows += sum(len(r) for r in workbook_sheets(content, formulas=True, deadline=deadline).values())
    outcome = f"read ({{rows:,}} rows)"
except WorkbookRefused as error:
    outcome = "refused: " + error.code
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, time.perf_counter() - start,
      outcome, sep="|")
"""


def book(rows: int, cols: int) -> bytes:
    wb = Workbook()
    ws = wb.active
    for r in range(rows):
        ws.append([(r * cols + c) * 1.25 for c in range(cols)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def rewritten(content: bytes, change) -> bytes:
    """The workbook with each sheet's XML passed through `change` (bytes → bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = change(data)
            dst.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def streamed(member: str, head: bytes, chunk: bytes, count: int, tail: bytes, base: bytes):
    """`base` with `member` replaced by head + chunk × count + tail, written in pieces."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(base)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for item in src.infolist():
            if item.filename != member:
                dst.writestr(item.filename, src.read(item.filename))
        with dst.open(member, "w") as target:
            target.write(head)
            for _ in range(count):
                target.write(chunk)
            target.write(tail)
    return out.getvalue()


def three_sheets(start: bytes, base: bytes) -> bytes:
    """Three sheets of 39 MB of blanks each, 117 MB in all: over the zip's total cap."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(base)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for item in src.infolist():
            dst.writestr(item.filename, src.read(item.filename))
        for n in (2, 3, 4):
            with dst.open(f"xl/worksheets/sheet{n}.xml", "w") as target:
                target.write(start)
                for _ in range(39):
                    target.write(b" " * (1024 * 1024))
                target.write(b"</sheetData></worksheet>")
    return out.getvalue()


def files() -> dict[str, bytes]:
    small = book(3, 3)
    one_column = book(4999, 1)
    sheet = "xl/worksheets/sheet1.xml"
    start = (
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns='
        b'"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    )
    return {
        "real: 5,000 rows x 19 columns": book(5000, 19),
        "declares A1:XFD4999 (4,999 rows)": rewritten(
            one_column,
            lambda x: x.replace(b'<dimension ref="A1:A4999"', b'<dimension ref="A1:XFD4999"'),
        ),
        "declares A1:XFD1048576": rewritten(
            one_column,
            lambda x: x.replace(b'<dimension ref="A1:A4999"', b'<dimension ref="A1:XFD1048576"'),
        ),
        "a zip bomb (1 GB of blanks)": streamed(
            sheet, start, b" " * (1024 * 1024), 1024, b"</sheetData></worksheet>", small
        ),
        "a 95 MB sheet (over the member cap)": streamed(
            sheet, start, b" " * (1024 * 1024), 95, b"</sheetData></worksheet>", small
        ),
        "a 39 MB sheet of blanks (just under it)": streamed(
            sheet, start, b" " * (1024 * 1024), 39, b"</sheetData></worksheet>", small
        ),
        "three 39 MB sheets": three_sheets(start, small),
        "two million rows": streamed(
            sheet,
            start,
            b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (i, i) for i in range(1, 1001)),
            1,
            b"".join(
                b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (i, i)
                for i in range(1001, 2_000_001, 1000)
            )
            + b"</sheetData></worksheet>",
            small,
        ),
        "16,384 columns in one row": streamed(
            sheet,
            start + b'<row r="1">',
            b"".join(
                b'<c r="%s1"><v>%d</v></c>' % (get_column_letter(i).encode(), i)
                for i in range(1, 16385)
            ),
            1,
            b"</row></sheetData></worksheet>",
            small,
        ),
    }


def main() -> None:
    print("bench/uploads: one fresh process a file, peak resident memory")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, content in files().items():
            path = Path(tmp) / "upload.xlsx"
            path.write_bytes(content)
            child = CHILD.format(root=str(ROOT))
            done = subprocess.run(
                [sys.executable, "-c", child, str(path)], capture_output=True, text=True, check=True
            )
            peak, seconds, outcome = done.stdout.strip().rsplit("\n", 1)[-1].split("|")
            rows.append((name, len(content), float(peak), float(seconds), outcome))
    real = rows[0][2]
    print(f"  {'file':36} {'size':>12} {'peak':>9} {'x real':>7} {'time':>8}  outcome")
    for name, size, peak, seconds, outcome in rows:
        print(
            f"  {name:36} {size:>12,} {peak:7.0f}MB {peak / real:7.2f} {seconds:7.2f}s  {outcome}"
        )
    worst = max(r[2] for r in rows[1:])
    verdict = "met" if worst < TARGET_MB else "NOT met"
    print(f"  worst hostile file: {worst:.0f} MB (target < {TARGET_MB} MB: {verdict})")


if __name__ == "__main__":
    main()
