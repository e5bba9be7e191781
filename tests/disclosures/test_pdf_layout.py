"""The PDF as a reader holds it, read back with pdfplumber (positions, font sizes, line order)
and pypdf (structure): nothing below 9 pt, no header or label with one character alone on a line,
orientation by a rule on each table's width, contents with page numbers, no heading stranded at a
page foot, 注 before 说明, rows with height, the seed's own wording, a tagged PDF. Page images of
the whole report and of each single table go to test-artifacts/pdf/ for a person to look at."""

import io
import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pypdfium2
import pytest
from django.conf import settings
from django.db import connection, transaction
from pypdf import PdfReader

from disclosures.fonts import fonts_build
from disclosures.renderers.layout import (
    LANDSCAPE_PT,
    PORTRAIT_PT,
    lines_at,
    table_bands,
    table_layout,
    wrap_em,
)
from disclosures.renderers.pdf import document_html, report_pdf, table_pdf
from disclosures.renderers.weasy import pdf_write, xml_tree
from disclosures.selectors import report_document_get
from disclosures.services import demo_load

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "pdf"


@pytest.fixture(scope="module")
def seed(django_db_setup, django_db_blocker):
    """The seed's PDF and each table's own PDF, made once; page images written for people."""
    fonts_build()
    with django_db_blocker.unblock(), transaction.atomic():
        demo_load()
        document = report_document_get(department_code="021001", year=2022)
        files = {
            "document": document,
            "html": document_html(document),
            "pdf": report_pdf(document),
            "tables": {t.number: table_pdf(document, t) for t in document.tables},
        }
        transaction.set_rollback(True)
    connection.close()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    images = [("report", files["pdf"])] + [(f"table{n}", pdf) for n, pdf in files["tables"].items()]
    for name, pdf in images:
        document = pypdfium2.PdfDocument(pdf)
        for i in range(len(document)):
            document[i].render(scale=1.5).to_pil().save(ARTIFACTS / f"{name}-p{i + 1:02d}.png")
        document.close()
    return files


def lines_of(chars: list[dict], tolerance: float = 2.0) -> list[list[dict]]:
    """Characters grouped into lines by their top, top to bottom, each line left to right."""
    lines: list[list[dict]] = []
    for ch in sorted(chars, key=lambda c: (round(c["top"]), c["x0"])):
        if lines and abs(lines[-1][0]["top"] - ch["top"]) <= tolerance:
            lines[-1].append(ch)
        else:
            lines.append([ch])
    return [sorted(line, key=lambda c: c["x0"]) for line in lines]


def chars_in(page, bbox) -> list[dict]:
    """The characters whose centre lies in the box (a glyph's box can overlap the next cell)."""
    x0, top, x1, bottom = bbox
    return [
        c
        for c in page.chars
        if x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and top <= (c["top"] + c["bottom"]) / 2 <= bottom
    ]


def text_of(line: list[dict]) -> str:
    return "".join(c["text"] for c in line).strip()


def test_nothing_prints_below_nine_points(seed):
    for name, pdf in [("report", seed["pdf"]), *seed["tables"].items()]:
        with pdfplumber.open(io.BytesIO(pdf)) as doc:
            sizes = [c["size"] for page in doc.pages for c in page.chars if c["text"].strip()]
        assert min(sizes) >= 8.95, (name, min(sizes))


def orphans(pdf: bytes) -> tuple[int, int, list]:
    """(cells with text, cells whose text wraps, wrapped cells with a line of one character)."""
    cells = wrapped = 0
    failures = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for number, page in enumerate(doc.pages, start=1):
            for table in page.find_tables():
                for cell in (c for row in table.rows for c in row.cells if c):
                    lines = lines_of(chars_in(page, cell))
                    cells += bool(lines)
                    if len(lines) < 2:
                        continue
                    wrapped += 1
                    texts = [text_of(line) for line in lines]
                    if any(len(t) == 1 for t in texts):
                        failures.append((number, "/".join(texts)))
    return cells, wrapped, failures


def test_no_header_or_label_line_holds_one_character_alone(seed):
    cells, wrapped, failures = orphans(seed["pdf"])
    print(f"\nreport: {cells} cells with text, {wrapped} wrapped")
    assert cells > 1000 and failures == []


def test_long_labels_wrap_without_a_character_alone(seed):
    """Labels too long for their column wrap, each line two characters or more."""
    document = seed["document"]
    table = document.table("05")
    labels = [
        "一般公共服务支出（类）工会事务（款）行政运行（项）合计",
        "住房保障支出其他住房改革支出补充",
    ]
    long = replace(
        table,
        body=[
            [replace(c, value=labels[n % 2] * 2) if c.kind == "label" else c for c in row]
            for n, row in enumerate(table.body)
        ],
    )
    cells, wrapped, failures = orphans(table_pdf(document, long))
    print(f"\nlong labels: {cells} cells, {wrapped} wrapped")
    assert wrapped >= 5 and failures == []


