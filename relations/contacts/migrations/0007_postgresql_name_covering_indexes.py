"""PostgreSQL only: the names that lists show beside a record, readable from an index.

A page of events lists each participant's organization and person by name, a page of agreements
each party's and signatory's, a page of people each position's organization: the nested rows' query
(relations/core/api/lean.py) joins those tables by primary key to read a name. From the primary key
index PostgreSQL must still visit the table for the name, and for a page of 50 events (243
participants) it found hashing all 2,011 organizations of the bench data cheaper than 243 visits:
0.4 ms on every page, even a page of one event, growing with the number of partners. With the
names in an index on the primary key (``INCLUDE``) each look-up is one index-only read, the same
whatever the table's size: a page of 50 events' nested rows took 1.26 ms instead of 1.57 ms,
agreements 1.24 instead of 1.35.

SQLite keeps its rows in primary key order (a rowid table), so a look-up there reads the name
with the key; nothing is done on other databases.
"""

from django.db import migrations

INDEXES = {
    "contacts_organization_id_name": ("contacts_organization", ("name",)),
    "contacts_contact_id_names": ("contacts_contact", ("honorific", "given_name", "family_name")),
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    for name, (table, columns) in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX {quote(name)} ON {quote(table)} (id) INCLUDE ({', '.join(map(quote, columns))})"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


class Migration(migrations.Migration):
    dependencies = [("contacts", "0006_name_and_recently_changed_indexes")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
