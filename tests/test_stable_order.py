"""Pages are slices of a total order: rows that tie on every sort key never repeat or go missing across pages.

A database may return rows that tie on the ORDER BY in any order, and in another order for each
LIMIT/OFFSET (PostgreSQL does), so every list (API and web page) ends its order with the primary key.
"""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from relations.contacts.models import Contact, Organization
from relations.core.api.pagination import stable_order
from relations.events.models import Event
from tests.base import RelationsTestCase
from tests.factories import ContactFactory, EventFactory

LISTS = {
    # path: the table whose id must close the page query's ORDER BY
    "/api/organizations/?ordering=country": "contacts_organization",
    "/api/contacts/": "contacts_contact",
    "/api/events/": "events_event",
    "/api/agreements/": "agreements_agreement",
    "/api/topics/": "core_topic",
    "/api/sources/": "core_source",
    "/organizations/?ordering=country": "contacts_organization",
    "/contacts/": "contacts_contact",
    "/events/": "events_event",
    "/agreements/": "agreements_agreement",
}


class StableOrderTests(RelationsTestCase):
    def test_the_primary_key_closes_every_ordering(self):
        cases = [
            (Contact.objects.all(), ["family_name", "given_name", "pk"]),
            (Contact.objects.order_by("-family_name"), ["-family_name", "pk"]),
            (Contact.objects.order_by("given_name", "-pk"), ["given_name", "-pk"]),
            (Contact.objects.order_by("id"), ["id"]),
            (Contact.objects.order_by(), ["pk"]),
            (Organization.objects.values("name"), ["name", "pk"]),
        ]
        for queryset, expected in cases:
            with self.subTest(expected=expected):
                self.assertEqual([str(key) for key in stable_order(queryset).query.order_by], expected)
        # Expressions of Meta.ordering (NULLS LAST on dates) are kept in front of the key.
        ordering = stable_order(Event.objects.all()).query.order_by
        self.assertEqual(ordering[-1], "pk")
        self.assertEqual(len(ordering), len(Event._meta.ordering) + 1)

    def test_every_list_page_query_ends_its_order_with_the_id(self):
        self.client.force_login(self.editor)
        for path, table in LISTS.items():
            with self.subTest(path=path):
                with CaptureQueriesContext(connection) as queries:
                    response = self.client.get(path)
                self.assertEqual(response.status_code, 200)
                pages = [q["sql"] for q in queries.captured_queries if re.search(r"\bLIMIT\b", q["sql"])
                         and f'FROM "{table}"' in q["sql"]]
                self.assertTrue(pages, path)
                order_by = pages[0].rsplit("ORDER BY", 1)[1]
                self.assertRegex(order_by, rf'"{table}"\."id" (ASC|DESC)\s+LIMIT', path)

    def test_tied_rows_show_once_each_across_pages(self):
        ContactFactory.create_batch(7, family_name="Tied", given_name="Same")
        EventFactory.create_batch(7, title="Tied meeting", start_date="2026-03-01")
        self.client.force_login(self.editor)
        for path, name in (("/api/contacts/?search=Tied&page_size=3", "contacts"),
                           ("/api/events/?search=Tied+meeting&page_size=3", "events")):
            with self.subTest(path=path):
                ids, url = [], path
                while url:
                    body = self.client.get(url).json()
                    ids += [row["id"] for row in body["results"]]
                    url = body["next"]
                self.assertEqual(len(ids), 7)
                self.assertEqual(len(set(ids)), 7)
                self.assertEqual(ids, sorted(ids))
