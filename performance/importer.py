"""Reading self-evaluations back from a file: the workbook's evaluation sheets (the layout
`disclosures.renderers.excel.evaluation_sheet` writes) or JSON in the demo file's shape.

Nothing here touches the database: the readers turn bytes into entries for
`services.evaluation_load`, or raise `EvaluationFileRefused` with a Chinese message and the place
(sheet and cell) at fault.
"""

from __future__ import annotations

import io
import json
import zipfile
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from disclosures.units import SCALES, from_unit

from .models import (
    EVALUATION_COVER,
    FUNDING_COLUMNS,
    FUNDING_TITLE,
    INDICATOR_COLUMNS,
    INDICATOR_TITLE,
    TEXTS,
    Evaluation,
)

MAX_BYTES = 10 * 1024 * 1024
FUNDING_MONEY = ("initial_declared", "initial_budgeted", "budget", "executed")
TEXT_FIELDS = {Evaluation._meta.get_field(name).verbose_name: name for name in TEXTS}
KIND_TITLES = {f"{label}表": value for value, label in Evaluation.Kind.choices}


class EvaluationFileRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _number(value: Any, place: str) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = Decimal(str(value).replace(",", "").replace("，", "").strip().rstrip("%"))
    except InvalidOperation:
        raise EvaluationFileRefused(f"{place}“{value}”不是数字。") from None
    if not number.is_finite():
        raise EvaluationFileRefused(f"{place}“{value}”不是数字。")
    return number


def _rate(value: Any, place: str) -> Decimal | None:
    """执行率 as a percentage: a number cell holds a fraction (0.9975 shown as 99.75%); text holds
    the printed "99.75%"."""
    number = _number(value, place)
    if number is None or isinstance(value, str):
        return number
    return (number * 100).quantize(Decimal("0.01"))


def _money(value: Any, unit: str, place: str) -> Decimal | None:
    number = _number(value, place)
    return None if number is None else from_unit(number, unit)


def evaluation_sheet_read(ws) -> dict | None:
    """One evaluation sheet as an entry, or None when the sheet is not one."""
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    if not rows or not rows[0]:
        return None
    kind = KIND_TITLES.get(_text(rows[0][0]))
    if kind is None:
        return None
    entry: dict[str, Any] = {"kind": kind, "funding": [], "indicators": []}
    cover = dict(EVALUATION_COVER)
    unit = "元"
    section = ""
    pending_text = ""

    def place(r: int, c: int) -> str:
        return f"工作表“{ws.title}”{chr(64 + c)}{r}"

    for r, row in enumerate(rows, start=1):
        cells = [*row, *([None] * 9)][:9]
        first = _text(cells[0])
        for value in cells:
            if isinstance(value, str) and value.startswith("金额单位："):
                unit = value.removeprefix("金额单位：").strip()
                if unit not in SCALES:
                    raise EvaluationFileRefused(f"{place(r, 9)}：金额单位“{unit}”应为元或万元。")
        if pending_text:
            entry[pending_text] = _text(cells[0])
            pending_text = ""
            continue
        if first in (FUNDING_TITLE, INDICATOR_TITLE):
            section = first
            continue
        if section == "" and first in cover:
            name = cover[first]
            value = cells[1]
            entry[name] = _number(value, place(r, 2)) if name == "score" else _text(value)
            continue
        # A text's heading, or a part heading that is the text's own ("六、下一步改进措施…").
        heading = first if first in TEXT_FIELDS else first.split("、", 1)[-1]
        if heading in TEXT_FIELDS:
            section = "text"
            pending_text = TEXT_FIELDS[heading]
            continue
        if section in (FUNDING_TITLE, INDICATOR_TITLE):
            if first in (FUNDING_COLUMNS[0][1], INDICATOR_COLUMNS[0][1]):
                continue  # the header row
            if all(c is None or _text(c) == "" for c in cells):
                section = ""
                continue
        if section == FUNDING_TITLE:
            values = {key: cells[i] for i, (key, _) in enumerate(FUNDING_COLUMNS)}
            where = {key: place(r, i + 1) for i, (key, _) in enumerate(FUNDING_COLUMNS)}
            if first == "合计":
                entry["budget"] = _money(values["budget"], unit, where["budget"])
                entry["executed"] = _money(values["executed"], unit, where["executed"])
                entry["execution_rate"] = _rate(values["execution_rate"], where["execution_rate"])
                weight = _number(values["weight"], where["weight"])
                if weight is not None:
                    entry["budget_execution_weight"] = weight
                entry["budget_execution_score"] = _number(values["score"], where["score"])
            else:
                entry["funding"].append(
                    {
                        "source": first,
                        **{k: _money(values[k], unit, where[k]) for k in FUNDING_MONEY},
                    }
                )
            continue
        if section == INDICATOR_TITLE:
            indicator = {}
            for i, (key, _) in enumerate(INDICATOR_COLUMNS):
                indicator[key] = (
                    _number(cells[i], place(r, i + 1))
                    if key in ("weight", "score")
                    else _text(cells[i])
                )
            entry["indicators"].append(indicator)
    return entry


def workbook_evaluations_read(content: bytes) -> list[dict]:
    """Every evaluation sheet of a workbook, in sheet order."""
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise EvaluationFileRefused(
            "无法读取这个文件：请上传 .xlsx 工作簿或 .json 文件。"
        ) from None
    try:
        entries = [e for ws in wb.worksheets if (e := evaluation_sheet_read(ws)) is not None]
    finally:
        wb.close()
    if not entries:
        titles = "、".join(KIND_TITLES)
        raise EvaluationFileRefused(f"工作簿中没有绩效自评表：工作表第一行应为“{titles}”。")
    return entries


def json_evaluations_read(content: bytes) -> list[dict]:
    """A JSON list of evaluations, or an object whose `evaluations` is one (the demo file)."""
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise EvaluationFileRefused(f"JSON 格式有误：{error}。") from None
    if isinstance(data, dict):
        data = data.get("evaluations")
    if not isinstance(data, list) or not all(isinstance(e, dict) for e in data) or not data:
        raise EvaluationFileRefused(
            "JSON 中没有绩效自评：应为一个列表，或含 evaluations 列表的对象。"
        )
    return data


def evaluations_read(content: bytes, filename: str) -> list[dict]:
    if len(content) > MAX_BYTES:
        raise EvaluationFileRefused(
            f"文件有 {len(content) / 1024 / 1024:.1f} MB，超过 10 MB 的上限。"
        )
    if filename.lower().endswith(".json"):
        return json_evaluations_read(content)
    return workbook_evaluations_read(content)
