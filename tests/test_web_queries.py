"""Every list and detail page runs a fixed number of SQL queries, whatever the number of rows shown."""

from django.urls import reverse

from tests.base import RelationsTestCase
from tests.factories import (
    AgreementFactory,
    ContactFactory,
    EventFactory,
    OrganizationFactory,
    PartyFactory,
    PositionFactory,
)

# Every page a logged-in user opens starts with the same two:
#   1. the session, 2. the user with all their permissions, own and through groups
#   (relations/core/auth.py; PermissionRequiredMixin then checks them without a query).
REQUEST = 2


def add_partners(n):
    OrganizationFactory.create_batch(n)


def add_contacts(n):
    for _ in range(n):
        PositionFactory(contact=ContactFactory())


def add_events(n):
    parent = EventFactory(host=OrganizationFactory())
    EventFactory.create_batch(n - 1, parent=parent, host=parent.host, start_date=None)


def add_agreements(n):
    for _ in range(n):
        PartyFactory(agreement=AgreementFactory())


class ListQueryCountTests(RelationsTestCase):
    # (url name, rows added, queries after the four of every request)
    pages = {
        # 3. count of matches, 4. the page of organizations, 5. choices of the "topic" filter.
        # Record filters (organization, event, party, ...) are id inputs with search-as-you-type:
        # they list no records, and a chosen one costs one query (see test_lookup_filters.py).
        "contacts:organization_list": (add_partners, 3),
        # 3. count, 4. the page of people, 5. their current positions with organizations.
        "contacts:contact_list": (add_contacts, 3),
        # 3. count, 4. the page of events with host and parent (joined), 5. choices of the "topic" filter.
        "events:event_list": (add_events, 3),
        # 3. count, 4. the page of agreements, 5. their parties with organizations, 6. choices of the "area" filter.
        "agreements:agreement_list": (add_agreements, 4),
    }

    def setUp(self):
        self.client.force_login(self.editor)

    def test_each_list_page_runs_the_same_queries_for_5_and_50_rows(self):
        for url_name, (add_rows, queries) in self.pages.items():
            with self.subTest(url_name):
                add_rows(5)
                with self.assertNumQueries(REQUEST + queries):
                    small = self.client.get(reverse(url_name), {"per_page": 100})
                add_rows(45)
                with self.assertNumQueries(REQUEST + queries):
                    large = self.client.get(reverse(url_name), {"per_page": 100})
                self.assertEqual(len(large.context["table"].page.object_list) - len(small.context["table"].page.object_list), 45)


class DetailQueryCountTests(RelationsTestCase):
    def setUp(self):
        self.client.force_login(self.editor)

    def test_detail_pages_run_a_fixed_number_of_queries(self):
        pages = [
            # 3. organization with its parent, 4. positions+people, 5. participations+events+people,
            # 6. agreement parties+agreements, 7. branches, 8. sources,
            # 9-10. its timeline: events and agreements by month (the article's are undated, so
            # not the two more that fetch them one by one; see tests/test_charts.py)
            (self.turkmen, 8),
            # 3. person, 4. positions+organizations, 5. participations+events+organizations,
            # 6. signatures+agreements+organizations, 7. sources
            (self.al_sada, 5),
            # 3. event with host and parent, 4. side meetings, 5. participations+organizations+people,
            # 6. agreements signed there, 7. topics, 8. sources
            (self.conference, 6),
            # 3. agreement with its event, 4. parties+organizations, 5. signatories+people+organizations,
            # 6. areas, 7. frameworks, 8. sources
            (self.mou, 6),
        ]
        for record, queries in pages:
            with self.subTest(record=record), self.assertNumQueries(REQUEST + queries):
                self.assertEqual(self.client.get(record.get_absolute_url()).status_code, 200)

    def test_the_dashboard_runs_a_fixed_number_of_queries(self):
        # 3-6. the latest changed records of each of the four kinds, 7-10. the four counts,
        # 11. upcoming events with hosts, 12. agreements expiring soon,
        # 13-14. the timeline's events and agreements by month, 15-16. both per IFRC region
        with self.assertNumQueries(REQUEST + 14):
            self.assertEqual(self.client.get("/").status_code, 200)
