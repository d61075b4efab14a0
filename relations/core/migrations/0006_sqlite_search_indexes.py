"""SQLite only: a trigram index (FTS5) on the search keys of people and organizations.

The name search (``search_key LIKE '%term%'``, relations/core/filters.py) read every row of the
table on SQLite: 4 ms for 20,000 people, growing with them. PostgreSQL serves the same condition
from a trigram GIN index (contacts 0003); this is SQLite's equivalent: ``<table>_search``, an FTS5
table with the trigram tokenizer over the table's own ``search_key`` (external content, so the
keys are not stored twice; ``detail=none``: the index only says which rows hold a trigram).
``search_key_filter`` narrows a term of three or more characters to the rows this index names and
keeps the LIKE on the table itself, so the results are the same (0.01 ms instead of 4 ms for "sada").

Triggers keep the index up to date on every insert, update and delete, bulk ones included. Django
rebuilds a SQLite table (create, copy, drop, rename) for some later schema changes, and dropping the
table drops its triggers: tests/test_list_plans.py fails then, and such a migration must run
``create_sqlite_search`` again. Search code lives in core, so does this migration.

On PostgreSQL (and any other database) every operation here does nothing.
"""

from django.db import migrations

TABLES = ("contacts_contact", "contacts_organization")


def create_sqlite_search(schema_editor, table: str) -> None:
    """(Re)create ``<table>_search`` and its triggers, and index the rows already there."""
    index = f"{table}_search"
    drop_sqlite_search(schema_editor, table)
    for statement in (
        f"CREATE VIRTUAL TABLE {index} USING fts5(search_key, content='{table}', content_rowid='id', "
        "tokenize='trigram', detail='none')",
        f"CREATE TRIGGER {index}_insert AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {index}(rowid, search_key) VALUES (new.id, new.search_key); END",
        f"CREATE TRIGGER {index}_delete AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {index}({index}, rowid, search_key) VALUES ('delete', old.id, old.search_key); END",
        f"CREATE TRIGGER {index}_update AFTER UPDATE OF search_key ON {table} BEGIN "
        f"INSERT INTO {index}({index}, rowid, search_key) VALUES ('delete', old.id, old.search_key); "
        f"INSERT INTO {index}(rowid, search_key) VALUES (new.id, new.search_key); END",
        f"INSERT INTO {index}({index}) VALUES ('rebuild')",
    ):
        schema_editor.execute(statement)


def drop_sqlite_search(schema_editor, table: str) -> None:
    index = f"{table}_search"
    for trigger in ("insert", "delete", "update"):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {index}_{trigger}")
    schema_editor.execute(f"DROP TABLE IF EXISTS {index}")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for table in TABLES:
            create_sqlite_search(schema_editor, table)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for table in TABLES:
            drop_sqlite_search(schema_editor, table)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_managers_lift_login_pauses"),
        ("contacts", "0005_position_covering_index"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
