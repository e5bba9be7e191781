"""WeasyPrint, loaded and run the fast way. No Django here: bench/pdf runs this in a bare process.

What costs time besides the layout itself, each measured on the seed report (bench/pdf):

- Loading. WeasyPrint opens Pango, HarfBuzz and fontconfig trying the Windows DLL names first. On
  Linux every miss makes ``ctypes.util.find_library`` run ``ldconfig``, ``gcc`` and ``ld``: 54
  programs started, about 0.2 s of a 0.45 s import (Kozea/WeasyPrint#1125). While WeasyPrint loads,
  one ``ldconfig -p`` listing answers those look-ups instead, the way ctypes' own first strategy
  does; a name it does not list is a miss, and WeasyPrint goes on to the next, ending with the
  full ``.so.N`` names, which load directly.
- Garbage collection. A render allocates millions of small objects and keeps them alive until the
  PDF is written, so Python's cyclic collector scans them again and again for nothing: 15-20 % of
  the render. It is paused for the render and resumed after (about 5 MB more at the peak). What
  WeasyPrint's import leaves is frozen (``gc.freeze``): modules, classes and its own style sheets
  live as long as the process, and the collection after a render no longer walks them.
- Compression. pydyf, WeasyPrint's PDF writer, deflates every stream at zlib's level 9: 0.07 s
  of the seed report's render, for a file 1.4 % smaller than zlib's default level 6 makes
  (448 KB against 455 KB; 0.02 s). Its ``zlib`` is given level 6 (``Level6Zlib``).
- Parsing. WeasyPrint reads HTML with tinyhtml5, an HTML5 parser in pure Python: 60 ms for the
  seed report's 146 KB. The portal's PDF template writes well-formed XML (void elements closed,
  the style sheet in CDATA), which Python's own XML parser (expat, in C) reads in 2 ms into the
  same ElementTree elements. ``xml_tree`` tries that first; a document that is not well-formed
  XML (a control character in a pasted text, say) goes to tinyhtml5 as before.
- Styles nobody draws. WeasyPrint's user-agent sheet gives *every* element ``::marker``,
  ``::footnote-call``, ``::footnote-marker``, ``::note-call``, ``::note-marker`` and
  ``::note-callback`` rules, so each element gets six pseudo-element styles computed and kept
  (17,000 of the seed report's 18,000), and every page all sixteen margin boxes, the footnote
  area and the note area. A document whose own CSS never names footnotes, notes, a margin box or
  ``list-item`` draws nothing with those rules. ``lean_user_agent_css`` leaves out the rules of
  each feature the document does not name, and keeps ``::marker`` for ``li`` and ``summary``, the
  elements HTML makes list items. A document that links or imports a style sheet, which this
  module cannot read, gets the stock sheet. The seed report, and documents that do use those
  features, draw the same to the point with either sheet (tests/disclosures/test_weasy.py).
"""

from __future__ import annotations

import contextlib
import ctypes.util
import gc
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Callable, Iterator
from functools import cache
from types import ModuleType
from typing import Any

# zlib's default trade of time for size; pydyf asks for 9.
PDF_DEFLATE_LEVEL = 6


