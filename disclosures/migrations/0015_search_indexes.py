"""Search served by indexes. On PostgreSQL, two trigram indexes (pg_trgm) on the department name:
on the name as typed, for queries without cased letters (Chinese, digits: `name__contains`, LIKE
on the name itself), and on the upper-cased name, for queries with Latin letters
(`name__icontains`: Django writes UPPER(name) LIKE UPPER(%q%)). The database's character type
(C.UTF-8 or a UTF-8 locale) counts CJK characters as word characters. The code's prefix search
uses the `_like` index Django makes for a unique CharField. SQLite has no trigram index: there a
name search scans the department table, which is fine for the embedded default and a county's
departments (README: deploying)."""

from django.db import migrations

INDEXES = {
    "department_name_plain_trgm": 'USING gin ("name" gin_trgm_ops)',
    "department_name_trgm": 'USING gin (UPPER("name"::text) gin_trgm_ops)',
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, method in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {name} ON "disclosures_department" {method}'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("disclosures", "0014_synthetic")]

    operations = [migrations.RunPython(create, drop)]
