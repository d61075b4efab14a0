"""The benchmark harness (bench/): the floor exists only under the bench's settings, it answers exactly
the bytes asked for behind the same login, the query-count header tells the truth, and every target
the harness plans answers 200 to the role it runs as."""

import json
from io import StringIO

from django.core.management import call_command
from django.db import connection
from django.test import SimpleTestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from rest_framework.authtoken.models import Token

from bench.floor import json_bytes
from bench.targets import SCALE_TARGETS, plan, scale_organization, scale_targets
from relations.contacts.models import Contact, Position
from tests.base import RelationsTestCase

BENCH_URLS = override_settings(ROOT_URLCONF="bench.urls")


class FloorIsNeverInProductionTests(RelationsTestCase):
    def test_production_urls_do_not_resolve_the_floor(self):
        for path in ("/bench/floor/api/100", "/bench/floor/web/100"):
            with self.assertRaises(Resolver404):
                resolve(path)
        with self.assertRaises(NoReverseMatch):
            reverse("bench-floor-api", kwargs={"size": 100})

    def test_production_url_patterns_name_no_floor_view(self):
        from relations import urls

        def walk(patterns):
            for pattern in patterns:
                yield pattern
                yield from walk(getattr(pattern, "url_patterns", []))

        callbacks = {getattr(p, "callback", None) and p.callback.__module__ for p in walk(urls.urlpatterns)}
        self.assertNotIn("bench.floor", callbacks)


@BENCH_URLS
class FloorTests(RelationsTestCase):
    def test_json_bytes_is_valid_json_of_the_exact_size(self):
        for size in (2, 5, 12, 13, 1000, 54321):
            body = json_bytes(size)
            self.assertEqual(len(body), size)
            json.loads(body)

    def test_api_floor_needs_a_token_then_answers_the_size_asked(self):
        self.assertEqual(self.client.get("/bench/floor/api/300").status_code, 401)
        token = Token.objects.create(user=self.editor)
        response = self.client.get("/bench/floor/api/300", HTTP_AUTHORIZATION=f"Token {token.key}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/json")
        self.assertEqual(len(response.content), 300)

    def test_web_floor_needs_a_login_then_answers_the_size_asked(self):
        response = self.client.get("/bench/floor/web/4096")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/accounts/login/", response["Location"])
        self.client.force_login(self.viewer)
        response = self.client.get("/bench/floor/web/4096")
        self.assertEqual(len(response.content), 4096)


@override_settings(ROOT_URLCONF="bench.urls", MIDDLEWARE=__import__("bench.settings", fromlist=["x"]).MIDDLEWARE)
class QueryCountHeaderTests(RelationsTestCase):
    def test_header_counts_every_query_of_the_request(self):
        self.client.force_login(self.editor)
        for path in ("/contacts/", f"/organizations/{self.qrcs.pk}/", "/bench/floor/web/10"):
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(path)
            self.assertEqual(response.status_code, 200, path)
            self.assertEqual(int(response["X-Bench-Queries"]), len(queries), path)
            self.assertGreater(len(queries), 0)


