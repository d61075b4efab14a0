"""API lists are built from values() queries (relations/core/api/lean.py) with exactly DRF's output, and faster.

Every resource is listed twice, once as served and once through DRF's own serializer over model
instances (the view's values() plan turned off and the stock ``ListSerializer`` patched back in), on
the article's data plus generated records plus records made to reach every branch (empty and
non-empty nested lists, a participant without a person, null dates, no country, a document), for a
viewer and for an editor (who also sees a person's email, phone and notes); JSON pages and CSV
exports must be identical byte for byte.
"""

import time
from datetime import date
from operator import itemgetter
from unittest import mock

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from relations.agreements.api.views import AgreementViewSet
from relations.agreements.models import Agreement, Party, Signatory
from relations.contacts.api.views import ContactViewSet, OrganizationViewSet
from relations.contacts.models import Contact, Organization, Position
from relations.core.api.base import CSVListMixin
from relations.core.api import lean
from relations.core.api.lean import LeanListSerializer, values_plan
from relations.core.api.views import SourceViewSet, TopicViewSet
from relations.core.models import Topic
from relations.events.api.views import EventViewSet
from relations.events.models import Event, Participation
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
    """DRF's own serializers over model instances in place of the values() plan and the lean serializer."""
    patches = (
        mock.patch.object(CSVListMixin, "lean_values", False),
        mock.patch.object(LeanListSerializer, "to_representation", serializers.ListSerializer.to_representation),
    )

    class Both:
        def __enter__(self):
            for patch in patches:
                patch.start()

        def __exit__(self, *exc):
            for patch in reversed(patches):
                patch.stop()

    return Both()


