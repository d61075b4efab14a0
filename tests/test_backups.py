"""Backups: `backup` then `restore` into an emptied database gives back every row and every uploaded file.

The round trip runs on the test database of whichever engine the suite runs on (CI: SQLite, then
PostgreSQL): the article plus generated data plus users, a token, change history and a document;
dump, flush, restore, then every table's row count and a checksum of every row's values (many-to-many
tables and history included) must equal what they were.
"""

import hashlib
import json
import shutil
import sqlite3
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.db.utils import ConnectionHandler
from django.test import TestCase
from rest_framework.authtoken.models import Token

from relations.contacts.models import Contact
from relations.core.backups import FORMAT, backed_up_models, database_rows, read_snapshot
from relations.core.roles import ensure_roles
from relations.core.services import feed_token_get_or_create
from tests.base import RelationsTestCase
from tests.factories import ContactFactory, SourceFactory

DOCUMENT = b"%PDF-1.4 the signed memorandum"


def natural(model):
    """Ids of content types and permissions change with a restore (migrate makes them): compare their names."""
    return {obj.pk: obj.natural_key() for obj in model.objects.all()}


def snapshot() -> dict[str, tuple[int, str]]:
    """Each backed-up table's row count and a SHA-256 of all its rows' values, in primary-key order
    (a many-to-many table's pairs, sorted)."""
    names = {ContentType: natural(ContentType), Permission: natural(Permission)}
    result = {}
    for label, model in sorted(backed_up_models().items()):
        fields = [field for field in model._meta.concrete_fields]
        if model._meta.auto_created:
            # A many-to-many table's own id is referenced by nothing and not backed up: its pairs are the data.
            fields = [field for field in fields if not field.primary_key]
        columns = [field.attname for field in fields]
        rows = [
            repr([names[field.related_model][value] if field.related_model in names and value is not None else value
                  for field, value in zip(fields, row)])
            for row in model._default_manager.order_by("pk").values_list(*columns).iterator()
        ]
        if model._meta.auto_created:
            rows.sort()
        digest = hashlib.sha256("\n".join(rows).encode())
        count = len(rows)
        result[label] = (count, digest.hexdigest())
    return result


