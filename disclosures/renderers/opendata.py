"""Open data: every value of the filled tables as CSV (one value a line) and JSON.

Columns and fields are documented on the site's 数据说明 page and in the README. Each value is
written as the table prints it: money as a plain decimal string in the report's unit
("5939150.00" in 元, "593.92" in 万元), never as a float; the unit is written beside it. The items
a set discloses in 情况说明 rather than in a table follow the tables (table left blank).
"""

import csv
import json
from io import StringIO

from ..engine import FilledTable
from ..selectors import ReportDocument

CSV_COLUMNS = [
    ("department_code", "单位编码"),
    ("department", "单位名称"),
    ("year", "年度"),
    ("unit", "该数值的单位：金额为报告的金额单位（元或万元），数量为辆、台（套），比例为 %"),
    ("table", "表号，如 03 表示公开03表；空表示在情况说明中公开的事项"),
    ("table_title", "表名"),
    ("row_key", "行标识：功能/经济分类科目编码，合计行为 total，总表为 income.general 等"),
    ("row_code", "科目编码（分类行才有）"),
    ("row_label", "行名称（科目名称或项目）"),
    ("row_level", "级次：类、款、项，合计行为 total"),
    ("line", "行次（总表和公开10表才有）"),
    ("column_key", "列标识，如 total、basic、project"),
    ("column_label", "列名称"),
    ("column_number", "栏次"),
    (
        "value",
        "数值，与报表印制的一致：金额为两位小数的十进制数，数量为整数；"
        "空表示报表该处空白（金额或数量为零，或未填报）",
    ),
    ("derived", "是否为汇总得出的数（1 是，0 否）"),
]


# A CSV cell starting with one of these is a formula to Excel or LibreOffice (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
TEXT_COLUMNS = ("department", "table_title", "row_label", "column_label")


def inert(text: str) -> str:
    """Text that a spreadsheet will show, never run: a leading apostrophe before =, +, -, @, a tab
    or a carriage return (OWASP's advice for CSV)."""
    return f"'{text}" if text.startswith(FORMULA_START) else text


def printed_value(table: FilledTable, key: tuple[str, str]):
    """The value as the table prints it: zero money and zero counts print blank (None)."""
    value = table.printed.get(key)
    if value is not None and value == 0 and table.kinds.get(key, "amount") in ("amount", "count"):
        return None
    return value


def _text(value) -> str:
    if value is None:
        return ""
    return str(value)


def value_unit(table: FilledTable, key: tuple[str, str]) -> str:
    """What a value is counted in: the report's unit for money, 辆 for vehicles, % for shares."""
    kind = table.kinds.get(key, "amount")
    if kind == "percent":
        return "%"
    if kind == "count":
        cell = next((c for row in table.body for c in row if c.ref == key), None)
        return cell.unit if cell and cell.unit else "个"
    return table.unit


def _records(document: ReportDocument, table: FilledTable):
    for row_key, meta in table.rows.items():
        for col_key in table.columns:
            if (row_key, col_key) not in table.values:
                continue
            col = table.column_for(row_key, col_key)
            record = {
                "department_code": document.department.code,
                "department": document.department.name,
                "year": document.report.year,
                "unit": value_unit(table, (row_key, col_key)),
                "table": table.number,
                "table_title": table.title,
                "row_key": row_key,
                "row_code": meta.code,
                "row_label": meta.label,
                "row_level": meta.level,
                "line": meta.line,
                "column_key": col_key,
                "column_label": col.label,
                "column_number": col.number,
                "value": _text(printed_value(table, (row_key, col_key))),
                "derived": int((row_key, col_key) in table.derived),
            }
            for column in TEXT_COLUMNS:
                record[column] = inert(_text(record[column]))
            yield record


def tables_csv(document: ReportDocument, tables: list[FilledTable]) -> bytes:
    """UTF-8 with a BOM, so Excel opens it as Chinese text."""
    out = StringIO()
    writer = csv.DictWriter(out, fieldnames=[c for c, _ in CSV_COLUMNS], lineterminator="\r\n")
    writer.writeheader()
    for table in _with_text_items(document, tables):
        writer.writerows(_records(document, table))
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def _json_value(value):
    return value if value is None or isinstance(value, int) else str(value)


def _with_text_items(document: ReportDocument, tables: list[FilledTable]) -> list[FilledTable]:
    """The tables, then (for the whole report) what its set discloses in 情况说明."""
    whole = tables is document.tables
    return [*tables, document.text_items] if whole and document.text_items else list(tables)


def table_dict(table: FilledTable) -> dict:
    return {
        "number": table.number,
        "caption": table.caption if table.number else "",
        "title": table.title,
        "unit": table.unit,
        "empty": table.empty,
        "empty_note": table.empty_note,
        "note": table.note,
        "columns": [
            {"key": c.key, "label": c.label, "number": c.number} for c in table.columns.values()
        ],
        "rows": [
            {
                "key": key,
                "code": meta.code,
                "label": meta.label,
                "level": meta.level,
                "line": meta.line,
                "values": {
                    col: _json_value(printed_value(table, (key, col)))
                    for col in table.columns
                    if (key, col) in table.values
                },
                "derived": [col for col in table.columns if (key, col) in table.derived],
            }
            for key, meta in table.rows.items()
        ],
    }


def tables_json(document: ReportDocument, tables: list[FilledTable]) -> bytes:
    payload = {
        "department": {"code": document.department.code, "name": document.department.name},
        "year": document.report.year,
        "unit": document.report.unit,
        "template": document.template.key,
        "template_name": document.template.name,
        "tables": [table_dict(t) for t in tables],
    }
    if tables is document.tables:
        items = document.text_items
        payload["disclosed_in_text"] = None if items is None else table_dict(items)
    return json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8")
