"""The PDF writer's speed-ups change how WeasyPrint is loaded and run, never what it draws."""

import ctypes.util
import gc
import io
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from pypdf import PdfReader

from disclosures.renderers import weasy

# The names WeasyPrint 70 tries, in its order (weasyprint/text/ffi.py), for each library.
WEASYPRINT_NAMES = {
    "gobject": ("libgobject-2.0-0", "gobject-2.0-0", "gobject-2.0"),
    "pango": ("libpango-1.0-0", "pango-1.0-0", "pango-1.0"),
    "harfbuzz": ("libharfbuzz-0", "harfbuzz"),
    "harfbuzz-subset": ("libharfbuzz-subset-0", "harfbuzz-subset"),
    "fontconfig": ("libfontconfig-1", "fontconfig-1", "fontconfig"),
    "pangoft2": ("libpangoft2-1.0-0", "pangoft2-1.0-0", "pangoft2-1.0"),
}

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ldconfig is Linux")


@linux_only
def test_cached_lookup_answers_as_ctypes_does():
    sonames = weasy._ldconfig_sonames()
    assert sonames, "ldconfig -p listed nothing"
    find = weasy._cached_find_library(sonames)
    for names in WEASYPRINT_NAMES.values():
        for name in names:
            assert find(name) == ctypes.util.find_library(name), name
    # The Windows-style names miss, the Linux ones hit: the point of the cache is that a miss
    # costs a list scan, not three subprocesses.
    assert find("libgobject-2.0-0") is None
    assert find("gobject-2.0") == "libgobject-2.0.so.0"


def test_loading_restores_find_library():
    original = ctypes.util.find_library
    weasy.weasyprint.cache_clear()
    module = weasy.weasyprint()
    assert module.__name__ == "weasyprint"
    assert ctypes.util.find_library is original
    assert weasy.weasyprint() is module  # imported once per process


def test_without_ldconfig_the_lookup_is_left_alone(monkeypatch):
    monkeypatch.setattr(weasy, "_ldconfig_sonames", lambda: None)
    original = ctypes.util.find_library
    with weasy._quick_library_lookup():
        assert ctypes.util.find_library is original


@pytest.mark.parametrize("was_enabled", [True, False])
def test_gc_paused_restores_the_collector(was_enabled):
    (gc.enable if was_enabled else gc.disable)()
    try:
        with pytest.raises(RuntimeError), weasy.gc_paused():
            assert not gc.isenabled()
            raise RuntimeError("a render that fails")
        assert gc.isenabled() is was_enabled
    finally:
        gc.enable()


def test_pdf_write_renders_and_leaves_the_collector_on():
    assert gc.isenabled()
    pdf = weasy.pdf_write("<title>试</title><p>第一部分 概况 5,939,150.00</p>", base_url=".")
    assert gc.isenabled()
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    assert "5,939,150.00" in reader.pages[0].extract_text()


@linux_only
def test_loading_weasyprint_runs_ldconfig_once_and_no_compiler():
    """In a fresh process: the programs started while WeasyPrint loads (Python's audit hook)."""
    script = (
        "import sys\n"
        "started = []\n"
        "sys.addaudithook(lambda event, args: event == 'subprocess.Popen'"
        " and started.append(str(args[1][0])))\n"
        "from disclosures.renderers.weasy import weasyprint\n"
        "weasyprint()\n"
        "print(','.join(started))\n"
    )
    root = str(Path(__file__).resolve().parents[2])
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out.split(",") == ["/sbin/ldconfig"]


def test_weasyprint_is_loaded_with_its_objects_frozen_and_pdf_streams_at_level_6():
    import pydyf

    weasy.weasyprint()
    assert gc.get_freeze_count() > 0
    assert isinstance(pydyf.zlib, weasy.Level6Zlib)
    data = "收入支出决算总表 5,939,150.00\n".encode() * 400
    deflate = pydyf.zlib.compressobj(level=9)
    assert deflate.compress(data) + deflate.flush() == zlib.compress(data, 6)
    assert pydyf.zlib.decompress(zlib.compress(data)) == data  # the rest is zlib's own


