"""The plain department name's trigram index, for searches without cased letters (Chinese, digits):
`name__contains` is LIKE on the name itself. The upper-cased one (0015) serves queries with Latin
letters. PostgreSQL only, as 0015."""

from django.db import migrations

INDEX = (
    'CREATE INDEX IF NOT EXISTS department_name_plain_trgm ON "disclosures_department" '
    'USING gin ("name" gin_trgm_ops)'
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(INDEX)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS department_name_plain_trgm")


class Migration(migrations.Migration):
    dependencies = [("disclosures", "0017_published_stamps")]

    operations = [migrations.RunPython(create, drop)]
