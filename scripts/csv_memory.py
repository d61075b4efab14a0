"""Peak memory of a CSV download by row count: does the export stream?

    .venv/bin/python scripts/csv_memory.py 10000 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/relations_csvmem .venv/bin/python scripts/csv_memory.py 10000 100000

For each row count, one process fills a scratch database (a temporary SQLite file, or the
PostgreSQL database named by DATABASE_URL, created if missing and FLUSHED: use a scratch one)
with that many organizations and people, and a fresh process then downloads /organizations/export.csv and
/contacts/export.csv through Django's test client, reading each to the end. It prints the
process's resident memory before the download and at its peak (getrusage ru_maxrss), and with
--tracemalloc the peak of Python allocations while the download is produced and read.
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXPORTS = ["/organizations/export.csv", "/contacts/export.csv", "/api/organizations/?format=csv", "/api/contacts/?format=csv"]


def django_setup():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relations.settings")
    import django

    django.setup()


def fill(rows):
    django_setup()
    from django.core.management import call_command

    from relations.contacts.models import Organization
    from tests.bulk import add_contacts, add_organizations

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    add_organizations(rows)
    add_contacts(rows, organization=Organization.objects.first())


def peak_kib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def stream(url, trace):
    django_setup()
    import tracemalloc

    from django.contrib.auth import get_user_model
    from django.test import Client

    users = get_user_model().objects
    user = users.filter(username="csvmem").first() or users.create_superuser("csvmem", password=None)
    client = Client()
    client.force_login(user)
    client.get(url + ("&" if "?" in url else "?") + "search=nothing-matches")  # imports, templates and connections in place
    if trace:
        tracemalloc.start()
    before = peak_kib()
    lines = sum(chunk.count(b"\n") for chunk in client.get(url).streaming_content)
    python_peak = f"{tracemalloc.get_traced_memory()[1] / 2**20:.1f}" if trace else "-"
    print(f"{url}\t{lines - 1}\t{before / 1024:.1f}\t{peak_kib() / 1024:.1f}\t{python_peak}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("rows", type=int, nargs="+")
    parser.add_argument(
        "--tracemalloc", action="store_true",
        help="also report the peak of Python allocations during the download (slower; RSS then includes tracing)",
    )
    args = parser.parse_args()
    env = {**os.environ, "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "csv-memory-measurement", "DJANGO_ALLOWED_HOSTS": "testserver",
           # The test client speaks plain HTTP: production settings would redirect it to https.
           "DJANGO_SECURE_SSL_REDIRECT": "0"}
    scratch = tempfile.TemporaryDirectory()
    env.setdefault("DATABASE_URL", f"sqlite:///{scratch.name}/csvmem.sqlite3")
    # WhiteNoise (DEBUG off) warns about a missing static directory; the downloads need none.
    env.setdefault("DJANGO_STATIC_ROOT", scratch.name)
    if env["DATABASE_URL"].startswith(("postgres://", "postgresql://")):
        sys.path.insert(0, str(ROOT))
        from bench.__main__ import ensure_database

        ensure_database(env["DATABASE_URL"], fresh=False)
    print(f"database: {env['DATABASE_URL'].split('://')[0]}")
    print("export\trows\tRSS before (MiB)\tpeak RSS (MiB)\tpeak Python allocations (MiB)", flush=True)
    for rows in args.rows:
        subprocess.run([sys.executable, __file__, "--fill", str(rows)], env=env, check=True)
        for url in EXPORTS:
            trace = ["--trace"] if args.tracemalloc else []
            subprocess.run([sys.executable, __file__, "--stream", url, *trace], env=env, check=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--fill"]:
        fill(int(sys.argv[2]))
    elif sys.argv[1:2] == ["--stream"]:
        stream(sys.argv[2], trace="--trace" in sys.argv)
    else:
        main()
