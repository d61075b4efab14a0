"""The API's compiled queries (lean lists' nested rows, lean details) run as prepared statements on
PostgreSQL once they have run ``prepare_threshold`` times on a connection (relations/core/api/statements.py).

A prepared statement must answer exactly as the first, unprepared execution did; one statement must
serve every page of the same length whatever its ids' magnitudes (psycopg would type small and large ids
differently and prepare one statement per mix); and turning it off (DJANGO_DB_PREPARE_THRESHOLD=off)
must leave nothing prepared.
"""

import json
import unittest
from datetime import date

from django.db import connection, transaction
from django.test import SimpleTestCase
from django.urls import reverse

from relations.agreements.models import Agreement, Party, Signatory
from relations.events.models import Event, Participation
from tests.base import RelationsTestCase
from tests.test_production_settings import run

NESTED = '%AS "b", "events_participation"%'  # the events list's nested-rows query (a UNION ALL)


def prepared(pattern: str) -> list[tuple[str, int, int]]:
    """This session's prepared statements whose text matches ``pattern``: (text, generic, custom plans)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE %s",
            [pattern],
        )
        return cursor.fetchall()


@unittest.skipUnless(connection.vendor == "postgresql", "prepared statements are PostgreSQL's")
class PreparedStatementTests(RelationsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Two events with ids PostgreSQL's smallint holds, two with ids only integer does.
        for number, pk in enumerate((None, None, 40_000, 70_000)):
            event = Event.objects.create(pk=pk, title=f"Zz {'big' if pk else 'small'} {number}",
                                         start_date=date(2020, 1, 1 + number))
            Participation.objects.create(event=event, organization=cls.qrcs, contact=cls.al_sada,
                                         role=Participation.Role.SPEAKER)
            Participation.objects.create(event=event, organization=cls.turkmen)
            event.topics.set([])
        agreement = Agreement.objects.create(pk=50_000, title="Zz agreement", signed_on=date(2021, 5, 1))
        Party.objects.create(agreement=agreement, organization=cls.turkmen)
        Signatory.objects.create(agreement=agreement, contact=cls.achilova, organization=cls.turkmen)
        cls.big_agreement = agreement

    def setUp(self):
        self.client.force_login(self.viewer)
        self.threshold = connection.settings_dict["OPTIONS"]["prepare_threshold"]
        self.assertIsNotNone(self.threshold)

    def repeat(self, url, params, times):
        bodies = set()
        for _ in range(times):
            response = self.client.get(url, params)
            self.assertEqual(response.status_code, 200)
            bodies.add(response.content)
        self.assertEqual(len(bodies), 1, "a prepared statement answered differently")
        return json.loads(bodies.pop())

    def test_the_nested_rows_query_is_prepared_at_the_threshold_and_answers_as_before(self):
        url = reverse("events-api:event-list")
        self.repeat(url, {"search": "zz small", "page_size": 2}, self.threshold)
        self.assertEqual(prepared(NESTED), [])  # not before the threshold
        page = self.repeat(url, {"search": "zz small", "page_size": 2}, 3)
        (statement, generic, custom), = prepared(NESTED)
        self.assertIn("$", statement)  # parameters bound on the server
        self.assertEqual(generic + custom, 3)
        self.assertEqual([p["contact_name"] for p in page["results"][0]["participants"]],
                         [None, str(self.al_sada)] if self.turkmen.name < self.qrcs.name
                         else [str(self.al_sada), None])

    def test_one_statement_serves_small_and_large_ids(self):
        url = reverse("events-api:event-list")
        for search in ("zz small", "zz big", "zz"):
            page = self.repeat(url, {"search": search, "ordering": "title", "page_size": 2}, self.threshold + 1)
            self.assertEqual(len(page["results"]), 2)
        self.assertEqual(len(prepared(NESTED)), 1)
        big = self.repeat(url, {"search": "zz big", "ordering": "title", "page_size": 2}, 1)
        self.assertEqual([e["url"].rstrip("/").rsplit("/", 1)[1] for e in big["results"]], ["40000", "70000"])
        self.assertEqual([len(e["participants"]) for e in big["results"]], [2, 2])

    def test_one_statement_serves_every_page_size(self):
        # The page's ids go as one array per relation (= ANY), not one parameter per id (IN).
        url = reverse("events-api:event-list")
        pages = [self.repeat(url, {"search": "zz", "ordering": "title", "page_size": size}, self.threshold + 1)
                 for size in (2, 3, 4)]
        (statement, _generic, _custom), = prepared(NESTED)
        self.assertEqual(statement.count("= ANY($"), 2)  # topics and participants
        self.assertNotIn("$5", statement)  # each one's number and ids: four parameters
        self.assertEqual([[len(e["participants"]) for e in page["results"]] for page in pages],
                         [[2, 2], [2, 2, 2], [2, 2, 2, 2]])

    def test_a_page_asked_for_again_is_prepared_and_answers_as_before(self):
        url = reverse("events-api:event-list")
        params = {"search": "zz", "ordering": "title", "page_size": 3}
        self.repeat(url, params, self.threshold)
        page_query = '%FROM "events_event"%LIMIT 3%'
        self.assertEqual(prepared(page_query), [])  # not before the threshold
        page = self.repeat(url, params, 2)
        (statement, generic, custom), = prepared(page_query)
        self.assertIn("$1", statement)  # the search's parameters bound on the server
        self.assertEqual(generic + custom, 2)
        self.assertEqual(page["count"], 4)
        self.assertEqual([e["title"] for e in page["results"]], ["Zz big 2", "Zz big 3", "Zz small 0"])

    def test_a_page_s_rows_are_those_django_gives(self):
        from django.db.models import Count, F

        from relations.core.api import statements
        from relations.core.api.pagination import MatchCount

        events = Event.objects.order_by("-start_date", "pk")
        querysets = [
            events.values("id", "title", "start_date", "country"),
            events.filter(title__icontains="zz").values("title", "kind").annotate(n=MatchCount(events)),
            events.values("parent").annotate(participants=Count("participations"), day=F("start_date")),
            events.filter(pk__in=[]).values("id"),  # nothing to ask the database
            Agreement.objects.values("title", "signed_on", "status")[1:3],
        ]
        for queryset in querysets:
            with self.subTest(queryset=queryset.query.values_select):
                for _ in range(self.threshold + 1):  # prepared from the threshold on: the same rows
                    self.assertEqual(statements.values(queryset.all()), list(queryset.all()))

    def test_a_detail_s_queries_are_prepared_and_answer_as_before(self):
        url = reverse("agreements-api:agreement-detail", args=[self.big_agreement.pk])
        detail = self.repeat(url, {}, self.threshold + 2)
        self.assertTrue(prepared('%FROM "agreements_signatory"%'))
        self.assertEqual([s["contact_name"] for s in detail["signatories"]], [str(self.achilova)])
        self.assertEqual(detail["parties"], [self.turkmen.pk])

    def test_a_rollback_forgets_the_prepared_statements(self):
        url = reverse("events-api:event-list")
        self.repeat(url, {"search": "zz small", "page_size": 2}, self.threshold + 1)
        self.assertTrue(prepared(NESTED))
        with self.assertRaises(RuntimeError):
            with transaction.atomic():
                raise RuntimeError
        self.repeat(url, {"search": "zz small", "page_size": 2}, self.threshold + 1)
        self.assertEqual(len(prepared(NESTED)), 1)

    def test_off_prepares_nothing(self):
        raw = connection.connection
        raw.prepare_threshold = None
        try:
            self.repeat(reverse("events-api:event-list"), {"search": "zz", "page_size": 2}, self.threshold + 2)
            self.assertEqual(prepared(NESTED), [])
        finally:
            raw.prepare_threshold = self.threshold


SHOW_THRESHOLD = """
import django
django.setup()
from django.conf import settings
print(repr(settings.DATABASES["default"]["OPTIONS"].get("prepare_threshold", "absent")))
"""


class PrepareThresholdSettingTests(SimpleTestCase):
    def threshold(self, **env):
        result = run(["-c", SHOW_THRESHOLD], **env)
        self.assertEqual(result.returncode, 0, result.stderr)
        return result.stdout.strip()

    def test_postgresql_prepares_after_five_runs_unless_told_otherwise(self):
        url = "postgres://relations@db.example.org:5432/relations"
        self.assertEqual(self.threshold(DATABASE_URL=url), "5")
        self.assertEqual(self.threshold(DATABASE_URL=url, DJANGO_DB_PREPARE_THRESHOLD="2"), "2")
        self.assertEqual(self.threshold(DATABASE_URL=url, DJANGO_DB_PREPARE_THRESHOLD="off"), "None")
        self.assertEqual(self.threshold(), "'absent'")  # SQLite: nothing to prepare

    def test_a_threshold_that_is_no_number_stops_start_up(self):
        result = run(["-c", SHOW_THRESHOLD], DATABASE_URL="postgres://db/relations", DJANGO_DB_PREPARE_THRESHOLD="soon")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("DJANGO_DB_PREPARE_THRESHOLD='soon' is not a whole number", result.stderr)