class BackupRoundTripTests(RelationsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        call_command("generate_data", organizations=12, contacts=30, events=12, agreements=6, seed=11, verbosity=0)
        Token.objects.create(user=cls.editor)
        feed_token_get_or_create(user=cls.viewer)
        # Change history and a many-to-many change, as the admin and the API make them.
        cls.al_sada.notes = "Met at the Ashgabat conference; prefers Arabic."
        cls.al_sada.save()
        cls.turkmen.sources.add(SourceFactory())
        LogEntry.objects.log_actions(cls.manager.pk, [cls.al_sada], ADDITION, change_message="imported")

    def setUp(self):
        # The flushes below give content types new ids inside this test's transaction, which is rolled back:
        # later tests must not find those ids in ContentType's process-wide cache.
        self.addCleanup(ContentType.objects.clear_cache)
        self.mou.document = SimpleUploadedFile("mou.pdf", DOCUMENT, content_type="application/pdf")
        self.mou.save()
        self.path = self.media_root().parent / "relations-backup.zip"

    def flush(self):
        """Empty the database as `manage.py flush` does (on PostgreSQL, inside this test's transaction)."""
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE refuses pending foreign-key checks
        call_command("flush", interactive=False, verbosity=0)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    def media_root(self):
        from django.conf import settings

        return settings.MEDIA_ROOT

    def test_a_round_trip_through_an_emptied_database_loses_nothing(self):
        before = snapshot()
        # The test proves something only if the tables that are easy to lose are not empty.
        for label in ("auth.user", "auth.user_groups", "auth.group_permissions", "authtoken.token",
                      "contacts.historicalcontact", "contacts.organization_sources", "admin.logentry",
                      "agreements.agreement", "agreements.historicalagreement", "core.feedtoken"):
            self.assertGreater(before[label][0], 0, label)
        call_command("backup", str(self.path), stdout=open("/dev/null", "w"))
        document = self.media_root() / self.mou.document.name

        self.flush()
        document.unlink()
        self.assertEqual(database_rows(), {})
        self.assertNotEqual(snapshot(), before)

        call_command("restore", str(self.path), stdout=open("/dev/null", "w"))
        after = snapshot()
        self.assertEqual(after.keys(), before.keys())
        for label in before:
            self.assertEqual(after[label], before[label], label)
        self.assertEqual(document.read_bytes(), DOCUMENT)

    def test_rows_naming_a_removed_models_content_type_and_permissions_come_back(self):
        # A model removed from the code leaves its content type and permissions, which `migrate` does not
        # recreate; the admin log, a user's and a group's permissions still name them.
        gone = ContentType.objects.create(app_label="gone", model="removedmodel")
        permission = Permission.objects.create(content_type=gone, codename="view_removedmodel", name="Can view it")
        old_on_live = Permission.objects.create(content_type=ContentType.objects.get_for_model(Contact),
                                                codename="export_everything", name="An old custom permission")
        LogEntry.objects.create(user=self.manager, content_type=gone, object_id="1", object_repr="x", action_flag=ADDITION)
        self.viewer.user_permissions.add(permission, old_on_live)
        self.editor.groups.first().permissions.add(permission)
        before = snapshot()
        call_command("backup", str(self.path), stdout=open("/dev/null", "w"))
        self.flush()
        self.assertFalse(ContentType.objects.filter(app_label="gone").exists())
        call_command("restore", str(self.path), stdout=open("/dev/null", "w"))
        self.assertEqual(snapshot(), before)
        entry = LogEntry.objects.get(object_repr="x")
        self.assertEqual(entry.content_type.natural_key(), ("gone", "removedmodel"))
        self.viewer.refresh_from_db()
        self.assertEqual(set(self.viewer.user_permissions.values_list("codename", flat=True)),
                         {"view_removedmodel", "export_everything"})
        self.assertEqual(Permission.objects.get(codename="view_removedmodel").name, "Can view it")

    def test_new_rows_after_a_restore_get_fresh_ids(self):
        # PostgreSQL's sequences restart at 1 on a flush; the restore must move them past the loaded rows.
        call_command("backup", str(self.path), stdout=open("/dev/null", "w"))
        highest = Contact.objects.order_by("-pk").first().pk
        self.flush()
        call_command("restore", str(self.path), stdout=open("/dev/null", "w"))
        contact = ContactFactory()  # also writes a historical row
        contact.notes = "changed"
        contact.save()
        self.turkmen.sources.add(SourceFactory())
        self.assertGreater(contact.pk, highest)
        self.assertEqual(contact.history.count(), 2)

    def test_the_file_is_a_zip_of_the_data_the_documents_and_a_manifest(self):
        call_command("backup", str(self.path), stdout=open("/dev/null", "w"))
        with zipfile.ZipFile(self.path) as archive:
            manifest = json.loads(archive.read("manifest.json"))
            self.assertEqual(manifest["format"], FORMAT)
            self.assertEqual(manifest["database"], connection.vendor)
            self.assertEqual(manifest["rows"]["contacts.contact"], Contact.objects.count())
            self.assertEqual(archive.read(f"media/{self.mou.document.name}"), DOCUMENT)
            data = json.loads(archive.read("data.fulljson"))
        models = {row["model"] for row in data}
        self.assertNotIn("sessions.session", models)
        self.assertNotIn("contenttypes.contenttype", models)
        self.assertNotIn("auth.permission", models)
        # Permissions are named, not numbered, so they match those migrate makes elsewhere.
        group = next(row for row in data if row["model"] == "auth.group")
        self.assertIsInstance(group["fields"]["permissions"][0], list)

    def test_a_restore_refuses_a_database_that_holds_data(self):
        call_command("backup", str(self.path), stdout=open("/dev/null", "w"))
        with self.assertRaisesMessage(CommandError, "The database is not empty"):
            call_command("restore", str(self.path))
        with self.assertRaisesMessage(CommandError, "or pass --force to replace everything in this one"):
            call_command("restore", str(self.path))
        # --force replaces it: afterwards exactly the backup's rows.
        ContactFactory()
        before_force = snapshot()
        call_command("restore", str(self.path), force=True, stdout=open("/dev/null", "w"))
        self.assertEqual(snapshot()["contacts.contact"][0], before_force["contacts.contact"][0] - 1)

    def test_a_freshly_migrated_database_counts_as_empty(self):
        call_command("backup", str(self.path), stdout=open("/dev/null", "w"))
        before = snapshot()
        self.flush()
        ensure_roles()  # what the roles migration leaves in a new database
        self.assertEqual(database_rows(), {})
        call_command("restore", str(self.path), stdout=open("/dev/null", "w"))
        self.assertEqual(snapshot(), before)

    def test_a_changed_document_in_the_media_folder_is_not_overwritten_without_force(self):
        call_command("backup", str(self.path), stdout=open("/dev/null", "w"))
        self.flush()
        (self.media_root() / self.mou.document.name).write_bytes(b"another file")
        with self.assertRaisesMessage(CommandError, "differ from the backup's"):
            call_command("restore", str(self.path))

    def rewrite(self, *, manifest=None, extra=()):
        """The backup at self.path with its manifest changed by ``manifest(dict)`` and ``extra`` (name, bytes) entries added."""
        with zipfile.ZipFile(self.path) as archive:
            entries = {info.filename: archive.read(info) for info in archive.infolist()}
        if manifest:
            data = json.loads(entries["manifest.json"])
            manifest(data)
            entries["manifest.json"] = json.dumps(data).encode()
        with zipfile.ZipFile(self.path, "w") as archive:
            for name, data in [*entries.items(), *extra]:
                archive.writestr(name, data)

    def media_files(self):
        return sorted(p.relative_to(self.media_root()).as_posix() for p in self.media_root().rglob("*"))

    def test_force_leaves_exactly_the_backups_documents_in_the_media_folder(self):
        call_command("backup", str(self.path), stdout=open("/dev/null", "w"))
        stray = self.media_root() / "agreements" / "from-another-instance.pdf"
        stray.write_bytes(b"%PDF old")
        (self.media_root() / "old" / "deeper").mkdir(parents=True)
        (self.media_root() / "old" / "deeper" / "note.txt").write_bytes(b"old")
        call_command("restore", str(self.path), force=True, stdout=open("/dev/null", "w"))
        name = PurePosixPath(self.mou.document.name)
        self.assertEqual(self.media_files(), sorted([*(p.as_posix() for p in name.parents if p.name), name.as_posix()]))
        self.assertEqual((self.media_root() / self.mou.document.name).read_bytes(), DOCUMENT)
        # ... so the next backup holds only those.
        call_command("backup", str(self.path), stdout=open("/dev/null", "w"))
        with zipfile.ZipFile(self.path) as archive:
            self.assertEqual([n for n in archive.namelist() if n.startswith("media/")], [f"media/{self.mou.document.name}"])

    def test_a_restore_that_fails_changes_neither_the_database_nor_the_documents(self):
        call_command("backup", str(self.path), stdout=open("/dev/null", "w"))
        stray = self.media_root() / "agreements" / "kept.pdf"
        stray.write_bytes(b"%PDF kept")
        before, files = snapshot(), self.media_files()
        # The row counts do not match: the database part fails after the documents were unpacked.
        self.rewrite(manifest=lambda m: m["rows"].update({"contacts.contact": m["rows"]["contacts.contact"] + 1}))
        (self.media_root() / self.mou.document.name).unlink()
        files.remove(self.mou.document.name)
        with self.assertRaisesMessage(CommandError, "row counts differ"):
            call_command("restore", str(self.path), force=True)
        self.assertEqual(snapshot(), before)
        self.assertEqual(self.media_files(), files)
        # Unpacking fails part-way (a file where a folder must go): nothing changed either, no traceback.
        call_command("backup", str(self.path), stdout=open("/dev/null", "w"))
        self.rewrite(extra=[("media/zz/file", b"x"), ("media/zz/file/below", b"y")])
        with self.assertRaisesMessage(CommandError, "Cannot unpack 'media/zz/file/below' into the media folder"):
            call_command("restore", str(self.path), force=True)
        self.assertEqual(snapshot(), before)
        self.assertEqual(self.media_files(), files)

    def test_an_entry_naming_the_media_folder_itself_is_refused(self):
        call_command("backup", str(self.path), stdout=open("/dev/null", "w"))
        self.rewrite(extra=[("media/.", b"boom")])
        self.flush()
        files = self.media_files()
        with self.assertRaisesMessage(CommandError, "The backup names the media folder itself, not a file in it: 'media/.'"):
            call_command("restore", str(self.path))
        self.assertEqual(database_rows(), {})
        self.assertEqual(self.media_files(), files)

    def test_bad_files_get_a_clear_error(self):
        with self.assertRaisesMessage(CommandError, "There is no backup file"):
            call_command("restore", str(self.path))
        self.path.write_bytes(b"not a zip")
        with self.assertRaisesMessage(CommandError, "is not a Relations backup (not a zip file)"):
            call_command("restore", str(self.path))
        with zipfile.ZipFile(self.path, "w") as archive:
            archive.writestr("manifest.json", json.dumps({"format": FORMAT, "migrations": [], "rows": {}}))
            archive.writestr("media/../../escape.txt", "x")
        self.flush()
        with self.assertRaisesMessage(CommandError, "outside the media folder"):
            call_command("restore", str(self.path))
        with zipfile.ZipFile(self.path, "w") as archive:
            archive.writestr("manifest.json", json.dumps({"format": FORMAT, "migrations": ["contacts.9999_future"],
                                                          "rows": {}}))
        with self.assertRaisesMessage(CommandError, "newer schema"):
            call_command("restore", str(self.path))


class SQLiteReadSnapshotTests(TestCase):
    """What a backup's read transaction (relations.core.backups.read_snapshot) does to writers on SQLite."""

    def connect(self, journal_mode):
        # A file database of its own, opened as settings.py opens SQLite (every transaction IMMEDIATE).
        path = Path(tempfile.mkdtemp()) / "scratch.sqlite3"
        self.addCleanup(shutil.rmtree, path.parent)
        settings_dict = ConnectionHandler({"default": {
            "ENGINE": "django.db.backends.sqlite3", "NAME": str(path),
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }}).settings["default"]
        connection = DatabaseWrapper(settings_dict, alias="backup_scratch")
        connections["backup_scratch"] = connection
        self.addCleanup(connections.__delitem__, "backup_scratch")
        self.addCleanup(connection.close)
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA journal_mode={journal_mode}")
            cursor.execute("CREATE TABLE t (x integer)")
            cursor.execute("INSERT INTO t VALUES (1)")
        writer = sqlite3.connect(path, timeout=0, isolation_level=None)
        self.addCleanup(writer.close)
        return connection, writer

    def read_while_writing(self, journal_mode):
        """(rows read first, whether another connection could write meanwhile, rows read after that write)."""
        connection, writer = self.connect(journal_mode)

        def rows():
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM t")
                return cursor.fetchone()[0]

        with read_snapshot("backup_scratch"):
            first = rows()
            try:
                writer.execute("INSERT INTO t VALUES (2)")
                wrote = True
            except sqlite3.OperationalError:  # database is locked
                wrote = False
            second = rows()
        self.assertEqual(connection.transaction_mode, "IMMEDIATE")
        return first, wrote, second

    def test_in_wal_mode_writers_go_on_while_the_backup_reads_one_snapshot(self):
        self.assertEqual(self.read_while_writing("wal"), (1, True, 1))

    def test_in_rollback_journal_mode_the_backup_keeps_the_write_lock(self):
        # A deferred read would let a writer take the lock and then block every new reader until it commits.
        self.assertEqual(self.read_while_writing("delete"), (1, False, 1))
