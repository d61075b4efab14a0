"""Every list and detail runs a constant number of queries, whatever the rows or the page size.

Requests authenticate with a token, as clients do: 3 queries for authentication and the
permission check (the token with its user, the user's permissions, the group permissions).
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

AUTH = 3  # token + user; user permissions; group permissions

# Queries beyond authentication for one page of each list, named:
LIST_QUERIES = {
    "organizations": 2,  # count, page
    "contacts": 3,  # count, page, positions with their organizations
    "events": 4,  # count, page, topics, participations with organizations and people
    "agreements": 5,  # count, page, parties, signatories with people and organizations, areas
    "topics": 2,  # count, page
    "sources": 2,  # count, page
}
# A detail is the list's queries without the count.
DETAIL_QUERIES = {resource: n - 1 for resource, n in LIST_QUERIES.items()}


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
