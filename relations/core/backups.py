"""Whole-database backups that restore on SQLite and PostgreSQL alike (README "Deploying").

A backup is one zip file:

- ``data.fulljson``: Django's ``dumpdata`` (JSON, times to the microsecond: relations/core/backup_format.py) of every installed app, with natural foreign keys, so the
  rows that ``migrate`` recreates with its own ids (content types, permissions) are named, not
  numbered. Left out: content types and permissions (``migrate`` makes them; the manifest lists them
  by name, and a restore recreates those of models since removed, which old rows still name) and
  sessions (a restore logs everybody out). Everything else is in: users, groups, API tokens, calendar keys, every
  record, its change history, the admin's log and the login-limit counts.
- ``media/...``: every uploaded file (agreement documents) under MEDIA_ROOT.
- ``manifest.json``: the format, when and from which database it was made, the row count of each
  model and the migrations applied, which a restore checks.

The dump is read in one transaction (REPEATABLE READ on PostgreSQL; on SQLite see ``read_snapshot``),
so it is consistent even while people keep working. A restore loads into an empty, migrated database of the same or a later schema,
in one transaction: ``loaddata`` then resets PostgreSQL's sequences, so new rows get fresh ids.
"""

import contextlib
import datetime
import json
import shutil
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder

FORMAT = "relations-backup/1"
DATA, MANIFEST, MEDIA = "data.fulljson", "manifest.json", "media/"
# Rows that `migrate` makes, or that mean nothing on another server.
EXCLUDED = ("contenttypes", "auth.permission", "sessions")
# A freshly migrated database already holds these rows (relations/core/roles.py); a restore replaces them.
MIGRATION_SEEDED = {"auth.group", "auth.group_permissions"}


class BackupError(Exception):
    """A backup that cannot be restored here; the message says why and what to do."""


def backed_up_models():
    """Every concrete model whose rows a backup holds, with the auto-created M2M tables, by label."""
    models = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if model._meta.proxy or not model._meta.managed:
            continue
        if label.split(".")[0] in EXCLUDED or label in EXCLUDED:
            continue
        if model._meta.auto_created:
            # A many-to-many table belongs to the model that declares it (auth.user_groups to auth.user).
            owner = model._meta.auto_created._meta.label_lower
            if owner in EXCLUDED:
                continue
        models[label] = model
    return models