class LeanListTests(RelationsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        call_command("generate_data", organizations=60, contacts=120, events=60, agreements=60, seed=7, verbosity=0)
        # Records whose nested lists are empty, links and dates null; named to sort first on every list.
        body = Organization.objects.create(name="AAA international body", kind=Organization.Kind.NGO, country="")
        branch = Organization.objects.create(name="AAA branch", parent=body, country="TM")
        alone = Contact.objects.create(given_name="Aaa")  # no family name, honorific nor position
        doctor = Contact.objects.create(honorific="Dr.", given_name="Aab", family_name="Aab", email="a@example.org")
        Position.objects.create(contact=doctor, organization=body, title="Adviser")  # no dates
        Position.objects.create(contact=doctor, organization=branch, title="Head", start_date="2020-01-01",
                                end_date="2021-12-31")
        Event.objects.create(title="AAA empty event", start_date=None, end_date=None)  # no one, no topic
        met = Event.objects.create(title="AAA event", start_date="2099-01-01", host=body)
        Participation.objects.create(event=met, organization=branch)  # without a person
        Participation.objects.create(event=met, organization=body, contact=doctor, role=Participation.Role.SPEAKER)
        met.topics.set(Topic.objects.all()[:2])
        Agreement.objects.create(title="AAA empty agreement", document="agreements/2099/signed.pdf")
        signed = Agreement.objects.create(title="AAA agreement", signed_on="2099-01-02", event=met)
        Party.objects.create(agreement=signed, organization=body)
        Party.objects.create(agreement=signed, organization=branch)
        Signatory.objects.create(agreement=signed, contact=doctor, organization=body)  # no title
        signed.areas.set(Topic.objects.all()[:3])
        cls.made = {"alone": alone, "doctor": doctor, "met": met, "signed": signed}

    def get(self, url_name, params):
        response = self.client.get(reverse(url_name), params)
        self.assertEqual(response.status_code, 200)
        return b"".join(response.streaming_content) if response.streaming else response.content

    def test_every_list_and_csv_is_identical_on_both_paths_for_every_persona(self):
        for persona in (self.viewer, self.editor):
            self.client.force_login(persona)
            for url_name, viewset in RESOURCES.items():
                ordering = "-" + list(viewset.filterset_class.base_filters["ordering"].param_map)[-1]
                for params in (
                    {"page_size": 200}, {"page": 2, "page_size": 3}, {"format": "csv"},
                    {"search": "aaa"}, {"ordering": ordering, "page_size": 7}, {"format": "csv", "search": "aaa"},
                ):
                    with self.subTest(persona=persona.username, url=url_name, **params):
                        lean = self.get(url_name, params)
                        with stock_lists():
                            stock = self.get(url_name, params)
                        self.assertEqual(lean, stock)
                        self.assertGreater(len(lean), 100 if "search" not in params else 20)

    def test_the_made_records_reach_every_branch(self):
        self.client.force_login(self.editor)
        events = self.client.get(reverse("events-api:event-list"), {"search": "aaa"}).json()["results"]
        empty, met = sorted(events, key=lambda e: e["title"] != "AAA empty event")[:2]
        self.assertEqual((empty["participants"], empty["topics"], empty["start_date"]), ([], [], None))
        self.assertEqual([p["contact_name"] for p in met["participants"]], [None, "Dr. Aab Aab"])
        self.assertEqual(len(met["topics"]), 2)
        agreements = {a["title"]: a for a in self.client.get(reverse("agreements-api:agreement-list"), {"search": "aaa"}).json()["results"]}
        self.assertTrue(agreements["AAA empty agreement"]["document_url"].endswith("/document/"))
        self.assertEqual(agreements["AAA empty agreement"]["parties"], [])
        self.assertEqual(len(agreements["AAA agreement"]["parties"]), 2)
        self.assertEqual(agreements["AAA agreement"]["signatories"][0]["title"], "")
        self.assertEqual(len(agreements["AAA agreement"]["areas"]), 3)

    def test_every_resource_is_served_by_a_values_plan_for_every_persona(self):
        for persona in (self.viewer, self.editor):
            request = Request(APIRequestFactory().get("/api/"))
            request.user = persona
            for url_name, viewset in RESOURCES.items():
                serializer = viewset.serializer_class(context={"request": request, "format": None})
                with self.subTest(url_name, persona=persona.username):
                    plan = values_plan(serializer)
                    self.assertIsNotNone(plan)
                    if plan.relations:  # the nested lists' query compiles once, the page's ids put in place
                        self.assertIsNotNone(plan._compiled(connection.alias, 50))
                    self.client.force_login(persona)
                    with CaptureQueriesContext(connection) as queries:
                        self.get(url_name, {"page_size": 50})
                    # no query of the instance path's prefetches: each nested list in the one UNION ALL
                    self.assertFalse([q for q in queries.captured_queries if "_prefetch_related_val" in q["sql"]])

    def test_a_field_the_plan_cannot_read_falls_back_to_the_serializer(self):
        class Unknown(serializers.ModelSerializer):
            shout = serializers.SerializerMethodField()

            class Meta:
                model = Topic
                fields = ["id", "name", "shout"]

            def get_shout(self, topic):
                return topic.name.upper()

        self.assertIsNone(values_plan(Unknown()))

    def test_a_format_parameter_is_not_kept_in_later_pages_urls(self):
        # DRF keeps ?format= in the URLs it builds; a page's plan is kept for later requests, so the
        # parameter is part of what a plan is kept for.
        self.client.force_login(self.editor)
        url = reverse("contacts-api:contact-list")
        with_format = self.client.get(url, {"format": "json", "page_size": 2}).json()["results"]
        plain = self.client.get(url, {"page_size": 2}).json()["results"]
        self.assertTrue(all(row["url"].endswith("/?format=json") for row in with_format), with_format)
        self.assertTrue(all(row["url"].endswith(f"/{row['id']}/") for row in plain), plain)
        again = self.client.get(url, {"format": "json", "page_size": 2}).json()["results"]
        self.assertEqual(again, with_format)

    def test_a_renamed_person_shows_with_the_new_name_on_the_next_page(self):
        # Names computed by a model property are remembered by the columns they read (lean._value_of),
        # and the page's plan is kept between requests: a changed column must give the changed name.
        self.client.force_login(self.viewer)
        url, params = reverse("events-api:event-list"), {"search": "aaa event"}

        def names():
            (met,) = [e for e in self.client.get(url, params).json()["results"] if e["title"] == "AAA event"]
            return [p["contact_name"] for p in met["participants"]]

        self.assertEqual(names(), [None, "Dr. Aab Aab"])
        Contact.objects.filter(pk=self.made["doctor"].pk).update(honorific="Prof.", given_name="Zed")
        self.assertEqual(names(), [None, "Prof. Zed Aab"])
        Contact.objects.filter(pk=self.made["doctor"].pk).update(honorific="")
        self.assertEqual(names(), [None, "Zed Aab"])

    def test_text_and_integer_columns_are_read_as_they_come_and_others_converted(self):
        request = Request(APIRequestFactory().get("/api/"))
        request.user = self.editor
        plan = values_plan(EventViewSet.serializer_class(context={"request": request, "format": None}))
        getters = dict(plan.getters)
        as_is = {name for name, getter in getters.items() if type(getter) is itemgetter}
        # title (text), kind (text choices), host (a foreign key id) as they come from the database;
        # dates converted to ISO strings; the URL built from the id
        self.assertTrue({"title", "kind", "city", "host", "parent"} <= as_is, as_is)
        self.assertFalse({"start_date", "end_date", "url"} & as_is, as_is)
        self.assertEqual(getters["start_date"]({"start_date": date(2025, 5, 6)}), "2025-05-06")

    def test_a_row_is_assembled_by_one_compiled_function(self):
        # itemgetters are read in place, other getters called; names and keys are written as literals
        assemble = lean._assemble([("a'b", itemgetter('x"y')), ("c", lambda row: row["x\\"] * 2), ("d", itemgetter(0, 1))])
        self.assertEqual(assemble({'x"y': 1, "x\\": 2, 0: "z", 1: "w"}), {"a'b": 1, "c": 4, "d": ("z", "w")})
        self.assertEqual(list(assemble({'x"y': 1, "x\\": 2, 0: "z", 1: "w"})), ["a'b", "c", "d"])

    def test_personal_details_only_in_the_editors_rows(self):
        # in both orders: a page's plan is kept for later requests (relations/core/api/base.py, page_plan)
        for order in ((self.viewer, self.editor), (self.editor, self.viewer)):
            rows = {}
            for persona in order:
                self.client.force_login(persona)
                rows[persona] = self.client.get(reverse("contacts-api:contact-list"), {"page_size": 5}).json()["results"]
            self.assertNotIn("email", rows[self.viewer][0])
            self.assertIn("email", rows[self.editor][0])
        self.client.force_login(self.viewer)
        self.assertNotIn(b"a@example.org", self.get("contacts-api:contact-list", {"format": "csv"}))

    def test_a_page_of_50_is_faster_from_values_than_from_instances(self):
        """Queries included: the values() plan against the prefetching queryset and DRF's serializer,
        and the lean serializer over the same instances against DRF's."""
        request = Request(APIRequestFactory().get("/api/"))
        request.user = self.editor
        context = {"request": request, "format": None}
        report = []
        for url_name, viewset in RESOURCES.items():
            serializer_class = viewset.serializer_class
            plan = values_plan(serializer_class(context=context))
            lean = serializer_class(many=True, context=context)
            stock = serializers.ListSerializer(child=serializer_class(context=context), context=context)
            self.assertIsInstance(lean, LeanListSerializer)
            runs = {
                "drf": lambda: stock.to_representation(list(viewset.queryset.all()[:ROWS])),
                "lean": lambda: lean.to_representation(list(viewset.queryset.all()[:ROWS])),
                "values": lambda: plan.rows(plan.queryset(viewset.queryset.all())[:ROWS]),
            }
            self.assertEqual(runs["values"](), runs["drf"]())
            self.assertEqual(runs["lean"](), runs["drf"]())
            timings = {}
            for name, run in runs.items():
                best = float("inf")
                for _ in range(10):  # the best run: a busy machine only ever adds time
                    started = time.perf_counter()
                    run()
                    best = min(best, time.perf_counter() - started)
                timings[name] = best
            report.append(
                f"{url_name}: {ROWS} rows with their queries, DRF {timings['drf'] * 1000:.2f} ms, "
                f"lean {timings['lean'] * 1000:.2f} ms, values {timings['values'] * 1000:.2f} ms "
                f"({timings['values'] / timings['drf']:.2f} of DRF)"
            )
            with self.subTest(url_name):
                self.assertLess(timings["values"], timings["drf"])
        print("\n" + "\n".join(report))
