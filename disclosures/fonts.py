"""The CJK fonts embedded in PDFs: Noto CJK pre-subset once to GB2312 plus the text we know.

WeasyPrint subsets every font it embeds; on the full Noto CJK fonts (65,000 CFF glyphs) that is most
of the time a PDF takes. Subsetting them once, ahead of time, to the 7,000-odd characters of
GB2312 (desubroutinized) makes each PDF several times faster. A character outside the subset
still renders: the CSS lists the full system font after the subset, and Pango falls back per glyph.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

SYSTEM_FONT_DIR = Path("/usr/share/fonts/opentype/noto")


@dataclass(frozen=True)
class Face:
    css_family: str  # the name the PDF stylesheet uses
    weight: int
    source: str  # file in SYSTEM_FONT_DIR
    family: str  # the face inside the collection, and the fallback family
    filename: str  # the subset in FONT_DIR


FACES = (
    Face("JS Serif", 400, "NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC", "js-serif-400.otf"),
    Face("JS Sans", 700, "NotoSansCJK-Bold.ttc", "Noto Sans CJK SC", "js-sans-700.otf"),
)


def font_dir() -> Path:
    return Path(settings.FONT_DIR)


def subset_chars() -> set[int]:
    """GB2312, ASCII, Latin-1, general and CJK punctuation, full-width forms."""
    chars = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100))
    chars |= set(range(0x2000, 0x2070)) | set(range(0x2460, 0x24A0)) | set(range(0x2500, 0x2580))
    chars |= set(range(0x3000, 0x3040)) | set(range(0xFF00, 0xFFF0))
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):  # unassigned GB2312 positions
                chars.add(ord(bytes([high, low]).decode("gb2312")))
    return chars


def _subset(face: Face, target: Path) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTCollection, TTFont

    source = SYSTEM_FONT_DIR / face.source
    collection = TTCollection(str(source), lazy=True)
    number = next(
        i for i, f in enumerate(collection.fonts) if f["name"].getDebugName(1) == face.family
    )
    font = TTFont(str(source), fontNumber=number)
    options = subset.Options()
    options.desubroutinize = True
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=subset_chars())
    subsetter.subset(font)
    # Write next to the target and move it in place, so a reader never sees half a file.
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    os.close(fd)
    font.save(tmp)
    os.replace(tmp, target)


def fonts_build(*, force: bool = False) -> list[Path]:
    """Builds the subset fonts that are missing (about 20 s each). Returns the files built."""
    built = []
    font_dir().mkdir(parents=True, exist_ok=True)
    for face in FACES:
        target = font_dir() / face.filename
        if target.exists() and not force:
            continue
        if not (SYSTEM_FONT_DIR / face.source).exists():
            logger.warning("%s is missing: install fonts-noto-cjk", face.source)
            continue
        _subset(face, target)
        built.append(target)
    return built


def fonts_css() -> str:
    """@font-face rules for the subsets that exist; the full system fonts back them up."""
    rules = []
    for face in FACES:
        path = font_dir() / face.filename
        if path.exists():
            rules.append(
                f'@font-face {{ font-family: "{face.css_family}"; font-weight: {face.weight}; '
                f'src: url("{path.as_uri()}"); }}'
            )
    return "\n".join(rules)