def row_counts(using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    return {label: model._default_manager.using(using).count() for label, model in sorted(backed_up_models().items())}


def _applied_migrations(using: str) -> list[str]:
    return sorted(f"{app}.{name}" for app, name in MigrationRecorder(connections[using]).applied_migrations())


def _type_names(using: str) -> dict:
    """Every content type and permission by natural key (permissions with their names).

    The dump names them rather than holding them, since `migrate` recreates those of installed models.
    A model removed from the code leaves its content type and permissions behind, still referenced by
    the admin log or by users' and groups' permissions; the restore recreates those from this list.
    """
    return {
        "content_types": sorted(ContentType.objects.using(using).values_list("app_label", "model")),
        "permissions": sorted(
            Permission.objects.using(using).values_list("codename", "content_type__app_label", "content_type__model", "name")
        ),
    }


def _recreate_type_names(manifest: dict, using: str) -> int:
    """Make the content types and permissions the backup names that `migrate` did not; returns how many."""
    content_types = {
        (app_label, model): pk for pk, app_label, model in ContentType.objects.using(using).values_list("pk", "app_label", "model")
    }
    missing = [ContentType(app_label=app_label, model=model)
               for app_label, model in manifest.get("content_types", []) if (app_label, model) not in content_types]
    ContentType.objects.using(using).bulk_create(missing)
    if missing:
        content_types = {
            (app_label, model): pk
            for pk, app_label, model in ContentType.objects.using(using).values_list("pk", "app_label", "model")
        }
    held = set(Permission.objects.using(using).values_list("codename", "content_type__app_label", "content_type__model"))
    permissions = [
        Permission(codename=codename, content_type_id=content_types[app_label, model], name=name)
        for codename, app_label, model, name in manifest.get("permissions", [])
        if (codename, app_label, model) not in held and (app_label, model) in content_types
    ]
    Permission.objects.using(using).bulk_create(permissions)
    ContentType.objects.clear_cache()
    return len(missing) + len(permissions)


@contextlib.contextmanager
def read_snapshot(using: str = DEFAULT_DB_ALIAS):
    """A transaction in which every read sees the same committed state of every table.

    PostgreSQL: REPEATABLE READ, READ ONLY - writers go on as usual. SQLite (settings.py begins every
    transaction IMMEDIATE, taking the write lock): in WAL mode a plain (deferred) BEGIN is enough, since
    a reading transaction sees the snapshot of its first read and writers go on; in the default
    rollback-journal mode the lock is kept: there a reader blocks every writer's commit anyway, and a
    writer waiting to commit blocks every new reader, so holding the write lock at least keeps the
    pages readable while the backup runs (writers wait, up to the 20 s timeout).
    """
    connection = connections[using]
    outermost = not connection.in_atomic_block
    deferred, begin = False, None
    if outermost and connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            deferred = cursor.fetchone()[0].lower() == "wal"
        if deferred:
            begin, connection.transaction_mode = connection.transaction_mode, "DEFERRED"
    try:
        with transaction.atomic(using=using):
            if deferred:
                connection.transaction_mode = begin  # only this BEGIN is deferred
            if connection.vendor == "postgresql" and outermost:
                # One snapshot for every table: rows added while the dump runs are either all in or all out.
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            yield
    finally:
        if deferred:
            connection.transaction_mode = begin


def backup_write(*, path: Path, using: str = DEFAULT_DB_ALIAS) -> dict:
    """Write the database and the uploaded files to the zip file at ``path``; returns the manifest."""
    path = Path(path)
    connection = connections[using]
    with tempfile.TemporaryDirectory() as scratch:
        dump = Path(scratch) / DATA
        with read_snapshot(using):
            counts = row_counts(using)
            call_command(
                "dumpdata", exclude=list(EXCLUDED), natural_foreign=True, output=str(dump), format="fulljson",
                database=using, verbosity=0,
            )
            manifest = {
                "format": FORMAT,
                "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
                "database": connection.vendor,
                "rows": counts,
                "migrations": _applied_migrations(using),
                "media_files": 0,
                **_type_names(using),
            }
        media_root = Path(settings.MEDIA_ROOT)
        partial = path.with_name(path.name + ".partial")
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.write(dump, DATA)
            if media_root.is_dir():
                for file in _media_files(media_root):
                    archive.write(file, MEDIA + file.relative_to(media_root).as_posix())
                    manifest["media_files"] += 1
            archive.writestr(MANIFEST, json.dumps(manifest, indent=2, sort_keys=True))
        partial.replace(path)  # never leave a half-written file under the name asked for
    return manifest


def _read_manifest(archive: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except (KeyError, ValueError):
        raise BackupError("This file is not a Relations backup: it has no readable manifest.json.") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"This backup's format is {manifest.get('format')!r}; this version reads {FORMAT!r}.")
    return manifest


# Folders a restore makes under MEDIA_ROOT for a moment (the backup's files before the database commits,
# the replaced files until the new ones are in place); a backup leaves them out.
STAGING_PREFIX = ".relations-restore-"


def _media_files(media_root: Path):
    """The uploaded files under ``media_root``, leaving out a restore's staging folders."""
    for file in sorted(p for p in media_root.rglob("*") if p.is_file()):
        if not file.relative_to(media_root).parts[0].startswith(STAGING_PREFIX):
            yield file


def _media_targets(archive: zipfile.ZipFile) -> list[tuple[zipfile.ZipInfo, PurePosixPath, Path]]:
    """(entry, path under MEDIA_ROOT, where it goes) of every media file in the backup; refuses odd names."""
    root = Path(settings.MEDIA_ROOT).resolve()
    targets = []
    for info in archive.infolist():
        if not info.filename.startswith(MEDIA) or info.is_dir():
            continue
        relative = PurePosixPath(info.filename[len(MEDIA):])
        target = (root / relative).resolve()
        if relative.is_absolute() or ".." in relative.parts or not target.is_relative_to(root):
            raise BackupError(f"The backup names a file outside the media folder: {info.filename!r}. Nothing was restored.")
        if target == root or not relative.parts or relative.parts[0].startswith(STAGING_PREFIX):
            raise BackupError(f"The backup names the media folder itself, not a file in it: {info.filename!r}. "
                              "Nothing was restored.")
        targets.append((info, relative, target))
    return targets


def _stage_media(archive: zipfile.ZipFile, media, staging: Path) -> None:
    """Unpack the backup's files into ``staging`` (a fresh folder under MEDIA_ROOT, so moving them is a rename)."""
    for info, relative, target in media:
        staged = staging.joinpath(*relative.parts)
        try:
            staged.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(info) as source, open(staged, "xb") as copy:
                shutil.copyfileobj(source, copy)
        except OSError as error:
            raise BackupError(f"Cannot unpack {info.filename!r} into the media folder ({error.strerror or error}). "
                              "Nothing was restored.") from None


def _put_media_in_place(media, staging: Path, *, replace: bool) -> None:
    """Move the staged files to their places; with ``replace``, whatever else MEDIA_ROOT held goes first."""
    root = Path(settings.MEDIA_ROOT)
    if replace:
        replaced = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX + "old-", dir=root))
        for entry in list(root.iterdir()):
            if not entry.name.startswith(STAGING_PREFIX):
                entry.rename(replaced / entry.name)
        shutil.rmtree(replaced)
    for info, relative, target in media:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging.joinpath(*relative.parts).replace(target)


