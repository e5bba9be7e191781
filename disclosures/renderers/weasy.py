"""WeasyPrint, loaded and run the fast way. No Django here: bench/pdf runs this in a bare process.

Two costs that are not the layout itself, measured on the seed report (bench/pdf):

- Loading. WeasyPrint opens Pango, HarfBuzz and fontconfig trying the Windows DLL names first. On
  Linux every miss makes ``ctypes.util.find_library`` run ``ldconfig``, ``gcc`` and ``ld``: 54
  programs started, about 0.2 s of a 0.45 s import (Kozea/WeasyPrint#1125). While WeasyPrint loads,
  one ``ldconfig -p`` listing answers those look-ups instead, the way ctypes' own first strategy
  does; a name it does not list is a miss, and WeasyPrint goes on to the next, ending with the
  full ``.so.N`` names, which load directly.
- Garbage collection. A render allocates millions of small objects and keeps them alive until the
  PDF is written, so Python's cyclic collector scans them again and again for nothing: 15-20 % of
  the render. It is paused for the render and resumed after (about 5 MB more at the peak).
"""

from __future__ import annotations

import contextlib
import ctypes.util
import gc
import subprocess
import sys
from collections.abc import Callable, Iterator
from functools import cache
from types import ModuleType


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


@cache
def weasyprint() -> ModuleType:
    """The weasyprint module, imported once per process."""
    with _quick_library_lookup(), gc_paused():
        import weasyprint
        import weasyprint.text.fonts
    return weasyprint


def pdf_write(html: str, base_url: str, *, tags: bool = True) -> bytes:
    """The PDF of one HTML document, tagged (headings, paragraphs, lists and tables carry their
    structure, the language comes from <html lang>) so a screen reader can read it. Each call has
    its own font configuration: @font-face rules are per document, and a configuration shared
    across threads is not safe."""
    wp = weasyprint()
    with gc_paused():
        return wp.HTML(string=html, base_url=base_url).write_pdf(
            font_config=wp.text.fonts.FontConfiguration(), pdf_tags=tags
        )
