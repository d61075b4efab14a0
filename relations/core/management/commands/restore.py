from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from relations.core.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Load a file written by `backup` into this database and MEDIA_ROOT. The database must be migrated "
        "(`manage.py migrate`) and empty: a restore refuses to mix a backup with other data unless --force, "
        "which replaces everything the database holds."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="A zip file written by `manage.py backup`.")
        parser.add_argument(
            "--force", action="store_true",
            help="Replace whatever the database and the media folder hold: afterwards they hold exactly the "
                 "backup's rows and files (the files are swapped in once the database has committed).",
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args, **options):
        path = options["file"]
        if not path.is_file():
            raise CommandError(f"There is no backup file {path}.")
        try:
            manifest = backup_restore(path=path, force=options["force"], using=options["database"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(manifest["rows"].values())
        self.stdout.write(self.style.SUCCESS(
            f"Restored {rows} rows and {manifest['media_files']} uploaded file(s) from the backup of "
            f"{manifest['created']} ({manifest['database']}). Everybody needs to log in again."
        ))
