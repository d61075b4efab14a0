"""Every list and detail runs a constant number of queries, whatever the rows or the page size.

Requests authenticate with a token, as clients do: 1 query for authentication and the permission
check (the token with its user and the user's permissions, relations/core/auth.py).
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from relations.core.models import Topic
from tests.api import APITestCase
from tests.factories import (
    AgreementFactory,
    ContactFactory,
    EventFactory,
    OrganizationFactory,
    ParticipationFactory,
    PartyFactory,
    PositionFactory,
    SignatoryFactory,
    SourceFactory,
    TopicFactory,
)

AUTH = 1  # token + user + the user's own and group permissions

# Queries beyond authentication for one page of each list, named. The page's query also counts
# the matches (a scalar subquery, relations/core/api/pagination.py): no separate COUNT. Every nested
# list of the page comes from one more query (a UNION ALL, relations/core/api/lean.py).
LIST_QUERIES = {
    "organizations": 1,  # page
    "contacts": 2,  # page, positions with their organizations
    "events": 2,  # page; topics + participations with organizations and people
    "agreements": 2,  # page; parties + signatories with people and organizations + areas
    "topics": 1,  # page
    "sources": 1,  # page
}
# A detail: the record, then one query per nested list.
DETAIL_QUERIES = {
    "organizations": 1,  # record
    "contacts": 2,  # record, positions with their organizations
    "events": 3,  # record, topics, participations with organizations and people
    "agreements": 4,  # record, parties, signatories with people and organizations, areas
    "topics": 1,  # record
    "sources": 1,  # record
}


def add_rows(n: int):
    """``n`` more records of every resource, each with related rows, so prefetches have work to do."""
    topic = Topic.objects.first()
    for _ in range(n):
        organization = OrganizationFactory()
        PositionFactory(organization=organization, contact=ContactFactory())
        event = EventFactory()
        event.topics.add(topic)
        ParticipationFactory(event=event, organization=organization)
        agreement = AgreementFactory()
        agreement.areas.add(topic)
        PartyFactory(agreement=agreement, organization=organization)
        SignatoryFactory(agreement=agreement, organization=organization)
        TopicFactory()
        SourceFactory()


class QueryCountTests(APITestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.key = Token.objects.create(user=cls.editor).key

    def queries(self, url, **params) -> int:
        with CaptureQueriesContext(connection) as context:
            response = self.client.get(url, params, HTTP_AUTHORIZATION=f"Token {self.key}")
            if response.streaming:
                b"".join(response.streaming_content)
        self.assertEqual(response.status_code, 200)
        return len(context.captured_queries)

    def assert_constant(self, sizes):
        """The same count for each list at each (extra rows, page size) of ``sizes``."""
        added = 0
        for extra_rows, page_size in sizes:
            add_rows(extra_rows - added)
            added = extra_rows
            for resource, expected in LIST_QUERIES.items():
                with self.subTest(resource=resource, rows=extra_rows, page_size=page_size):
                    self.assertEqual(self.queries(f"/api/{resource}/", page_size=page_size), AUTH + expected)

    def test_lists_at_5_and_50_rows(self):
        self.assert_constant([(5, 5), (50, 50)])

    def test_lists_at_page_size_5_and_100(self):
        self.assert_constant([(100, 5), (100, 100)])

    def test_details(self):
        add_rows(5)
        records = {
            "organizations": self.turkmen.pk,
            "contacts": self.al_sada.pk,
            "events": self.conference.pk,
            "agreements": self.mou.pk,
            "topics": Topic.objects.first().pk,
            "sources": SourceFactory().pk,
        }
        for resource, pk in records.items():
            with self.subTest(resource):
                self.assertEqual(self.queries(f"/api/{resource}/{pk}/"), AUTH + DETAIL_QUERIES[resource])

    def test_filters_add_no_queries_per_row(self):
        add_rows(20)
        few = self.queries("/api/agreements/", party=self.turkmen.pk, status="signed")
        add_rows(30)
        self.assertEqual(self.queries("/api/agreements/", party=self.turkmen.pk, status="signed"), few)


class OneQueryPaginationTests(APITestCase):
    """The page's query counts the matches; the answer is what a separate COUNT would give."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.key = Token.objects.create(user=cls.editor).key

    def get(self, url, **params):
        return self.client.get(url, params, HTTP_AUTHORIZATION=f"Token {self.key}")

    def test_count_next_and_previous_match_the_data_on_every_page(self):
        OrganizationFactory.create_batch(12)
        total = 11 + 12
        for page, rows in ((1, 10), (2, 10), (3, 3)):
            with self.subTest(page=page):
                body = self.get("/api/organizations/", page_size=10, page=page).json()
                self.assertEqual(body["count"], total)
                self.assertEqual(len(body["results"]), rows)
                self.assertEqual(body["next"] is None, page == 3)
                self.assertEqual(body["previous"] is None, page == 1)
        self.assertEqual(self.get("/api/organizations/", country="TM").json()["count"], 1)

    def test_no_match_is_an_empty_first_page_and_a_page_past_the_end_is_404(self):
        with CaptureQueriesContext(connection) as context:
            body = self.get("/api/organizations/", search="no such partner anywhere").json()
        self.assertEqual((body["count"], body["results"]), (0, []))
        self.assertEqual(len(context.captured_queries), AUTH + 2)  # the empty page, then a COUNT
        self.assertEqual(self.get("/api/organizations/", page=99).status_code, 404)
        self.assertEqual(self.get("/api/organizations/", page=0).status_code, 400)
        self.assertEqual(self.get("/api/organizations/", page="abc").status_code, 400)