def test_lean_sheet_leaves_out_only_the_rules_of_features_a_document_does_not_use():
    stock = weasy.weasyprint().html.UA
    bare = weasy.lean_user_agent_css(stock, frozenset())
    for rule in (
        "::footnote-call {",
        "::note-callback {",
        "@footnote ",
        "@note-area ",
        "@top-left ",
    ):
        assert rule in stock and rule not in bare
    assert "\nli::marker, summary::marker {" in bare and "\n::marker {" not in bare
    assert "@counter-style" not in bare  # already in WeasyPrint's shared set
    assert "td, th, td[hidden], th[hidden] { display: table-cell }" in bare  # the rest is kept
    used = frozenset({"footnote", "note", "@top-left", "list-item"})
    kept = weasy.lean_user_agent_css(stock, used)
    for rule in (
        "::footnote-call {",
        "::note-callback {",
        "@footnote ",
        "@top-left ",
        "\n::marker {",
    ):
        assert rule in kept
    assert "@top-left-corner " not in kept and "@bottom-center " not in kept


def test_features_used_reads_the_document_and_gives_up_on_css_it_cannot_see():
    html = (
        "<style>@page { @top-left { content: '页眉' } @top-left-corner { content: none } }"
        ".n { float: footnote } .i { display: list-item }</style><p class=table-note>注</p>"
    )
    assert weasy.features_used(html) == {"@top-left", "@top-left-corner", "footnote", "list-item"}
    assert weasy.features_used("<p class='table-note'>@top-leftover</p>") == frozenset()
    assert weasy.features_used('<link rel="stylesheet" href="x.css"><p>') is None
    assert weasy.features_used("<style>@import url(x.css);</style>") is None


def test_a_changed_weasyprint_sheet_falls_back_to_the_stock_one(monkeypatch):
    wp = weasy.weasyprint()
    with pytest.raises(ValueError, match="changed"):
        weasy.lean_user_agent_css(
            wp.html.UA.replace("::note-call {", "::note-call2 {"), frozenset()
        )
    monkeypatch.setattr(wp.html, "UA", wp.html.UA.replace("\n::marker {", "\n:marker {"))
    weasy.lean_sheet.cache_clear()
    try:
        assert weasy.lean_sheet(frozenset()) is None
        pdf = weasy.pdf_write("<title>试</title><ul><li>一项</li></ul>", base_url=".")
        assert "一项" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    finally:
        weasy.lean_sheet.cache_clear()


def test_documents_that_use_notes_margin_boxes_and_list_items_draw_as_with_the_stock_sheet():
    html = (
        '<html lang="zh"><style>@page { size: A6; @top-left { content: "页眉" } '
        "@bottom-right { content: counter(page) } }"
        ".fn { float: footnote } .item { display: list-item; margin-left: 2em }</style>"
        "<ol><li>第一项</li><li>第二项</li></ol><div class=item>另一项</div>"
        "<p>正文<span class=fn>脚注的文字</span>继续</p></html>"
    )
    lean = weasy.pdf_write(html, base_url=".")
    stock = weasy.pdf_write(html, base_url=".", lean=False)
    text = PdfReader(io.BytesIO(lean)).pages[0].extract_text()
    for shown in ("页眉", "1.", "2.", "脚注的文字", "另一项"):
        assert shown in text, shown
    assert text == PdfReader(io.BytesIO(stock)).pages[0].extract_text()
    assert lean.count(b"/Type /Page\n") == stock.count(b"/Type /Page\n")


@pytest.mark.parametrize(
    "html",
    [
        "<html><body><p>第一段<br>第二段</p></body></html>",  # HTML, not XML
        "<html><body><p>一段</p><p>\x0b</p></body></html>",  # a control character XML forbids
        "<html><body><p>&nbsp;一段</p></body></html>",  # an HTML entity
        '<html><head><base href="file:///tmp/"/></head><body><p>一段</p></body></html>',
        '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>一段</p></body></html>',
    ],
)
def test_what_the_xml_parser_cannot_read_as_weasyprint_would_goes_to_weasyprints(html):
    assert weasy.xml_tree(html) is None
    html = html.replace("<html", '<html lang="zh-CN"', 1)
    pdf = weasy.pdf_write(html, base_url=".")
    assert "一段" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_a_well_formed_document_is_read_by_the_xml_parser_and_drawn_the_same():
    html = (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"/><title>试</title>'
        "<style>/*<![CDATA[*/ td > b { color: red } /*]]>*/</style></head><body>"
        "<table><tr><td><b>收入</b></td><td>5,939,150.00</td></tr></table><p>甲&amp;乙<br/>丙</p>"
        "</body></html>"
    )
    root = weasy.xml_tree(html)
    assert root is not None and [e.tag for e in root.iter("td")] == ["td", "td"]
    fast, stock = weasy.pdf_write(html, "."), weasy.pdf_write(html, ".", lean=False)
    text = PdfReader(io.BytesIO(fast)).pages[0].extract_text()
    assert "甲&乙" in text and "5,939,150.00" in text
    assert text == PdfReader(io.BytesIO(stock)).pages[0].extract_text()
