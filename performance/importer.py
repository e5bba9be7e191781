"""Reading self-evaluations back from a file: the workbook's evaluation sheets (the layout
`disclosures.renderers.excel.evaluation_sheet` writes) or JSON in the demo file's shape.

Nothing here touches the database: the readers turn bytes into entries for
`services.evaluation_load`, or raise `EvaluationFileRefused` with a Chinese message and the place
(sheet and cell) at fault.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Any

from disclosures.plaintext import value_clean
from disclosures.units import SCALES, from_unit
from disclosures.workbooks import MAX_ROWS, WorkbookRefused, size_check, workbook_sheets

from .models import (
    EVALUATION_COVER,
    FUNDING_COLUMNS,
    FUNDING_TITLE,
    INDICATOR_COLUMNS,
    INDICATOR_TITLE,
    TEXTS,
    Evaluation,
)

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


def evaluation_sheet_read(title: str, rows: list[list]) -> dict | None:
    """One evaluation sheet (its title and rows, as `workbooks.workbook_sheets` reads them) as an
    entry, or None when the sheet is not one."""
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
        return f"工作表“{title}”{chr(64 + c)}{r}"

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
        sheets = workbook_sheets(content)
    except WorkbookRefused as error:
        if error.code == "not_workbook":  # this upload may be JSON too
            raise EvaluationFileRefused(
                "无法读取这个文件：请上传 .xlsx 工作簿或 .json 文件。"
            ) from None
        raise EvaluationFileRefused(error.message) from None
    entries = [e for title, rows in sheets.items() if (e := evaluation_sheet_read(title, rows))]
    if not entries:
        titles = "、".join(KIND_TITLES)
        raise EvaluationFileRefused(f"工作簿中没有绩效自评表：工作表第一行应为“{titles}”。")
    return entries


SCALAR = (str, int, float, bool, type(None))
ROW_LISTS = ("funding", "indicators")


def _json_entry(entry: Any, n: int) -> dict:
    """One evaluation of a JSON file, its shape checked and its text cleaned: a field is a
    number, text or null; `funding` and `indicators` are lists of such objects."""
    where = f"JSON 第 {n} 项绩效自评"
    if not isinstance(entry, dict):
        raise EvaluationFileRefused(f"{where}应为一个对象（{{…}}）。")
    clean: dict[str, Any] = {}
    for key, value in entry.items():
        if key in ROW_LISTS:
            if value is None:
                value = []
            if not isinstance(value, list) or not all(isinstance(r, dict) for r in value):
                raise EvaluationFileRefused(f"{where}的 {key} 应为对象的列表。")
            if len(value) > MAX_ROWS:
                raise EvaluationFileRefused(f"{where}的 {key} 超过 {MAX_ROWS:,} 行的上限。")
            rows = []
            for r, row in enumerate(value, 1):
                wrong = next((k for k, v in row.items() if not isinstance(v, SCALAR)), None)
                if wrong is not None:
                    raise EvaluationFileRefused(
                        f"{where}的 {key} 第 {r} 行 {wrong} 应为数字或文字。"
                    )
                rows.append({k: value_clean(v) for k, v in row.items()})
            clean[key] = rows
        elif not isinstance(value, SCALAR):
            raise EvaluationFileRefused(f"{where}的 {key} 应为数字或文字。")
        else:
            clean[key] = value_clean(value)
    return clean


def json_evaluations_read(content: bytes) -> list[dict]:
    """A JSON list of evaluations, or an object whose `evaluations` is one (the demo file)."""
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise EvaluationFileRefused("JSON 文件应为 UTF-8 编码。") from None
    except RecursionError:
        raise EvaluationFileRefused("JSON 嵌套过深，不是绩效自评文件。") from None
    except ValueError as error:  # JSONDecodeError, or a number too long to read
        raise EvaluationFileRefused(f"JSON 格式有误：{error}。") from None
    if isinstance(data, dict):
        data = data.get("evaluations")
    if not isinstance(data, list) or not data:
        raise EvaluationFileRefused(
            "JSON 中没有绩效自评：应为一个列表，或含 evaluations 列表的对象。"
        )
    if len(data) > MAX_ROWS:
        raise EvaluationFileRefused(f"JSON 中的绩效自评超过 {MAX_ROWS:,} 项的上限。")
    return [_json_entry(entry, n) for n, entry in enumerate(data, 1)]


def evaluations_read(content: bytes, filename: str) -> list[dict]:
    """The evaluations of an uploaded .json or .xlsx file, read within the shared bounds."""
    try:
        size_check(len(content))
    except WorkbookRefused as error:
        raise EvaluationFileRefused(error.message) from None
    if filename.lower().endswith(".json"):
        return json_evaluations_read(content)
    return workbook_evaluations_read(content)
