"""Record filters (partner, event, party, ...) search as you type instead of listing every record.

The list pages' forms used to render every organization and every event as a <select> option:
with 2,000 partners and 10,000 events a page weighed over 1 MB. Now such a filter is an input for
the record's id, which static/js/lookup.js turns into a text box suggesting records from
/organizations/lookup.json and /events/lookup.json; the chosen record's name shows on the page.
"""

import json

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from relations.contacts.models import Organization
from tests.base import RelationsTestCase
from tests.factories import EventFactory, OrganizationFactory

ORGANIZATION_LOOKUP = "contacts:organization_lookup"
EVENT_LOOKUP = "events:event_lookup"


class LookupEndpointTests(RelationsTestCase):
    def lookup(self, url_name, q=None, user=None):
        self.client.force_login(user or self.viewer)
        response = self.client.get(reverse(url_name), {} if q is None else {"q": q})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/json")
        return response.json()["results"]

    def test_anonymous_gets_401_json_and_a_user_without_the_view_permission_403(self):
        for url_name in (ORGANIZATION_LOOKUP, EVENT_LOOKUP):
            with self.subTest(url_name):
                self.client.logout()
                response = self.client.get(reverse(url_name), {"q": "red"})
                self.assertEqual(response.status_code, 401)
                self.assertIn("detail", response.json())
                self.client.force_login(self.outsider)
                response = self.client.get(reverse(url_name), {"q": "red"})
                self.assertEqual(response.status_code, 403)
                self.assertIn("detail", response.json())

    def test_partners_are_found_by_any_form_of_the_name_with_id_and_label(self):
        self.assertEqual(self.lookup(ORGANIZATION_LOOKUP, "qrcs"), [{"id": self.qrcs.pk, "label": "Qatar Red Crescent Society (QRCS)"}])
        self.assertIn(self.turkmen.pk, [r["id"] for r in self.lookup(ORGANIZATION_LOOKUP, "turkmenistan")])
        self.assertIn(self.turkmen.pk, [r["id"] for r in self.lookup(ORGANIZATION_LOOKUP, "Туркменистан")])
        native = OrganizationFactory(name="Jordan National Red Crescent Society", native_name="الهلال الأحمر الأردني")
        self.assertEqual([r["id"] for r in self.lookup(ORGANIZATION_LOOKUP, "الأردني")], [native.pk])
        self.assertEqual(self.lookup(ORGANIZATION_LOOKUP, "no such partner anywhere"), [])

    def test_a_number_finds_that_record_too(self):
        self.assertIn(self.ifrc.pk, [r["id"] for r in self.lookup(ORGANIZATION_LOOKUP, str(self.ifrc.pk))])
        self.assertIn(self.conference.pk, [r["id"] for r in self.lookup(EVENT_LOOKUP, str(self.conference.pk))])
        self.assertEqual(self.lookup(ORGANIZATION_LOOKUP, "9" * 40), [])

    def test_events_are_found_by_title_or_city_and_labelled_with_their_first_day(self):
        dated = EventFactory(title="Regional disaster law forum", start_date="2025-03-04", city="Baku")
        self.assertEqual(self.lookup(EVENT_LOOKUP, "disaster forum"), [{"id": dated.pk, "label": "Regional disaster law forum (04 Mar 2025)"}])
        self.assertIn(dated.pk, [r["id"] for r in self.lookup(EVENT_LOOKUP, "baku")])
        self.assertIn(self.conference.pk, [r["id"] for r in self.lookup(EVENT_LOOKUP, "ashgabat chiefs")])

    def test_at_most_20_suggestions_in_a_constant_number_of_queries(self):
        OrganizationFactory.create_batch(30)
        EventFactory.create_batch(30)
        self.client.force_login(self.viewer)
        for url_name, q in ((ORGANIZATION_LOOKUP, "partner society"), (EVENT_LOOKUP, "regional meeting")):
            with self.subTest(url_name):
                # the session, the user with their permissions, the records
                with self.assertNumQueries(3):
                    results = self.client.get(reverse(url_name), {"q": q}).json()["results"]
                self.assertEqual(len(results), 20)
        self.assertEqual(len(self.lookup(ORGANIZATION_LOOKUP, "")), 20)
        names = [r["label"] for r in self.lookup(ORGANIZATION_LOOKUP, "partner")]
        self.assertEqual(names, sorted(names))

    def test_a_very_long_query_is_cut_not_an_error(self):
        self.assertEqual(self.lookup(ORGANIZATION_LOOKUP, "x" * 10_000), [])
        self.assertEqual(self.lookup(EVENT_LOOKUP, "x " * 5_000), [])


