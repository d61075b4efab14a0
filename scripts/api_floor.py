"""A page of 100 agreements from the API against Django's floor, with 10,000 agreements in the database.

    .venv/bin/python scripts/api_floor.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/relations_floor .venv/bin/python scripts/api_floor.py

Fills a scratch database (a temporary SQLite file, or the PostgreSQL database named by DATABASE_URL,
which is FLUSHED: use a scratch one) with the article and `generate_data` (10,000 agreements and a
few hundred partners, people and events), then, in one process and interleaved so that both see the
same machine, times GET /api/agreements/?page_size=100 (a Viewer's session) and a bare Django view
answering pre-encoded JSON bytes of exactly the same size, behind the same middleware. Prints the
median, p90 and the ratio. In process (Django's test client, no network, no zeal): the cost of the
API's own work on top of Django. bench/ measures the same over HTTP under load.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def bare(request, size):
    from django.http import HttpResponse

    return HttpResponse(b'{"results": []}'.ljust(size), content_type="application/json")


def urlpatterns_():
    from django.urls import include, path

    return [path("bare/<int:size>/", bare, name="bare"), path("", include("relations.urls"))]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agreements", type=int, default=10_000)
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--runs", type=int, default=41)
    parser.add_argument("--profile", action="store_true", help="also print where the API requests spend their time (cProfile)")
    args = parser.parse_args()

    scratch = tempfile.TemporaryDirectory()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch.name}/floor.sqlite3")
    # The test client speaks plain HTTP: production settings would otherwise redirect it to https.
    os.environ.update(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="api-floor-measurement", DJANGO_ALLOWED_HOSTS="testserver",
                      DJANGO_SECURE_SSL_REDIRECT="0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relations.settings")
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.test import Client, override_settings
    from django.urls import reverse

    from relations.agreements.models import Agreement
    from relations.core.roles import ensure_roles

    print(f"database: {os.environ['DATABASE_URL'].split('://')[0]}", flush=True)
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    ensure_roles()  # flush emptied the groups the data migration made
    call_command("loaddata", "article", verbosity=0)
    started = time.perf_counter()
    call_command(
        "generate_data", organizations=300, contacts=1000, events=300, agreements=args.agreements, seed=1, verbosity=0
    )
    print(f"generate_data: {time.perf_counter() - started:.1f} s; {Agreement.objects.count():,} agreements", flush=True)

    viewer = User.objects.create_user("floor-viewer")
    viewer.groups.add(Group.objects.get(name="Viewer"))
    client = Client()
    client.force_login(viewer)

    module = type(sys)("api_floor_urls")
    module.urlpatterns = urlpatterns_()
    sys.modules["api_floor_urls"] = module
    with override_settings(ROOT_URLCONF="api_floor_urls"):
        api_url = f"{reverse('agreements-api:agreement-list')}?page_size={args.page_size}"
        response = client.get(api_url)
        assert response.status_code == 200, response.status_code
        assert len(response.json()["results"]) == args.page_size
        size = len(response.content)
        bare_url = reverse("bare", args=[size])
        assert len(client.get(bare_url).content) == size
        api, floor = [], []
        for _ in range(args.runs):
            for url, timings in ((api_url, api), (bare_url, floor)):
                started = time.perf_counter()
                client.get(url)
                timings.append(time.perf_counter() - started)

        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.runcall(lambda: [client.get(api_url) for _ in range(10)])
            pstats.Stats(profiler).sort_stats("tottime").print_stats(25)

    def line(name, timings):
        p90 = statistics.quantiles(timings, n=10)[-1]
        return f"{name:<48} median {statistics.median(timings) * 1000:7.2f} ms   p90 {p90 * 1000:7.2f} ms"

    print(f"{args.runs} requests each, interleaved; response {size:,} bytes")
    print(line(f"GET /api/agreements/?page_size={args.page_size}", api))
    print(line(f"bare view, {size:,} bytes of JSON", floor))
    print(f"ratio of medians: {statistics.median(api) / statistics.median(floor):.1f}x")


if __name__ == "__main__":
    main()
