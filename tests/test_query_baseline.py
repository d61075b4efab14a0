"""Every page and API endpoint runs the number of SQL queries committed in tests/query_baseline.json.

Each endpoint is requested twice: on the article's data plus a few rows, and again after many more
rows (of every kind, tied to the records the detail pages show) were added. Both counts must equal
the committed baseline, so a query that grows with the rows (an N+1) or a new query on a hot path
fails the build. Counts include everything one request runs: for a web page the first two are the
session and the user with all their permissions (relations/core/auth.py); a streamed CSV is counted
while it is read to the end.

A change that adds a query on purpose updates the file with
``RELATIONS_UPDATE_QUERY_BASELINE=1 make test PYTEST_ARGS=tests/test_query_baseline.py`` and commits
the diff, which the reviewer then sees.
"""

import json
import os
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from zeal import zeal_context

from relations.core.models import Source, Topic
from relations.core.services import feed_token_get_or_create
from tests.base import RelationsTestCase
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

BASELINE = Path(__file__).with_name("query_baseline.json")
UPDATE = os.environ.get("RELATIONS_UPDATE_QUERY_BASELINE") == "1"
# Outside the baseline: Django's own admin, login pages and language switcher (a POST that sets a cookie),
# and the API's token endpoint (a POST of a password).
SKIPPED_NAMESPACES = {"admin"}
SKIPPED_NAMES = {"login", "logout", "password_change", "password_change_done", "password_reset",
                 "password_reset_done", "password_reset_confirm", "password_reset_complete", "set_language",
                 "api-token"}


def named_urls(patterns=None, namespace=""):
    """Every named URL pattern of the project, as "namespace:name"."""
    names = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or ""
            if inner in SKIPPED_NAMESPACES:
                continue
            prefix = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            names += named_urls(entry.url_patterns, prefix)
        elif isinstance(entry, URLPattern) and entry.name and entry.name not in SKIPPED_NAMES:
            names.append(f"{namespace}:{entry.name}" if namespace else entry.name)
    return sorted(set(names))


class QueryBaselineTests(RelationsTestCase):
    maxDiff = None

    def setUp(self):
        # Each test has its own MEDIA_ROOT (tests/conftest.py), so the document is stored here.
        self.mou.document = SimpleUploadedFile("mou.pdf", b"%PDF-1.4 baseline", content_type="application/pdf")
        self.mou.save()
        # The editor sees personal contact details, so the widest form of every response is counted.
        self.client.force_login(self.editor)
        # Calendar feeds log in by the key in their address, not by the session.
        self.feed_key = feed_token_get_or_create(user=self.editor).key

    def grow(self, n):
        """n more rows of every kind, linked to the records the detail pages show."""
        for _ in range(n):
            contact = ContactFactory()
            PositionFactory(contact=contact, organization=self.turkmen)
            OrganizationFactory(parent=self.turkmen)
            side_meeting = EventFactory(parent=self.conference, host=self.turkmen, start_date=None)
            ParticipationFactory(event=self.conference, organization=self.turkmen, contact=contact)
            ParticipationFactory(event=side_meeting, organization=self.turkmen, contact=self.al_sada)
            agreement = AgreementFactory(event=self.conference)
            PartyFactory(agreement=agreement, organization=self.turkmen)
            SignatoryFactory(agreement=agreement, organization=self.turkmen, contact=self.al_sada)
            SignatoryFactory(agreement=self.mou, organization=self.turkmen, contact=contact)
            self.turkmen.sources.add(SourceFactory())
            self.conference.topics.add(TopicFactory())

    def urls(self):
        """The URL each named endpoint is measured at (detail endpoints on the article's records)."""
        records = {
            "organization": self.turkmen, "contact": self.al_sada, "event": self.conference, "agreement": self.mou,
            "source": Source.objects.first(), "topic": Topic.objects.first(),
        }
        urls = {}
        for name in named_urls():
            kind = name.rsplit(":", 1)[-1].split("_")[0].split("-")[0]
            try:
                # Lists show up to 100 (pages) or 200 (API) rows, so the larger run really renders more of them.
                size = "?per_page=100" if name.endswith("_list") else "?page_size=200" if name.endswith("-list") else ""
                urls[name] = reverse(name) + size
            except NoReverseMatch:
                urls[name] = reverse(name, kwargs={"pk": records[kind].pk})
            if name.endswith("_feed"):
                urls[name] += f"?token={self.feed_key}"
        return urls

    def count(self, url):
        # zeal's middleware watches the view; this outer context also covers reading a streamed CSV.
        with zeal_context(), CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
        self.assertEqual(response.status_code, 200, url)
        return len(queries)

    def test_every_endpoint_runs_its_baseline_number_of_queries_at_any_size(self):
        urls = self.urls()
        small = {name: self.count(url) for name, url in urls.items()}
        self.grow(30)
        large = {name: self.count(url) for name, url in urls.items()}
        self.assertEqual(large, small, "query counts grew with the number of rows")
        if UPDATE:
            BASELINE.write_text(json.dumps(small, indent=2, sort_keys=True) + "\n")
        baseline = json.loads(BASELINE.read_text())
        self.assertEqual(
            small, baseline,
            "query counts differ from tests/query_baseline.json; if on purpose, see this module's docstring",
        )

    def test_the_rows_really_grew(self):
        before = self.client.get(reverse("contacts:contact_list"), {"per_page": 100}).context["table"].paginator.count
        self.grow(3)
        after = self.client.get(reverse("contacts:contact_list"), {"per_page": 100}).context["table"].paginator.count
        self.assertEqual(after - before, 3)
