"""Downloads never fail and never lie: one render however many readers ask at once, a stored
file checked against its size and hash before it is served, rendered bytes still served when
storage cannot be written, a fingerprint that covers every printed field, files streamed."""

import hashlib
import re
import threading
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils.http import parse_http_date

from disclosures.downloads import RENDERERS, document_fingerprint, report_download
from disclosures.models import RenderedFile
from disclosures.selectors import report_document_get
from performance.models import (
    EVALUATION_COVER,
    EVALUATION_PRINTED,
    FUNDING_COLUMNS,
    FUNDING_PRINTED,
    INDICATOR_COLUMNS,
    INDICATOR_PRINTED,
    TEXTS,
)

REPORT = "/departments/021001/2022/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def counting(monkeypatch, fmt: str) -> list:
    calls = []
    real = RENDERERS[fmt]
    monkeypatch.setitem(RENDERERS, fmt, lambda doc, tables: calls.append(1) or real(doc, tables))
    return calls


def stored_files(media: Path) -> list[str]:
    return sorted(p.name for p in media.rglob("*") if p.is_file())


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("stored", ["nothing stored", "a stale file stored"])
def test_twenty_readers_at_once_make_one_render_and_twenty_identical_files(
    monkeypatch, media, stored
):
    """The first case waits on the unique constraint (the row being created), the second on the
    row's lock (the row is there, its file out of date)."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent sessions need PostgreSQL (the CI's second run)")
    from disclosures.services import demo_load

    demo_load()
    if stored == "a stale file stored":
        Client().get(REPORT + "download.pdf")
        # Out of date: rendered under an older stamp, with another content fingerprint.
        RenderedFile.objects.filter(format="pdf").update(fingerprint="out of date", stamp="old")
    calls = counting(monkeypatch, "pdf")
    start = threading.Barrier(20)
    results: list[tuple[int, bytes]] = []
    errors: list[BaseException] = []

    def reader():
        try:
            client = Client()
            start.wait()
            response = client.get(REPORT + "download.pdf")
            results.append((response.status_code, response.getvalue()))
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=reader) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(calls) == 1
    assert [status for status, _ in results] == [200] * 20
    assert len({body for _, body in results}) == 1 and results[0][1].startswith(b"%PDF")
    record = RenderedFile.objects.get(format="pdf", table="")
    assert stored_files(media) == [Path(record.file.name).name]
    assert record.sha256 == hashlib.sha256(results[0][1]).hexdigest()


@pytest.mark.django_db
@pytest.mark.parametrize("damage", ["cut short", "same size, one byte changed", "deleted"])
def test_a_damaged_stored_file_is_rendered_again_not_served(
    client, demo_report, monkeypatch, media, damage
):
    calls = counting(monkeypatch, "csv")
    whole = client.get(REPORT + "download.csv").getvalue()
    record = RenderedFile.objects.get(format="csv", table="")
    path = Path(record.file.path)
    if damage == "cut short":
        path.write_bytes(whole[: len(whole) // 2])
    elif damage == "deleted":
        path.unlink()
    else:
        path.write_bytes(whole[:-2] + b"X" + whole[-1:])
    again = client.get(REPORT + "download.csv")
    assert again.getvalue() == whole and int(again["Content-Length"]) == len(whole)
    assert len(calls) == 2
    record.refresh_from_db()
    assert Path(record.file.path).read_bytes() == whole
    assert record.size == len(whole) and record.sha256 == hashlib.sha256(whole).hexdigest()
    # Whole again: served from storage without a render.
    assert client.get(REPORT + "download.csv").getvalue() == whole and len(calls) == 2
    assert len(stored_files(media)) == 1


@pytest.mark.django_db
def test_with_storage_unwritable_the_rendered_file_is_still_served_and_logged(
    client, demo_report, settings, tmp_path, caplog
):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the media directory should be")
    settings.MEDIA_ROOT = blocker / "media"  # even root cannot create a directory under a file
    with caplog.at_level("ERROR", logger="disclosures.downloads"):
        response = client.get(REPORT + "download.json")
    assert response.status_code == 200
    assert "泽州县总工会" in response.getvalue().decode()
    assert any("无法写入存储" in r.getMessage() for r in caplog.records)
    assert not RenderedFile.objects.filter(format="json").exclude(file="").exists()
    assert client.get(REPORT + "download.pdf").status_code == 200


@pytest.mark.django_db
def test_downloads_stream_from_storage(client, demo_report):
    first = client.get(REPORT + "download.xlsx")
    second = client.get(REPORT + "download.xlsx")
    assert first.streaming and second.streaming
    body = second.getvalue()
    assert body == first.getvalue() and int(second["Content-Length"]) == len(body)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["download.pdf", "download.csv", "tables/01/download.xlsx"])
def test_downloads_carry_etag_and_last_modified_and_answer_304(client, demo_report, path):
    first = client.get(REPORT + path)
    body = first.getvalue()
    record = RenderedFile.objects.get(format=path.rsplit(".", 1)[1], table="01" * ("01" in path))
    assert first["ETag"] == f'"{hashlib.sha256(body).hexdigest()}"' == f'"{record.sha256}"'
    assert parse_http_date(first["Last-Modified"]) == int(record.rendered_at.timestamp())

    by_etag = client.get(REPORT + path, headers={"if-none-match": first["ETag"]})
    assert by_etag.status_code == 304 and by_etag.content == b""
    assert by_etag["ETag"] == first["ETag"]
    by_date = client.get(REPORT + path, headers={"if-modified-since": first["Last-Modified"]})
    assert by_date.status_code == 304

    # A stale copy (another hash) is sent the file in full, and so is a reader with none.
    stale = client.get(REPORT + path, headers={"if-none-match": '"0000"'})
    assert stale.status_code == 200 and stale.getvalue() == body
    assert RenderedFile.objects.filter(format=record.format).count() == 1


@pytest.mark.django_db
def test_a_correction_changes_the_etag_so_a_cached_copy_is_replaced(client, demo_report):
    first = client.get(REPORT + "download.csv")
    etag = first["ETag"]
    first.getvalue()
    department = demo_report.department
    department.name = "泽州县总工会（更名）"
    department.save()
    again = client.get(REPORT + "download.csv", headers={"if-none-match": etag})
    assert again.status_code == 200 and again["ETag"] != etag
    assert "更名" in again.getvalue().decode()


# ---------------------------------------------------------------------------------------------
# The fingerprint covers what is printed

# What a template prints from an evaluation, a funding row or an indicator that is not itself a
# field: each derived property and the fields it is made of.
DERIVED = {
    "texts": set(TEXTS),
    "get_kind_display": {"kind"},
    "anchor": {"kind", "order"},
    "balance": {"budget", "executed"},
    "funding": set(),  # the rows, fingerprinted one by one
    "indicators": set(),
    "evaluation": set(),
}
PRINTERS = {"ev": EVALUATION_PRINTED, "f": FUNDING_PRINTED, "i": INDICATOR_PRINTED}


def printed_attributes() -> dict[str, set[str]]:
    """Every attribute the download templates and the Excel renderer read from an evaluation
    (`ev`), a funding row (`f`) and an indicator (`i`)."""
    found: dict[str, set[str]] = {name: set() for name in PRINTERS}
    templates = Path(settings.BASE_DIR, "templates", "disclosures", "pdf").glob("*.html")
    for template in templates:
        for var, attr in re.findall(r"\b(ev|f|i)\.(\w+)", template.read_text(encoding="utf-8")):
            found[var].add(attr)
    found["ev"] |= {name for _, name in EVALUATION_COVER} | {
        "budget",
        "executed",
        "execution_rate",
        "budget_execution_weight",
        "budget_execution_score",
        "kind",
    }
    found["f"] |= {key for key, _ in FUNDING_COLUMNS} - {"execution_rate", "weight", "score"}
    found["i"] |= {key for key, _ in INDICATOR_COLUMNS}
    return found


def test_every_printed_attribute_is_in_the_fingerprint():
    found = printed_attributes()
    assert "deviation_note" in found["i"] and "budget_execution_score" in found["ev"]
    missing = {
        var: sorted(
            attr
            for attr in attrs
            if attr not in PRINTERS[var] and not DERIVED.get(attr, {attr}) <= set(PRINTERS[var])
        )
        for var, attrs in found.items()
    }
    assert missing == {"ev": [], "f": [], "i": []}


@pytest.mark.django_db
def test_changing_any_printed_field_changes_the_fingerprint(demo_report):
    document = report_document_get(department_code="021001", year=2022)
    base = document_fingerprint(document)
    evaluation = document.evaluations[0]
    funding = evaluation.funding.all()[0]
    indicator = evaluation.indicators.all()[0]
    for obj, names in (
        (evaluation.evaluation, EVALUATION_PRINTED),
        (funding, FUNDING_PRINTED),
        (indicator, INDICATOR_PRINTED),
    ):
        for name in names:
            old = getattr(obj, name)
            setattr(obj, name, Decimal("12.34") if isinstance(old, Decimal) else f"{old}改")
            assert document_fingerprint(document) != base, f"{type(obj).__name__}.{name}"
            setattr(obj, name, old)
    assert document_fingerprint(document) == base


@pytest.mark.django_db
def test_report_download_serves_what_it_stored(demo_report):
    document = report_document_get(department_code="021001", year=2022)
    first = report_download(document=document, fmt="json")
    second = report_download(document=document, fmt="json")
    assert first.rendered and not second.rendered
    assert first.content == second.content and second.size == len(second.content)


# ---------------------------------------------------------------------------------------------
# CSV and JSON: blank where the table prints a blank, text never a formula


@pytest.mark.django_db
def test_csv_and_json_are_blank_exactly_where_the_tables_print_blank(demo_report):
    import csv
    import io
    import json

    from disclosures.renderers.opendata import tables_csv, tables_json
    from disclosures.templatetags.figures import cell

    document = report_document_get(department_code="021001", year=2022)
    rows = csv.DictReader(io.StringIO(tables_csv(document, document.tables).decode("utf-8-sig")))
    csv_values = {(r["table"], r["row_key"], r["column_key"]): r["value"] for r in rows}
    payload = json.loads(tables_json(document, document.tables))
    json_values = {
        (t["number"], row["key"], col): value
        for t in payload["tables"]
        for row in t["rows"]
        for col, value in row["values"].items()
    }
    blanks = zero_blanks = 0
    for table in document.tables:
        for body_row in table.body:
            for c in body_row:
                if c.ref is None or (table.number, *c.ref) not in csv_values:
                    continue
                key = (table.number, *c.ref)
                printed = cell(c)
                if printed == "":
                    blanks += 1
                    zero_blanks += c.value == 0
                    assert csv_values[key] == "" and json_values[key] is None, key
                else:
                    assert csv_values[key] != "" and json_values[key] is not None, key
                    assert printed.replace(",", "").rstrip("%") == str(json_values[key]), key
    print(f"\ncells printed blank: {blanks}, of them zero: {zero_blanks}")
    assert zero_blanks > 0  # the seed has zero cells the tables leave blank
    assert "0.00" not in csv_values.values()


@pytest.mark.django_db
def test_csv_text_cells_never_become_formulas(demo_draft):
    import csv
    import io

    from disclosures.models import ClassificationCode, Department
    from disclosures.renderers.opendata import tables_csv
    from disclosures.selectors import report_draft_document_get

    Department.objects.filter(pk=demo_draft.department_id).update(name='=HYPERLINK("x")总工会')
    names = {"2010301": "+行政运行", "2080501": "@SUM(A1)", "2101101": "-行政单位医疗"}
    names["2210201"] = "\t住房公积金"
    for code, name in names.items():
        ClassificationCode.objects.filter(year=2022, kind="functional", code=code).update(name=name)
    document = report_draft_document_get(pk=demo_draft.pk)
    text = tables_csv(document, document.tables).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["department"] for r in rows} == {'\'=HYPERLINK("x")总工会'}
    labels = {r["row_label"] for r in rows}
    for name in names.values():
        if any(name in label for label in labels):
            assert f"'{name}" in labels, name
    assert any(label.startswith("'") for label in labels - {'\'=HYPERLINK("x")总工会'})
    for r in rows:
        for column in ("department", "table_title", "row_label", "column_label"):
            assert not r[column].startswith(("=", "+", "-", "@", "\t", "\r")), (column, r[column])
    # Negative amounts stay numbers.
    assert all(r["value"] == "" or r["value"].lstrip("-").replace(".", "").isdigit() for r in rows)
