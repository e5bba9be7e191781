"""The workbook prints like the PDF: converted by LibreOffice (headless, Debian's
libreoffice-calc-nogui) to PDF, each table's sheet fits one page width — its first column and its
last on the same page — in the orientation its measured width asks for, with no header or label
wrapped so that one character stands alone on a line."""

import io
import subprocess
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from disclosures.renderers.excel import report_xlsx
from disclosures.renderers.layout import table_layout
from disclosures.selectors import report_document_get

pytestmark = pytest.mark.django_db
SOFFICE = "/usr/bin/soffice"


def test_each_table_prints_on_one_page_width(demo_report, tmp_path):
    document = report_document_get(department_code="021001", year=2022)
    workbook = tmp_path / "report.xlsx"
    workbook.write_bytes(report_xlsx(document))
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(workbook),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    reader = PdfReader(io.BytesIO((tmp_path / "report.pdf").read_bytes()))
    texts = [page.extract_text() or "" for page in reader.pages]
    artifacts = Path(__file__).resolve().parents[2] / "test-artifacts" / "xlsx"
    artifacts.mkdir(parents=True, exist_ok=True)
    (artifacts / "report-libreoffice.pdf").write_bytes((tmp_path / "report.pdf").read_bytes())
    for table in document.tables:
        first = next(i for i, t in enumerate(texts) if table.title in t and table.caption in t)
        page = reader.pages[first]
        text = texts[first]
        # The title line's two ends: 部门名称 (first column) and 金额单位 (last column).
        assert f"{table.definition.entity_label}：" in text, table.number
        assert f"{table.definition.unit_label}：{table.unit}" in text, table.number
        landscape = float(page.mediabox.width) > float(page.mediabox.height)
        assert landscape == table_layout(table).landscape, table.number

    # Every wrapped cell as LibreOffice set it: no line of one character ("功能分类科目编/码").
    wrapped, alone = 0, []
    with pdfplumber.open(tmp_path / "report.pdf") as pdf:
        for number, page in enumerate(pdf.pages, 1):
            for grid in page.extract_tables():
                for cell in (c for row in grid for c in row if c and "\n" in c):
                    wrapped += 1
                    if any(len(line.strip()) == 1 for line in cell.split("\n")):
                        alone.append((number, cell))
    assert wrapped >= 10 and alone == []
