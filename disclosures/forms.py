import re
import unicodedata
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError


class SearchForm(forms.Form):
    q = forms.CharField(
        label="部门名称或编码",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "如：总工会、021001", "type": "search"}),
    )
    year = forms.TypedChoiceField(label="年度", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, years: list[int], **kwargs):
        kwargs.setdefault("label_suffix", "：")
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "全部年度")] + [(y, f"{y}年") for y in years]


# ---------------------------------------------------------------------------------------------
# Amounts as staff type or paste them


# re.ASCII: a fullwidth digit (１２３) is not an amount's digit.
AMOUNT = re.compile(r"(?P<sign>[+-]?)(?P<int>\d[\d,]*)?(?:\.(?P<frac>\d*))?", re.ASCII)
GROUPED = re.compile(r"\d{1,3}(,\d{3})*|\d+", re.ASCII)
MAX_DIGITS = 16  # MONEY fields hold 16 digits before the point
MAX_COUNT = 2**31 - 1  # counts are integer columns (PostgreSQL's integer)


def parse_amount(text: str, *, negative_ok: bool = False, whole: bool = False) -> Decimal | None:
    """An amount as staff type or paste it: "1,234.5", "1234.50", "１２３４" (full-width), "-3".

    Blank is None. Returns the amount with two decimals (or a whole number for counts). Raises
    ValidationError with a Chinese message and a code: not_a_number, bad_separator,
    too_many_decimals, not_whole, negative, too_large.
    """
    text = unicodedata.normalize("NFKC", text or "").strip().replace(" ", "")
    if text == "":
        return None
    match = AMOUNT.fullmatch(text)
    if match is None or not (match["int"] or match["frac"]):
        raise ValidationError(
            "“%(text)s”不是金额：只能填数字、小数点、千位分隔符和负号。",
            code="not_a_number",
            params={"text": text},
        )
    integer, fraction = match["int"] or "0", match["frac"] or ""
    if "," in integer and not GROUPED.fullmatch(integer):
        raise ValidationError(
            "“%(text)s”的千位分隔符位置不对。", code="bad_separator", params={"text": text}
        )
    if whole and fraction.strip("0"):
        raise ValidationError("数量须为整数。", code="not_whole")
    if len(fraction) > 2:
        raise ValidationError("金额最多保留两位小数（到分）。", code="too_many_decimals")
    digits = integer.replace(",", "").lstrip("0")
    if len(digits) > MAX_DIGITS:
        raise ValidationError("金额过大，请核对单位（元）。", code="too_large")
    value = Decimal(f"{match['sign']}{integer.replace(',', '')}.{fraction or '0'}")
    if whole and abs(value) > MAX_COUNT:
        raise ValidationError(
            "数量过大：最多 %(most)s。", code="too_large", params={"most": f"{MAX_COUNT:,}"}
        )
    if value < 0 and not negative_ok:
        raise ValidationError("该项金额不能为负数。", code="negative")
    return Decimal(int(value)) if whole else value.quantize(Decimal("0.01"))
