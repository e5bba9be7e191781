"""The PDF writer's two speed-ups change how WeasyPrint is loaded and run, never what it draws."""

import ctypes.util
import gc
import io
import subprocess
import sys
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
