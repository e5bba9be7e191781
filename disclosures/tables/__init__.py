"""The table sets (templates): each the only place its tables live, chosen by region and year.

A new province's layout is a new `Template` here: its tables are definitions the one engine fills
and the three renderers print, and the checks and headline figures find its tables by role.
"""

from collections.abc import Iterable

from ..engine import Template
from .common import T01, T02, T03, T04, T07, T08, T09
from .national import N05, N06, NATIONAL_9
from .standard import STANDARD_10, T05, T06, T10

TEMPLATES: dict[str, Template] = {t.key: t for t in (STANDARD_10, NATIONAL_9)}
DEFAULT_TEMPLATE = NATIONAL_9

__all__ = [
    "DEFAULT_TEMPLATE",
    "N05",
    "N06",
    "NATIONAL_9",
    "STANDARD_10",
    "T01",
    "T02",
    "T03",
    "T04",
    "T05",
    "T06",
    "T07",
    "T08",
    "T09",
    "T10",
    "TEMPLATES",
    "template_choices",
    "template_for",
    "template_get",
]


def template_choices() -> list[tuple[str, str]]:
    """The templates as model-field choices (a callable: adding one needs no migration)."""
    return [(t.key, t.name) for t in TEMPLATES.values()]


def template_get(key: str) -> Template:
    """The template with this key; KeyError for one that is not defined."""
    return TEMPLATES[key]


def template_for(*, year: int, regions: Iterable[str]) -> Template:
    """The set a report of `year` in a region (named with its ancestors) publishes: a template
    that names one of the regions first, then one that serves any region, else the default."""
    names = list(regions)
    serving = [t for t in TEMPLATES.values() if t.serves(year=year, regions=names)]
    serving.sort(key=lambda t: not t.regions)
    return serving[0] if serving else DEFAULT_TEMPLATE