def _ldconfig_sonames() -> list[str] | None:
    """The sonames in the dynamic linker's cache for this word size, or None if it can't be read."""
    try:
        listing = subprocess.run(
            ["/sbin/ldconfig", "-p"],
            capture_output=True,
            text=True,
            env={"LC_ALL": "C", "LANG": "C"},
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    wide = sys.maxsize > 2**32
    sonames = []
    for line in listing.splitlines()[1:]:
        soname, _, rest = line.strip().partition(" (")
        flags = rest.partition(")")[0]
        if wide == any(mark in flags for mark in ("x86-64", "64bit", "IA-64", "AArch64")):
            sonames.append(soname)
    return sonames


def _cached_find_library(sonames: list[str]) -> Callable[[str], str | None]:
    def find_library(name: str) -> str | None:
        prefix = f"lib{name}."
        return next((s for s in sonames if s.startswith(prefix)), None)

    return find_library


@contextlib.contextmanager
def _quick_library_lookup() -> Iterator[None]:
    sonames = _ldconfig_sonames() if sys.platform.startswith("linux") else None
    if not sonames:
        yield
        return
    original = ctypes.util.find_library
    ctypes.util.find_library = _cached_find_library(sonames)
    try:
        yield
    finally:
        ctypes.util.find_library = original


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector; resume it after if it was running."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# The note pseudo-elements' rules in WeasyPrint's user-agent sheet, one rule a line.
MARGIN_BOXES = tuple(
    f"{side}-{place}"
    for side, places in (
        ("top", ("left-corner", "left", "center", "right", "right-corner")),
        ("left", ("top", "middle", "bottom")),
        ("right", ("top", "middle", "bottom")),
        ("bottom", ("left-corner", "left", "center", "right", "right-corner")),
    )
    for place in places
)
# The user-agent rules (one a line in WeasyPrint's sheet) that apply to every document, by the
# feature they style, with how many of them the sheet has.
FEATURE_RULES: tuple[tuple[str, str, int], ...] = (
    ("footnote", r"::footnote-(?:call|marker) \{[^}\n]*\}", 2),
    ("footnote", r"  @footnote +\{[^}\n]*\}", 1),
    ("note", r"::note-(?:call|marker|callback) \{[^}\n]*\}", 3),
    ("note", r"  @note-area +\{[^}\n]*\}", 1),
    *((f"@{box}", rf"  @{box} +\{{[^}}\n]*\}}", 1) for box in MARGIN_BOXES),
)
# How a document shows that it uses a feature: its name, as a word.
FEATURES = (*dict.fromkeys(feature for feature, _, _ in FEATURE_RULES), "list-item")
UNIVERSAL_MARKER = "\n::marker {"
# The elements the HTML user-agent sheet makes list items (display: list-item).
LIST_ITEM_MARKER = "\nli::marker, summary::marker {"
COUNTER_STYLE_RULE = re.compile(r"@counter-style [^{}]*\{[^}]*\}")
UNREADABLE_CSS = re.compile(r"<link\b|@import\b", re.IGNORECASE)


def features_used(html: str) -> frozenset[str] | None:
    """The features of ``FEATURES`` the document names (in its CSS or anywhere else: a word in
    the text only keeps a rule that is not needed). None if it links or imports a style sheet."""
    if UNREADABLE_CSS.search(html):
        return None
    # A substring test first (fast); the word test only for the few names found.
    return frozenset(
        feature
        for feature in FEATURES
        if feature in html and re.search(rf"(?<![\w-]){re.escape(feature)}(?![\w-])", html)
    )


def lean_user_agent_css(stock: str, used: frozenset[str]) -> str:
    """WeasyPrint's user-agent sheet without the rules of the features a document does not use.
    Raises ValueError if the sheet no longer has them as expected (a WeasyPrint upgrade)."""
    lean = stock
    for feature, rule, expected in FEATURE_RULES:
        pattern = re.compile(rf"^{rule}$", re.MULTILINE)
        found = len(pattern.findall(stock))
        if found != expected:
            raise ValueError(f"WeasyPrint's user-agent sheet changed: {found} {rule!r} rules")
        if feature not in used:
            lean = pattern.sub("", lean)
    if lean.count(UNIVERSAL_MARKER) != 1:
        raise ValueError("WeasyPrint's user-agent sheet changed: no one ::marker rule")
    if "list-item" not in used:
        lean = lean.replace(UNIVERSAL_MARKER, LIST_ITEM_MARKER)
    # Its @counter-style rules are the ones WeasyPrint took into its shared set of counter styles
    # when it parsed the stock sheet, the set every document starts from: read again, they would
    # only go into a throw-away set (a third of the parsing).
    return COUNTER_STYLE_RULE.sub("", lean)


def xml_tree(html: str) -> ET.Element | None:
    """The document as Python's XML parser reads it, or None if it is not well-formed XML, its
    root is not a plain <html>, or it has a <base> (WeasyPrint takes that while it parses)."""
    if "<base" in html:
        return None
    try:
        root = ET.fromstring(html)
    except ET.ParseError:
        return None
    return root if root.tag == "html" else None


class Level6Zlib:
    """zlib, with ``compressobj`` at ``PDF_DEFLATE_LEVEL`` whatever level is asked for."""

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)

    @staticmethod
    def compressobj(level: int = PDF_DEFLATE_LEVEL, *args: Any, **kwargs: Any) -> Any:
        return zlib.compressobj(PDF_DEFLATE_LEVEL, *args, **kwargs)


@cache
def weasyprint() -> ModuleType:
    """The weasyprint module, imported once per process, with ``LeanHTML``: an ``HTML`` whose
    ``ua_sheet``, if set, replaces the user-agent sheet."""
    with _quick_library_lookup(), gc_paused():
        import cssselect2
        import pydyf
        import weasyprint
        import weasyprint.css.counters
        import weasyprint.html
        import weasyprint.text.fonts

        if getattr(pydyf, "zlib", None) is zlib:
            pydyf.zlib = Level6Zlib()

        class LeanHTML(weasyprint.HTML):
            ua_sheet = None

            @classmethod
            def from_string(cls, html: str, base_url: str) -> LeanHTML:
                """The document, read by ``xml_tree`` if it can, else by WeasyPrint."""
                root = xml_tree(html)
                if root is None:
                    return cls(string=html, base_url=base_url)
                document = cls(string="<html></html>", base_url=base_url)
                document.wrapper_element = cssselect2.ElementWrapper.from_html_root(
                    root, content_language=None
                )
                document.etree_element = document.wrapper_element.etree_element
                return document

            def _ua_stylesheets(self, forms: bool = False) -> list:
                if self.ua_sheet is None or forms:
                    return super()._ua_stylesheets(forms)
                return [self.ua_sheet]

        weasyprint.LeanHTML = LeanHTML
        gc.freeze()
    return weasyprint


@cache
def lean_sheet(used: frozenset[str]) -> object | None:
    """The lean user-agent sheet for documents using ``used``, parsed once per process; None
    (the stock sheet) if WeasyPrint's sheet is not the one ``lean_user_agent_css`` knows."""
    wp = weasyprint()
    try:
        css = lean_user_agent_css(wp.html.UA, used)
    except (AttributeError, ValueError):
        return None
    with gc_paused():
        return wp.CSS(string=css, counter_style=wp.css.counters.CounterStyle())


def pdf_write(html: str, base_url: str, *, tags: bool = True, lean: bool = True) -> bytes:
    """The PDF of one HTML document, tagged (headings, paragraphs, lists and tables carry their
    structure, the language comes from <html lang>) so a screen reader can read it. Each call has
    its own font configuration: @font-face rules are per document, and a configuration shared
    across threads is not safe. ``lean=False`` renders as WeasyPrint does out of the box: its
    own parser and its stock user-agent sheet."""
    wp = weasyprint()
    if lean:
        document = wp.LeanHTML.from_string(html, base_url)
        used = features_used(html)
        document.ua_sheet = None if used is None else lean_sheet(used)
    else:
        document = wp.HTML(string=html, base_url=base_url)
    with gc_paused():
        return document.write_pdf(font_config=wp.text.fonts.FontConfiguration(), pdf_tags=tags)