def test_wide_tables_are_landscape_by_their_measured_width(seed):
    document = seed["document"]
    with pdfplumber.open(io.BytesIO(seed["pdf"])) as doc:
        pages = {}
        for page in doc.pages:
            for caption in re.findall(r"公开(\d\d)表(?!（续）)", page.extract_text() or ""):
                pages.setdefault(caption, page)
    for table in document.tables:
        for band in table_bands(table):
            layout = table_layout(band)
            assert layout.fits, (table.number, band.band)
        page = pages[table.number]
        first = table_bands(table)[0]
        assert (page.width > page.height) == table_layout(first).landscape, table.number
    # The rule, not the table.
    fund = document.table("08")
    assert not table_layout(fund).landscape
    # The same 08 with the amounts of a province's fund (hundreds of billions) is measured wider
    # than a portrait line and turns landscape.
    big = Decimal("123456789012.34")
    widened = replace(
        fund,
        body=[
            [replace(c, value=big) if c.kind == "amount" else c for c in row] for row in fund.body
        ],
    )
    assert table_layout(widened).natural_pt > PORTRAIT_PT
    assert table_layout(widened).landscape
    # 06: sixteen columns cannot stand at 9 pt on one page; it prints in bands of its groups.
    bands = table_bands(document.table("06"))
    assert len(bands) == 2 and bands[1].caption == "公开06表（续）"
    assert [b.last_band for b in bands] == [False, True]
    assert all(table_layout(b).fitted_pt <= LANDSCAPE_PT + 1 for b in bands)


def test_wrapping_never_leaves_one_character_on_a_line():
    for text in (
        "科目编码",
        "其中：基本支出",
        "行次",
        "机关事业单位基本养老保险缴费",
        "年初预算数",
    ):
        for lines in (2, 3):
            width = wrap_em(text, lines)
            wrapped = lines_at(text, width)
            assert len(wrapped) <= lines and all(len(line) > 1 for line in wrapped), (text, wrapped)
    assert lines_at("行次", wrap_em("行次", 3)) == ["行次"]


def test_contents_give_each_parts_page(seed):
    texts = [p.extract_text() for p in PdfReader(io.BytesIO(seed["pdf"])).pages]
    contents = [line for line in texts[0].splitlines() if line.startswith("第")]
    assert len(contents) == 5
    for line in contents:
        match = re.fullmatch(r"(第.部分 .+?)[.\s]*(\d+)", line)
        assert match, line
        heading, page = match.group(1).strip(), int(match.group(2))
        first = next(i for i, t in enumerate(texts[1:], start=2) if heading in t.splitlines())
        assert page == first, (heading, page, first)


def test_no_heading_is_stranded_at_a_page_foot(seed):
    with pdfplumber.open(io.BytesIO(seed["pdf"])) as doc:
        for number, page in enumerate(doc.pages, start=1):
            body = [
                line
                for line in lines_of(page.chars)
                if 40 < line[0]["top"] < page.height - 45  # the running header and page number
            ]
            if not body:
                continue
            last = body[-1]
            heading = all("Sans" in c["fontname"] for c in last) and last[0]["size"] >= 10.4
            assert not heading, (number, text_of(last))


def test_empty_tables_print_their_note_first_and_rows_with_height(seed):
    with pdfplumber.open(io.BytesIO(seed["tables"]["07"])) as doc:
        page = doc.pages[0]
        lines = [text_of(line) for line in lines_of(page.chars)]
        note = next(i for i, t in enumerate(lines) if t.startswith("注"))
        empty = next(i for i, t in enumerate(lines) if t.startswith("说明：本表无数据"))
        assert note < empty
        (table,) = page.find_tables()
        heights = [row.bbox[3] - row.bbox[1] for row in table.rows]
        assert min(heights) >= 10, heights


def test_each_part_of_table_10_has_its_own_header_as_the_seed_prints_it(seed):
    with pdfplumber.open(io.BytesIO(seed["tables"]["10"])) as doc:
        lines = [text_of(line) for page in doc.pages for line in lines_of(page.chars)]
    start = lines.index("一、政府采购情况")
    assert lines[start + 1 : start + 3] == ["项目行次采购金额", "合计1"]
    second = lines.index("二、机关运行经费")
    assert lines[second + 1 : second + 3] == ["项目行次统计数", "（一）行政单位5235,594.00"]
    third = lines.index("三、国有资产占用情况")
    assert lines[third + 1] == "（一）车辆数合计（辆）71"
    assert not any("金额（数量）" in line for line in lines)
    assert start < second < third