def database_rows(using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """The rows the database holds beyond what `migrate` puts in a fresh one."""
    return {label: count for label, count in row_counts(using).items() if count and label not in MIGRATION_SEEDED}


def backup_restore(*, path: Path, force: bool = False, using: str = DEFAULT_DB_ALIAS) -> dict:
    """Load the backup at ``path`` into this (empty, migrated) database and MEDIA_ROOT; returns its manifest.

    With ``force``, whatever the database and the media folder hold is replaced: afterwards MEDIA_ROOT
    holds exactly the backup's files.
    """
    path = Path(path)
    if not zipfile.is_zipfile(path):
        raise BackupError(f"{path} is not a Relations backup (not a zip file).")
    with zipfile.ZipFile(path) as archive:
        manifest = _read_manifest(archive)
        missing = sorted(set(manifest["migrations"]) - set(_applied_migrations(using)))
        if missing:
            raise BackupError(
                f"The backup comes from a newer schema: this database lacks {len(missing)} migration(s), "
                f"e.g. {missing[0]}. Update the code and run `manage.py migrate`, then restore."
            )
        held = database_rows(using)
        if held and not force:
            listed = ", ".join(f"{count} {label}" for label, count in sorted(held.items())[:5])
            raise BackupError(
                f"The database is not empty ({listed}{', ...' if len(held) > 5 else ''}). Restore into an empty, "
                "migrated database, or pass --force to replace everything in this one."
            )
        media = _media_targets(archive)
        clashing = [target for info, relative, target in media
                    if target.exists() and target.read_bytes() != archive.read(info)]
        if clashing and not force:
            raise BackupError(
                f"{len(clashing)} file(s) in MEDIA_ROOT differ from the backup's, e.g. {clashing[0]}. "
                "Restore into an empty media folder, or pass --force to overwrite them."
            )
        media_root = Path(settings.MEDIA_ROOT)
        media_root.mkdir(parents=True, exist_ok=True)
        with (tempfile.TemporaryDirectory() as scratch,
              tempfile.TemporaryDirectory(prefix=STAGING_PREFIX, dir=media_root) as staging):
            # The documents are unpacked next to their places before the database changes (a full disk or
            # an odd entry stops the restore with nothing changed), and moved into place once it committed.
            _stage_media(archive, media, Path(staging))
            dump = Path(scratch) / DATA
            with archive.open(DATA) as source, open(dump, "wb") as copy:
                shutil.copyfileobj(source, copy)
            connection = connections[using]
            with transaction.atomic(using=using):
                if connection.vendor == "postgresql":
                    # TRUNCATE refuses tables with foreign-key checks still pending in this transaction.
                    with connection.cursor() as cursor:
                        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                # Empty every table (the migration's groups too, which the backup brings back with their
                # own ids), recreate content types and permissions, then load.
                call_command("flush", interactive=False, database=using, verbosity=0)
                if connection.vendor == "postgresql":
                    # Back to Django's deferred foreign keys: the dump may name a row before the row it points to.
                    with connection.cursor() as cursor:
                        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                ContentType.objects.clear_cache()
                # Content types and permissions of models no longer in the code, which rows still name.
                _recreate_type_names(manifest, using)
                call_command("loaddata", str(dump), database=using, verbosity=0)
                loaded = row_counts(using)
                wrong = {label: (count, loaded.get(label)) for label, count in manifest["rows"].items()
                         if loaded.get(label) != count}
                if wrong:
                    # Rolls the whole restore back: better no data than data that quietly differs.
                    raise BackupError(f"The restored row counts differ from the backup's (expected, got): {wrong}.")
            _put_media_in_place(media, Path(staging), replace=force)
    return manifest
