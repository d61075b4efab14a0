"""API lists are serialized by the lean path (relations/core/api/lean.py) with exactly DRF's output, and faster.

Every resource is listed twice, once as served and once with the stock ``ListSerializer``
patched back in, on the article's data plus generated records, for a viewer and for an editor
(who also sees a person's email, phone and notes); JSON pages and CSV exports must be identical.
"""

import time
from unittest import mock

from django.core.management import call_command
from django.urls import reverse
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from relations.agreements.api.views import AgreementViewSet
from relations.contacts.api.views import ContactViewSet, OrganizationViewSet
from relations.core.api.lean import LeanListSerializer
from relations.core.api.views import SourceViewSet, TopicViewSet
from relations.events.api.views import EventViewSet
from tests.base import RelationsTestCase

RESOURCES = {
    "contacts-api:organization-list": OrganizationViewSet,
    "contacts-api:contact-list": ContactViewSet,
    "events-api:event-list": EventViewSet,
    "agreements-api:agreement-list": AgreementViewSet,
    "core-api:topic-list": TopicViewSet,
    "core-api:source-list": SourceViewSet,
}
ROWS = 50


def stock_lists():
    """DRF's own ListSerializer.to_representation in place of the lean one."""
    return mock.patch.object(LeanListSerializer, "to_representation", serializers.ListSerializer.to_representation)


class LeanListTests(RelationsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        call_command("generate_data", organizations=60, contacts=120, events=60, agreements=60, seed=7, verbosity=0)

    def test_every_list_and_csv_is_identical_on_both_paths_for_every_persona(self):
        for persona in (self.viewer, self.editor):
            self.client.force_login(persona)
            for url_name in RESOURCES:
                for params in ({"page_size": 200}, {"page": 2, "page_size": 3}, {"format": "csv"}):
                    with self.subTest(persona=persona.username, url=url_name, **params):
                        lean = self.client.get(reverse(url_name), params)
                        with stock_lists():
                            stock = self.client.get(reverse(url_name), params)
                        self.assertEqual(lean.status_code, 200)
                        body = (lambda r: b"".join(r.streaming_content)) if lean.streaming else (lambda r: r.content)
                        lean_body, stock_body = body(lean), body(stock)
                        self.assertEqual(lean_body, stock_body)
                        self.assertGreater(len(lean_body), 200)

    def test_personal_details_only_in_the_editors_rows(self):
        rows = {}
        for persona in (self.viewer, self.editor):
            self.client.force_login(persona)
            rows[persona] = self.client.get(reverse("contacts-api:contact-list"), {"page_size": 5}).json()["results"]
        self.assertNotIn("email", rows[self.viewer][0])
        self.assertIn("email", rows[self.editor][0])

    def test_the_lean_path_serializes_a_page_of_50_faster(self):
        request = Request(APIRequestFactory().get("/api/"))
        request.user = self.editor
        context = {"request": request, "format": None}
        report = []
        for url_name, viewset in RESOURCES.items():
            records = list(viewset.queryset.all()[:ROWS])
            serializer_class = viewset.serializer_class
            lean = serializer_class(many=True, context=context)
            stock = serializers.ListSerializer(child=serializer_class(context=context), context=context)
            self.assertIsInstance(lean, LeanListSerializer)
            self.assertEqual(lean.to_representation(records), stock.to_representation(records))
            timings = {}
            for name, serializer in (("stock", stock), ("lean", lean)):
                best = float("inf")
                for _ in range(15):  # the best run: a busy machine only ever adds time
                    started = time.perf_counter()
                    serializer.to_representation(records)
                    best = min(best, time.perf_counter() - started)
                timings[name] = best
            report.append(
                f"{url_name}: {len(records)} rows, stock {timings['stock'] * 1000:.2f} ms, "
                f"lean {timings['lean'] * 1000:.2f} ms, lean/stock {timings['lean'] / timings['stock']:.2f}"
            )
            with self.subTest(url_name):
                self.assertLess(timings["lean"], timings["stock"])
        print("\n" + "\n".join(report))
