"""CSV downloads stream: the memory a download needs does not grow with the rows it exports.

Scaled down from scripts/csv_memory.py (10,000 and 100,000 rows, peak RSS, for the report): the
peak of Python allocations (tracemalloc) while a download of 10,000 rows is produced and read, and
again for 30,000. A download (web page or API) is read in chunks of rows and their prefetched positions; each record
drops its prefetched positions once written (relations.core.exports.stream), so a finished chunk is
freed at once rather than whenever Python's cycle collector runs, and the peak stays at one chunk.
A file built in memory would need three times as much for three times the rows.

Both sides of each comparison are measured in the same test, from the same starting point: a first
download (not measured) loads what any download loads once (URL patterns, templates, translations,
the renderer), and the cycle collector runs before each measurement, so neither side carries the
other's leftovers. The measure is allocations, not time: a busy machine changes neither side. The
partner test also downloads with the rows gathered in a list first, and checks that this is seen to grow.
"""

import gc
import tracemalloc
from unittest import mock

from django.urls import reverse

from relations.contacts.models import Contact
from tests.base import RelationsTestCase
from tests.bulk import add_contacts, add_organizations
from tests.factories import OrganizationFactory

SMALL, LARGE = 10_000, 30_000


class CsvMemoryTests(RelationsTestCase):
    def setUp(self):
        self.client.force_login(self.editor)

    def download(self, url, params):
        response = self.client.get(url, params)
        self.assertTrue(response.streaming)
        return sum(chunk.count(b"\n") for chunk in response.streaming_content)

    def peak(self, url, **params):
        """Bytes allocated at the peak while the whole download is produced and read; and its row count."""
        self.download(url, {**params, "search": "qqqnomatch"})  # the same path, no rows: loads what loads once
        gc.collect()
        tracemalloc.start()
        try:
            lines = self.download(url, params)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        return peak, lines - 1

    def assert_flat(self, small, large):
        (small_peak, small_rows), (large_peak, large_rows) = small, large
        print(f"\n{small_rows} rows: {small_peak / 2**20:.1f} MiB; {large_rows} rows: {large_peak / 2**20:.1f} MiB")
        self.assertGreaterEqual(small_rows, SMALL)
        self.assertGreaterEqual(large_rows, LARGE)
        self.assertLess(large_peak, small_peak * 1.25)

    def test_the_contact_csv_with_prefetched_positions_streams_in_bounded_memory(self):
        first, second = OrganizationFactory(), OrganizationFactory()
        add_contacts(SMALL, organization=first)
        add_contacts(LARGE - SMALL, organization=second, start=SMALL)
        for url, params in [(reverse("contacts:contact_csv"), {}), (reverse("contacts-api:contact-list"), {"format": "csv"})]:
            with self.subTest(url):
                small = self.peak(url, organization=first.pk, **params)
                large = self.peak(url, **params)
                self.assertEqual(large[1], Contact.objects.count())
                self.assert_flat(small, large)

    def test_the_partner_csv_streams_in_bounded_memory(self):
        url = reverse("contacts:organization_csv")
        # The same download with every row fetched into a list before the first is written.
        gathered = mock.patch("relations.core.views.stream", lambda queryset, chunk_size: iter(list(queryset)))
        add_organizations(SMALL)
        small = self.peak(url, country="UZ")
        with gathered:
            small_gathered = self.peak(url, country="UZ")
        add_organizations(LARGE - SMALL, start=SMALL)
        large = self.peak(url, country="UZ")
        with gathered:
            large_gathered = self.peak(url, country="UZ")
        self.assert_flat(small, large)
        # The comparison would see a download that is not streamed: its peak grows with the rows.
        print(f"gathered in a list first: {small_gathered[0] / 2**20:.1f} MiB, then {large_gathered[0] / 2**20:.1f} MiB")
        self.assertEqual(large_gathered[1], large[1])
        self.assertGreater(large_gathered[0], small_gathered[0] * 2)