def test_the_seeds_own_wording_is_kept(seed):
    text = re.sub(
        r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(seed["pdf"])).pages)
    )
    organisation = seed["document"].profile.organisation
    assert "三部一室" in organisation and re.sub(r"\s+", "", organisation) in text
    assert "一、财政拨款收入：" in text and "二、事业收入：" in text
    assert "1、财政拨款收入" not in text


def test_the_pdf_is_tagged_with_its_tables_and_language(seed):
    reader = PdfReader(io.BytesIO(seed["pdf"]))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "zh-CN" and root["/MarkInfo"]["/Marked"]
    found: dict[str, int] = {}

    def walk(node):
        node = node.get_object()
        if hasattr(node, "get"):
            kind = node.get("/S")
            if kind:
                found[str(kind)] = found.get(str(kind), 0) + 1
            kids = node.get("/K")
            for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
                if hasattr(kid, "get_object"):
                    walk(kid)

    walk(root["/StructTreeRoot"])
    document = seed["document"]
    bands = sum(len(table_bands(t)) for t in document.tables)
    evaluation_tables = sum(
        bool(ev.funding.all()) + bool(ev.indicators.all()) for ev in document.evaluations
    )
    text_items = 1 if document.text_items else 0
    # Every printed table is tagged a table (one that runs over a page break may be tagged as
    # two), each with its header row.
    assert found["/Table"] >= bands + evaluation_tables + text_items
    assert found["/THead"] >= bands + evaluation_tables
    assert found["/TH"] > 100 and found["/TD"] > 500 and found["/H2"] == 5


def test_each_table_on_its_own_page_with_title_unit_line_and_rules(seed):
    """As a checker reads an official table: one page per table (per band of a banded one), the
    standard title, the 单位 line, ruled cells."""
    for table in seed["document"].tables:
        reader = PdfReader(io.BytesIO(seed["tables"][table.number]))
        assert len(reader.pages) == len(table_bands(table)), table.number
        with pdfplumber.open(io.BytesIO(seed["tables"][table.number])) as doc:
            for page in doc.pages:
                lines = [text_of(line) for line in lines_of(page.chars)]
                assert table.title in lines, table.number
                unit_line = next(t for t in lines if t.startswith(table.definition.entity_label))
                assert f"{table.definition.unit_label}：{table.unit}" in unit_line
                (grid,) = page.find_tables()
                assert len(grid.cells) >= 3 * len(table.column_kinds), table.number


def drawn(pdf: bytes) -> list[tuple]:
    """Everything a page draws, to the tenth of a point: each character with its font and size,
    each rule and each box."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [
            (
                [
                    (
                        c["text"],
                        c["fontname"],
                        round(c["size"], 1),
                        round(c["x0"], 1),
                        round(c["top"], 1),
                    )
                    for c in page.chars
                ],
                sorted(
                    (
                        round(o["x0"], 1),
                        round(o["top"], 1),
                        round(o["x1"], 1),
                        round(o["bottom"], 1),
                    )
                    for o in page.lines + page.rects
                ),
            )
            for page in doc.pages
        ]


def structure(pdf: bytes) -> tuple:
    """The PDF's metadata, language, outline and how many structure elements it tags."""
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]

    def tagged(node) -> int:
        node = node.get_object()
        if not isinstance(node, dict):
            return 0
        kids = node.get("/K")
        kids = kids if isinstance(kids, list) else [] if kids is None else [kids]
        return bool(node.get("/S")) + sum(tagged(kid) for kid in kids)

    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    return dict(reader.metadata), root["/Lang"], outline, tagged(root["/StructTreeRoot"])


def test_the_fast_path_draws_the_report_as_weasyprint_out_of_the_box_does(seed):
    """renderers/weasy.py reads the document with Python's XML parser and leaves out the
    user-agent rules it does not use (notes, the margin boxes it does not name, markers outside
    li). The seed report, every character and rule, its metadata, language, outline and tags,
    come out as WeasyPrint's own parser and sheet make them."""
    assert xml_tree(seed["html"]) is not None  # the template writes well-formed XML
    stock = pdf_write(seed["html"], base_url=str(settings.BASE_DIR), lean=False)
    assert structure(seed["pdf"]) == structure(stock)
    assert structure(stock)[1] == "zh-CN" and structure(stock)[3] > 4000
    lean, stock = drawn(seed["pdf"]), drawn(stock)
    assert len(lean) == len(stock) == 27
    for number, (page, same) in enumerate(zip(lean, stock, strict=True), start=1):
        assert page == same, number


def test_every_single_table_document_takes_the_fast_parser(seed):
    document = seed["document"]
    for table in document.tables:
        assert xml_tree(document_html(document, [table])) is not None, table.number