class TargetPlanTests(RelationsTestCase):
    def plan(self):
        def resolve_name(name, pk=None):
            try:
                return reverse(name, kwargs={"pk": pk} if pk is not None else None)
            except NoReverseMatch:
                return None

        from django.apps import apps

        return plan(resolve_name, lambda label: apps.get_model(label).objects.order_by("pk").values_list(
            "pk", flat=True).first())

    def test_every_web_list_and_detail_is_planned_once(self):
        targets, _ = self.plan()
        names = [t["name"] for t in targets]
        self.assertEqual(len(names), len(set(names)))
        for kind in ("organizations", "contacts", "events", "agreements"):
            for variant in ("list 25", "list 100", "filtered", "search", "detail"):
                self.assertIn(f"web {kind} {variant}", names)

    def test_an_unresolved_url_is_skipped_with_its_name(self):
        targets, skipped = plan(lambda name, pk=None: None, lambda label: 1)
        self.assertEqual(targets, [])
        self.assertIn("api contacts (no URL contacts-api:contact-list)", skipped)

    def test_every_planned_target_answers_200_to_the_benchmark_role(self):
        token = Token.objects.create(user=self.editor)
        self.client.force_login(self.editor)
        targets, _ = self.plan()
        for target in targets:
            extra = {"HTTP_AUTHORIZATION": f"Token {token.key}"} if target["kind"] == "api" else {}
            response = self.client.get(target["path"], **extra)
            self.assertEqual(response.status_code, 200, target)

    def test_every_scale_target_is_planned_and_answers_200(self):
        token = Token.objects.create(user=self.editor)
        self.client.force_login(self.editor)
        organization = scale_organization()
        targets = scale_targets(self.plan()[0], organization)
        self.assertEqual([t["name"] for t in targets], list(SCALE_TARGETS))
        for target in targets:
            extra = {"HTTP_AUTHORIZATION": f"Token {token.key}"} if target["kind"] == "api" else {}
            self.assertEqual(self.client.get(target["path"], **extra).status_code, 200, target)

    def test_the_scale_organization_list_is_the_articles_people_in_post_there(self):
        """The list the scale compares row for row: an organization of the article (generate_data
        never places people there) and its people in post, the delegation of three."""
        token = Token.objects.create(user=self.editor)
        organization = scale_organization()
        self.assertEqual(organization, self.qrcs.pk)
        targets = scale_targets(self.plan()[0], organization)
        target = next(t for t in targets if t["name"] == "api contacts organization")
        body = self.client.get(target["path"], HTTP_AUTHORIZATION=f"Token {token.key}").json()
        in_post = Contact.objects.filter(positions__in=Position.objects.current().filter(organization=self.qrcs))
        self.assertEqual(sorted(row["id"] for row in body["results"]), sorted(in_post.values_list("pk", flat=True)))
        self.assertEqual(body["count"], 3)

    def test_generated_data_leaves_the_scale_organization_list_as_it_is(self):
        token = Token.objects.create(user=self.editor)
        call_command("generate_data", organizations=30, contacts=300, events=20, agreements=5, seed=7,
                     stdout=StringIO(), stderr=StringIO())
        self.assertGreater(Position.objects.count(), 300)
        organization = scale_organization()
        self.assertEqual(organization, self.qrcs.pk)
        targets = scale_targets(self.plan()[0], organization)
        target = next(t for t in targets if t["name"] == "api contacts organization")
        body = self.client.get(target["path"], HTTP_AUTHORIZATION=f"Token {token.key}").json()
        self.assertEqual(sorted(row["id"] for row in body["results"]),
                         sorted([self.al_sada.pk, *Contact.objects.filter(
                             family_name__in=["Al Beshri", "Al Sukhni"]).values_list("pk", flat=True)]))

    def test_a_scale_variant_needing_the_organization_is_left_out_without_one(self):
        names = [t["name"] for t in scale_targets(self.plan()[0], None)]
        self.assertNotIn("api contacts organization", names)
        self.assertIn("api contacts current", names)


class RoundsTests(SimpleTestCase):
    """``python -m bench run`` measures floor and endpoint in alternating rounds and reports medians."""

    def run_of(self, requests, rps, p50, errors=0):
        return {"requests": requests, "rps": rps, "p50_ms": p50, "p90_ms": p50, "p99_ms": p50 * 2, "max_ms": p50 * 3,
                "mean_ms": p50, "errors": errors, "non2xx": errors, "socket_errors": 0}

    def test_rounds_combine_into_sums_and_medians(self):
        from bench.__main__ import combined

        runs = [self.run_of(100, 100.0, 10.0), self.run_of(300, 300.0, 4.0, errors=1), self.run_of(200, 200.0, 5.0)]
        result = combined(runs)
        self.assertEqual((result["requests"], result["errors"], result["non2xx"]), (600, 1, 1))
        self.assertEqual((result["rps"], result["p50_ms"], result["p99_ms"]), (200.0, 5.0, 10.0))

    def test_a_round_without_an_answer_adds_no_latency(self):
        from bench.__main__ import combined

        silent = {"requests": 0, "rps": 0.0, "p50_ms": None, "p90_ms": None, "p99_ms": None, "max_ms": None,
                  "mean_ms": None, "errors": 0, "non2xx": 0, "socket_errors": 0}
        self.assertEqual(combined([silent, self.run_of(50, 50.0, 7.0)])["p50_ms"], 7.0)
        self.assertEqual(combined([silent])["rps"], 0.0)
        self.assertIsNone(combined([silent])["p50_ms"])
