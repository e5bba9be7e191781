"""Money is kept in 元; the unit is how a report prints it.

A report in 万元 prints every cell, subtotals and totals included, as that cell's 元 value rounded
to two decimals of 万元 (四舍五入), the way the official reporting software does. So a printed
subtotal may differ from the sum of the printed items below it by a cent or two of 万元; it never
differs from its own 元 value rounded.
"""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HALF_CENT = Decimal("0.005")
SCALES = {"元": Decimal(1), "万元": Decimal(10000)}
DEFAULT_UNIT = "元"


def to_unit(amount: Decimal | int, unit: str) -> Decimal:
    """An amount in 元 as a report in `unit` prints it: 5939150.00 元 -> 593.92 万元."""
    scale = SCALES[unit]
    if scale == 1:
        return amount if isinstance(amount, Decimal) else Decimal(amount)
    return (Decimal(amount) / scale).quantize(CENT, ROUND_HALF_UP)


def from_unit(amount: Decimal | int, unit: str) -> Decimal:
    """A printed amount in `unit` back in 元 (593.92 万元 -> 5939200.00 元)."""
    return (Decimal(amount) * SCALES[unit]).quantize(CENT)


def rounding_allowance(unit: str, roundings: int) -> Decimal:
    """How far apart (in `unit`) two figures that should agree may lie when, between them, they
    add up `roundings` amounts each rounded to a cent of the unit.

    In 元 nothing is rounded, so nothing is allowed. In 万元 each rounded amount carries up to half
    a cent: a report whose facts were taken from a published 万元 table adds up rounded items, and
    the printed total it is compared with was rounded once more.
    """
    if SCALES[unit] == 1:
        return Decimal(0)
    return HALF_CENT * roundings