class LookupFilterTests(RelationsTestCase):
    """The list pages: small whatever the number of records, filters still narrow, names show."""

    pages = ("contacts:organization_list", "contacts:contact_list", "events:event_list", "agreements:agreement_list")

    def setUp(self):
        self.client.force_login(self.viewer)

    def test_page_size_does_not_grow_with_the_number_of_partners_and_events(self):
        sizes = {name: len(self.client.get(reverse(name)).content) for name in self.pages}
        Organization.objects.bulk_create(
            Organization(name=f"Bulk partner with a rather long name number {n}", country="FR", search_key=f"bulk {n}")
            for n in range(1500)
        )
        EventFactory._meta.model.objects.bulk_create(
            EventFactory._meta.model(title=f"Bulk event with a rather long title number {n}", kind="conference")
            for n in range(1500)
        )
        for name in self.pages:
            with self.subTest(name):
                size = len(self.client.get(reverse(name)).content)
                # 1,500 options of either kind would add over 80 KB; the rows shown change a little.
                self.assertLess(size, sizes[name] + 15_000, (sizes[name], size))
                self.assertLess(size, 80_000)

    def test_the_organization_filter_narrows_and_shows_the_chosen_name(self):
        response = self.client.get(reverse("contacts:contact_list"), {"organization": self.qrcs.pk})
        rows = [row.record for row in response.context["table"].paginated_rows]
        self.assertIn(self.al_sada, rows)
        self.assertNotIn(self.achilova, rows)
        self.assertContains(response, f'value="{self.qrcs.pk}"')
        self.assertContains(response, "Qatar Red Crescent Society (QRCS)</output>")
        self.assertContains(response, f'data-lookup-url="{reverse(ORGANIZATION_LOOKUP)}"')
        self.assertNotContains(response, "<option value=\"%d\"" % self.qrcs.pk)

    def test_each_record_filter_uses_its_lookup(self):
        filters = {
            "contacts:organization_list": {"event": EVENT_LOOKUP},
            "contacts:contact_list": {"organization": ORGANIZATION_LOOKUP, "event": EVENT_LOOKUP},
            "events:event_list": {"participant": ORGANIZATION_LOOKUP, "parent": EVENT_LOOKUP},
            "agreements:agreement_list": {"party": ORGANIZATION_LOOKUP},
        }
        for page, lookups in filters.items():
            response = self.client.get(reverse(page))
            for field, url_name in lookups.items():
                with self.subTest(page=page, field=field):
                    self.assertContains(response, f'data-lookup-url="{reverse(url_name)}"')
                    self.assertContains(response, f'name="{field}"')
        self.assertContains(response, '<script src="/static/js/lookup.js" defer></script>', html=True)

    def test_every_filter_has_a_real_label(self):
        # django-filter labels a method filter without a model field of that name "[invalid name]".
        for page in self.pages:
            with self.subTest(page):
                self.assertNotContains(self.client.get(reverse(page)), "[invalid name]")

    def test_the_chosen_record_costs_one_query(self):
        with CaptureQueriesContext(connection) as plain:
            self.client.get(reverse("agreements:agreement_list"))
        with CaptureQueriesContext(connection) as filtered:
            response = self.client.get(reverse("agreements:agreement_list"), {"party": self.turkmen.pk})
        self.assertEqual(len(filtered), len(plain) + 1)
        self.assertEqual([row.record for row in response.context["table"].paginated_rows], [self.mou])
        self.assertContains(response, "National Red Crescent Society of Turkmenistan</output>")

    def test_unknown_or_malformed_records_are_form_errors_and_the_other_filters_apply(self):
        response = self.client.get(reverse("events:event_list"), {"participant": "999999", "parent": "abc", "city": "ashgab"})
        form = response.context["filter"].form
        self.assertEqual(set(form.errors), {"participant", "parent"})
        self.assertContains(response, "Select a valid choice")
        self.assertIn(self.conference, [row.record for row in response.context["table"].paginated_rows])
        self.assertNotContains(response, "</output>")

    def test_the_api_filters_still_take_ids(self):
        self.client.force_login(self.viewer)
        response = self.client.get("/api/agreements/", {"party": self.turkmen.pk})
        self.assertEqual([row["id"] for row in response.json()["results"]], [self.mou.pk])
        response = self.client.get("/api/contacts/", {"organization": "999999"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("organization", json.loads(response.content))
