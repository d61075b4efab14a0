from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from relations.core.backups import backup_write


class Command(BaseCommand):
    help = (
        "Write the whole database (users, groups, tokens, every record and its history; not sessions) and every "
        "uploaded file to one zip file, which `restore` loads into an empty database, SQLite or PostgreSQL."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The zip file to write, e.g. relations-2026-11-29.zip.")
        parser.add_argument("--database", default="default")

    def handle(self, *args, **options):
        path = options["file"]
        if not path.parent.is_dir():
            raise CommandError(f"There is no folder {path.parent} to write the backup in.")
        manifest = backup_write(path=path, using=options["database"])
        rows = sum(manifest["rows"].values())
        self.stdout.write(self.style.SUCCESS(
            f"Wrote {path}: {rows} rows of {len(manifest['rows'])} tables and {manifest['media_files']} uploaded "
            f"file(s), {path.stat().st_size} bytes."
        ))
