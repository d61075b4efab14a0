"""The partners page stays fast with 10,000 organizations in the database."""

import time

from django.urls import reverse

from relations.contacts.models import Organization
from relations.core.text import build_search_key
from tests.base import RelationsTestCase

ORGANIZATIONS = 10_000
LIMIT_SECONDS = 0.200


class TenThousandPartnersTests(RelationsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        countries = ["FR", "DE", "TM", "UZ", "QA", "KZ", "RU", "EG"]
        organizations = []
        for n in range(ORGANIZATIONS):
            name = f"Partner Society {n:05d}"
            native = f"Общество партнёров {n}" if n % 2 else f"جمعية الشريك {n}"
            organizations.append(
                Organization(
                    name=name,
                    native_name=native,
                    country=countries[n % len(countries)],
                    region="europe",
                    # bulk_create skips save(), which builds the search key.
                    search_key=build_search_key(name, "", native, ""),
                )
            )
        Organization.objects.bulk_create(organizations, batch_size=1000)

    def setUp(self):
        self.client.force_login(self.viewer)

    def timed_get(self, params):
        """The best of several wall-clock timings: other processes on a busy machine only ever add time."""
        self.client.get(reverse("contacts:organization_list"), params)  # warm caches, templates, connections
        best = float("inf")
        for _ in range(7):
            started = time.perf_counter()
            response = self.client.get(reverse("contacts:organization_list"), params)
            best = min(best, time.perf_counter() - started)
        self.assertEqual(response.status_code, 200)
        return response, best

    def test_the_first_page_renders_well_under_200_ms(self):
        response, seconds = self.timed_get({})
        print(f"\n10,000 partners, first page: {seconds * 1000:.1f} ms")
        self.assertEqual(response.context["table"].paginator.count, ORGANIZATIONS + 11)
        self.assertLess(seconds, LIMIT_SECONDS)

    def test_a_filtered_and_searched_page_is_fast_too(self):
        response, seconds = self.timed_get({"country": "TM", "search": "society 0999", "ordering": "-name"})
        print(f"\n10,000 partners, filtered and searched: {seconds * 1000:.1f} ms")
        self.assertGreater(response.context["table"].paginator.count, 0)
        self.assertLess(seconds, LIMIT_SECONDS)
