"""Search served by indexes. On PostgreSQL, a trigram index (pg_trgm) on the upper-cased
department name serves `name__icontains` (Django writes UPPER(name) LIKE UPPER(%q%)) for Chinese
substrings too, as the database's character type (C.UTF-8 or a UTF-8 locale) counts CJK
characters as word characters; the code's prefix search uses the `_like` index Django makes for a
unique CharField. SQLite has no trigram index: there a name search scans the department table,
which is fine for the embedded default and a county's departments (README: deploying)."""

from django.db import migrations

TRIGRAM_INDEX = (
    'CREATE INDEX IF NOT EXISTS department_name_trgm ON "disclosures_department" '
    'USING gin (UPPER("name"::text) gin_trgm_ops)'
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(TRIGRAM_INDEX)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS department_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("disclosures", "0014_synthetic")]

    operations = [migrations.RunPython(create, drop)]
