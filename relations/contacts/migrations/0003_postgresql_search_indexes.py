"""PostgreSQL only: trigram indexes and a stored, indexed word-search vector on the search keys.

The search FilterSets match ``search_key LIKE '%term%'`` (relations/core/filters.py); a GIN
trigram index serves exactly that, so name search over 100,000 people stays a few milliseconds.
``search_vector`` is a generated column (``to_tsvector('simple', search_key)``): PostgreSQL keeps
it up to date on every insert and update, bulk ones included, and it is not part of the Django
model, so no query loads it unless it asks for it (relations/core/filters.py ``words_filter``).

On SQLite every operation here does nothing: the search works there, slower, by scanning.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

TABLES = ("contacts_contact", "contacts_organization")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"CREATE INDEX {table}_search_key_trgm ON {table} USING gin (search_key gin_trgm_ops)")
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN search_vector tsvector "
            "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_key)) STORED"
        )
        schema_editor.execute(f"CREATE INDEX {table}_search_vector ON {table} USING gin (search_vector)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_vector")
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector")
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_key_trgm")


class Migration(migrations.Migration):
    dependencies = [("contacts", "0002_rebuild_search_keys")]

    operations = [
        TrigramExtension(),  # CREATE EXTENSION IF NOT EXISTS pg_trgm; nothing on other databases
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
