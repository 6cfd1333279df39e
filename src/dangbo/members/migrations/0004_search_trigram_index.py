"""On PostgreSQL, a trigram index lets "contains" searches on folded names use an index.

pg_trgm is a trusted extension (PostgreSQL 13+), so the database owner may create it. Where it
cannot be created, search still works, by scanning; SQLite needs nothing.
"""

from django.db import migrations, transaction


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic():
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception:  # noqa: BLE001 - no right to create extensions: search scans instead.
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS members_person_search_trgm "
        "ON members_person USING gin (search_name gin_trgm_ops)"
    )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS members_person_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("members", "0003_covering_indexes")]
    operations = [migrations.RunPython(forward, backward)]
