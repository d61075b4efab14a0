"""Prepare the benchmark database and describe it; run by ``python -m bench`` in a child process with
``DJANGO_SETTINGS_MODULE=bench.settings`` and the benchmark's database.

Idempotent: migrations, the article (keyed by UUIDs), generated data (one seed is applied once: a
second run with the same seed keeps what is there; the JSON reports the actual row counts), static
files, and the benchmark user ``bench`` (Editor, so it sees contact details: the heaviest
representation) with an API token and a logged-in session. Prints one JSON object on stdout.
"""

import argparse
import json
import sys

import django


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.prepare")
    parser.add_argument("--organizations", type=int, required=True)
    parser.add_argument("--contacts", type=int, required=True)
    parser.add_argument("--events", type=int, required=True)
    parser.add_argument("--agreements", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--anchor-date", default="2026-06-01")
    args = parser.parse_args(argv)

    django.setup()
    from django.apps import apps
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command, get_commands
    from django.core.management.base import CommandError
    from django.test import Client
    from django.urls import NoReverseMatch, reverse
    from rest_framework.authtoken.models import Token

    from bench.targets import plan, scale_organization
    from relations.core.roles import EDITOR, ensure_roles

    log = sys.stderr
    call_command("migrate", interactive=False, verbosity=0)
    call_command("loaddata", "article", verbosity=0)
    generated = "generate_data" in get_commands()
    if generated:
        try:
            call_command(
                "generate_data", organizations=args.organizations, contacts=args.contacts, events=args.events,
                agreements=args.agreements, seed=args.seed, anchor_date=__import__("datetime").date.fromisoformat(
                    args.anchor_date), stdout=log, stderr=log,
            )
        except CommandError as error:  # the seed is already in this database: keep it
            print(f"generate_data: {error} (keeping the data already there)", file=log)
    else:
        print("generate_data is not available: benchmarking the article's data only", file=log)
    call_command("collectstatic", interactive=False, verbosity=0)
    from django.db import connection

    if connection.vendor == "postgresql":
        # A production server's autovacuum gathers statistics and the visibility map after a bulk load;
        # without them (autovacuum off, or the minute before it runs) the planner guesses: a
        # 50-person page's positions were read by scanning all of them. Measure the steady state.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")

    ensure_roles()
    user, _ = User.objects.get_or_create(username="bench", defaults={"email": "bench@example.org"})
    user.set_unusable_password()
    user.save()
    user.groups.set(Group.objects.filter(name=EDITOR))
    token, _ = Token.objects.get_or_create(user=user)
    client = Client()
    client.force_login(user, backend="relations.core.auth.PermissionsModelBackend")
    session = client.cookies["sessionid"].value

    def resolve(name, pk=None):
        try:
            return reverse(name, kwargs={"pk": pk} if pk is not None else None)
        except NoReverseMatch:
            return None

    def first_pk(label):
        return apps.get_model(label).objects.order_by("pk").values_list("pk", flat=True).first()

    targets, skipped = plan(resolve, first_pk)
    counts = {
        label: apps.get_model(label).objects.count()
        for label in ("contacts.Organization", "contacts.Contact", "contacts.Position", "events.Event",
                      "events.Participation", "agreements.Agreement")
    }
    json.dump(
        {"token": token.key, "session": session, "targets": targets, "skipped": skipped, "rows": counts,
         "generated": generated, "scale_organization": scale_organization()},
        sys.stdout,
    )


if __name__ == "__main__":
    main()
