"""Reading an uploaded spreadsheet within bounds: the one reader the three imports share (a
report's workbook, its self-evaluations, a year's code list).

An upload is checked before it is read, and read before it is trusted: its size first (from the
upload, not its bytes), then the zip's members by their declared sizes (a 354 KB zip bomb once
took 983 MB), then each sheet row by row in openpyxl's streaming mode with the rows and columns
capped while reading. A sheet's declared dimension (`A1:XFD1048576` in 48 KB) is ignored: it made
openpyxl pad every row to 16,384 cells. Malformed XML, entity expansion and external entities are
refused by the parser and answered here as a corrupt file. Each import has a time budget. Every
text cell comes back cleaned (`plaintext.text_clean`).

Raises WorkbookRefused, with a Chinese message and a code, for a file that cannot be read.
"""

import io
import time
import zipfile

from openpyxl import load_workbook

from .plaintext import value_clean

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 100  # the widest sheet the portal writes has 19 columns
MAX_UNPACKED = 100 * 1024 * 1024  # all members of the zip, as they declare themselves unpacked
# One member unpacked: a sheet of 5,000 rows × 100 columns of figures is about 20 MB; the parser
# holds a run of text between two tags whole (95 MB of blanks took 219 MB, bench/uploads).
MAX_MEMBER = 40 * 1024 * 1024
MAX_SECONDS = 20.0  # one import, both readings of a workbook together (the server allows 30)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED = "EncryptionInfo".encode("utf-16-le")

Rows = list[list]


class WorkbookRefused(Exception):
    """The whole file cannot be read: a Chinese message and a code."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


def size_check(size: int) -> None:
    """Refuses an upload over MAX_BYTES, before a byte of it is read."""
    if size > MAX_BYTES:
        raise WorkbookRefused(
            f"文件有 {size / 1024 / 1024:.1f} MB，超过 {MAX_BYTES // 1024 // 1024} MB 的上限。",
            "too_large",
        )


def upload_read(upload) -> bytes:
    """An uploaded file's bytes, its size checked first."""
    size_check(upload.size)
    return upload.read(MAX_BYTES + 1)


class Deadline:
    """The time one import may take; `check` refuses once it has run out."""

    def __init__(self, seconds: float = MAX_SECONDS):
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.end:
            raise WorkbookRefused(
                f"文件读取超过 {self.seconds:.0f} 秒，已停止：请删去多余的工作表、行和列后再上传。",
                "too_slow",
            )


def _zip_check(content: bytes) -> None:
    try:
        members = zipfile.ZipFile(io.BytesIO(content)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise WorkbookRefused(
            f"文件已损坏，无法作为工作簿读取（{type(error).__name__}）。", "corrupt"
        ) from error
    unpacked = sum(m.file_size for m in members)
    largest = max(members, key=lambda m: m.file_size, default=None)
    if largest is not None and largest.file_size > MAX_MEMBER:
        raise WorkbookRefused(
            f"工作簿中的 {largest.filename} 解压后有 {largest.file_size / 1024 / 1024:.0f} MB，"
            f"超过 {MAX_MEMBER // 1024 // 1024} MB 的上限。",
            "too_large_unpacked",
        )
    if unpacked > MAX_UNPACKED:
        raise WorkbookRefused(
            f"工作簿解压后有 {unpacked / 1024 / 1024:.0f} MB，超过 "
            f"{MAX_UNPACKED // 1024 // 1024} MB 的上限。",
            "too_large_unpacked",
        )


def workbook_kind_check(content: bytes) -> None:
    """Refuses what is not an .xlsx workbook, saying what it is (an old .xls, a password)."""
    size_check(len(content))
    if content.startswith(OLE_MAGIC):
        if ENCRYPTED in content:
            raise WorkbookRefused(
                "工作簿设置了打开密码，请在 Excel 中取消密码后再上传。", "encrypted"
            )
        raise WorkbookRefused(
            "这是旧版 Excel（.xls）文件，请在 Excel 中“另存为”Excel 工作簿（.xlsx）后再上传。",
            "xls",
        )
    if not content.startswith(b"PK"):
        raise WorkbookRefused("这不是 Excel 工作簿（.xlsx）文件。", "not_workbook")
    _zip_check(content)


def _sheet_rows(ws, deadline: Deadline) -> Rows:
    ws.reset_dimensions()  # the declared dimension is the file's word, not its content
    rows: Rows = []
    kept = 0  # rows up to the last one with a value
    for number, row in enumerate(ws.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True), 1):
        if number % 500 == 0:
            deadline.check()
        if len(row) > MAX_COLUMNS and row[MAX_COLUMNS] is not None:
            raise WorkbookRefused(
                f"工作表“{ws.title}”第 {number} 行超过 {MAX_COLUMNS} 列的上限。",
                "too_many_columns",
            )
        values = [value_clean(v) for v in row[:MAX_COLUMNS]]
        while values and values[-1] is None:
            values.pop()
        if values:
            if number > MAX_ROWS:
                raise WorkbookRefused(
                    f"工作表“{ws.title}”超过 {MAX_ROWS:,} 行的上限。", "too_many_rows"
                )
            rows.extend([] for _ in range(number - 1 - len(rows)))
            rows.append(values)
            kept = number
    del rows[kept:]
    return rows


def workbook_sheets(
    content: bytes, *, formulas: bool = False, deadline: Deadline | None = None
) -> dict[str, Rows]:
    """Each sheet's rows (lists of cell values, trailing blanks dropped), by title in the
    workbook's order: the cached values, or with `formulas` the formulas behind them."""
    workbook_kind_check(content)
    deadline = deadline or Deadline()
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=not formulas)
    except Exception as error:
        raise WorkbookRefused(
            f"文件已损坏，无法作为工作簿读取（{type(error).__name__}）。", "corrupt"
        ) from error
    try:
        return {ws.title: _sheet_rows(ws, deadline) for ws in book.worksheets}
    except WorkbookRefused:
        raise
    except Exception as error:
        raise WorkbookRefused(
            f"文件已损坏，无法作为工作簿读取（{type(error).__name__}）。", "corrupt"
        ) from error
    finally:
        book.close()
