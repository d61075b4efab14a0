"""Each filter on the list pages narrows the rows as expected on the article's data; bad values give form errors."""

from django.urls import reverse

from relations.core.models import Topic
from tests.base import RelationsTestCase
from tests.factories import AgreementFactory, EventFactory, OrganizationFactory


class ListPageTestCase(RelationsTestCase):
    url_name = ""

    def setUp(self):
        self.client.force_login(self.viewer)

    def rows(self, **params):
        response = self.client.get(reverse(self.url_name), params)
        self.assertEqual(response.status_code, 200)
        return response, [row.record for row in response.context["table"].paginated_rows]


class PartnerFilterTests(ListPageTestCase):
    url_name = "contacts:organization_list"

    def test_the_page_is_labelled_partners_and_lists_every_organization_by_name(self):
        response, rows = self.rows()
        self.assertContains(response, "<h1>Partners</h1>", html=True)
        self.assertEqual(len(rows), 11)
        self.assertEqual([o.name for o in rows], sorted(o.name for o in rows))

    def test_country_finds_the_turkmen_society(self):
        response, rows = self.rows(country="TM")
        self.assertEqual(rows, [self.turkmen])
        self.assertContains(response, "1 match")

    def test_search_matches_acronym_and_other_spellings(self):
        self.assertEqual(self.rows(search="qrcs")[1], [self.qrcs])
        self.assertIn(self.turkmen, self.rows(search="turkmenistan")[1])

    def test_kind_region_status_event_and_topic(self):
        self.assertEqual(self.rows(kind="ifrc")[1], [self.ifrc])
        self.assertNotIn(self.qrcs, self.rows(region="europe")[1])
        self.assertCountEqual(self.rows(agreement_status="signed")[1], [self.qrcs, self.turkmen])
        attended = self.rows(event=self.conference.pk)[1]
        self.assertIn(self.qrcs, attended)
        self.assertIn(self.ifrc, attended)
        area = self.mou.areas.first()
        self.assertIn(self.turkmen, self.rows(topic=area.pk)[1])

    def test_sorting_by_a_column_header_uses_the_shared_ordering_parameter(self):
        response, rows = self.rows(ordering="-name")
        self.assertEqual([o.name for o in rows], sorted((o.name for o in rows), reverse=True))
        self.assertContains(response, 'aria-sort="descending"')

    def test_page_size_choice_and_pages(self):
        OrganizationFactory.create_batch(40)
        _, rows = self.rows()
        self.assertEqual(len(rows), 25)
        response, rows = self.rows(per_page=50)
        self.assertEqual(len(rows), 50)
        self.assertContains(response, "51 matches")
        _, rows = self.rows(per_page=50, page=2)
        self.assertEqual(len(rows), 1)

    def test_nonsense_page_and_page_size_fall_back_instead_of_failing(self):
        for params in ({"per_page": 0}, {"per_page": -5}, {"per_page": 10**9}, {"per_page": "x"}, {"page": "abc"}, {"page": 999}):
            with self.subTest(params=params):
                self.assertEqual(len(self.rows(**params)[1]), 11)

    def test_bad_filter_values_show_errors_on_the_form_and_the_good_filters_still_apply(self):
        response, rows = self.rows(country="TM", event="999999", agreement_status="nonsense", ordering="password")
        form = response.context["filter"].form
        self.assertEqual(set(form.errors), {"event", "agreement_status", "ordering"})
        self.assertContains(response, "Some filter values could not be used")
        self.assertContains(response, "Select a valid choice")
        self.assertEqual(rows, [self.turkmen])
        self.assertNotContains(response, "Download CSV")

    def test_the_filter_form_keeps_its_values_and_says_any_for_unset_choices(self):
        response, _ = self.rows(country="TM", search="red")
        self.assertContains(response, '<option value="TM" selected>Turkmenistan</option>', html=True)
        self.assertContains(response, 'value="red"')
        self.assertContains(response, '<option value="" selected>Any</option>', html=True)


class ContactFilterTests(ListPageTestCase):
    url_name = "contacts:contact_list"

    def test_search_finds_any_name_form(self):
        self.assertEqual(self.rows(search="al-sada")[1], [self.al_sada])
        self.assertEqual(self.rows(search="achilova")[1], [self.achilova])

    def test_organization_country_position_and_event(self):
        self.assertIn(self.al_sada, self.rows(organization=self.qrcs.pk)[1])
        self.assertNotIn(self.al_sada, self.rows(country="TM")[1])
        self.assertIn(self.achilova, self.rows(country="TM")[1])
        self.assertIn(self.al_sada, self.rows(position_status="current")[1])
        self.assertEqual(self.rows(organization=self.qrcs.pk, position_status="past")[1], [])
        self.assertIn(self.al_sada, self.rows(event=self.conference.pk)[1])

    def test_current_positions_appear_in_the_table(self):
        response, _ = self.rows(search="al sada")
        self.assertContains(response, "Vice-President, Qatar Red Crescent Society (QRCS)")

    def test_bad_values_are_form_errors(self):
        response, _ = self.rows(organization="abc", position_status="sometimes")
        self.assertEqual(set(response.context["filter"].form.errors), {"organization", "position_status"})


class EventFilterTests(ListPageTestCase):
    url_name = "events:event_list"

    def test_kind_place_dates_topic_participant_and_top_level(self):
        geneva = EventFactory(title="Geneva workshop", kind="workshop", start_date="2024-03-01")
        side_meetings = list(self.conference.side_events.all())
        self.assertGreater(len(side_meetings), 0)
        self.assertEqual(self.rows(kind="workshop")[1], [geneva])
        self.assertEqual(self.rows(country="CH")[1], [geneva])
        self.assertIn(self.conference, self.rows(city="ashgab")[1])
        self.assertEqual(self.rows(date_to="2024-12-31")[1], [geneva])
        self.assertNotIn(geneva, self.rows(date_from="2025-01-01")[1])
        topic = self.conference.topics.first()
        self.assertIn(self.conference, self.rows(topic=topic.pk)[1])
        self.assertIn(self.conference, self.rows(participant=self.ifrc.pk)[1])
        self.assertCountEqual(self.rows(parent=self.conference.pk)[1], side_meetings)
        top_level = self.rows(top_level="true")[1]
        self.assertIn(self.conference, top_level)
        self.assertFalse(set(side_meetings) & set(top_level))

    def test_search(self):
        self.assertIn(self.conference, self.rows(search="ashgabat")[1])

    def test_bad_dates_are_form_errors(self):
        response, _ = self.rows(date_from="31/31/2025", topic="0")
        self.assertEqual(set(response.context["filter"].form.errors), {"date_from", "topic"})


class AgreementFilterTests(ListPageTestCase):
    url_name = "agreements:agreement_list"

    def test_kind_status_party_search_and_area(self):
        draft = AgreementFactory(title="Draft on first aid")
        self.assertEqual(self.rows(kind="mou")[1], [self.mou])
        self.assertEqual(self.rows(status="draft")[1], [draft])
        self.assertEqual(self.rows(party=self.turkmen.pk)[1], [self.mou])
        self.assertEqual(self.rows(search="turkmenistan")[1], [self.mou])
        self.assertEqual(self.rows(area=self.mou.areas.first().pk)[1], [self.mou])
        self.assertEqual(self.rows(area=Topic.objects.create(name="Unused", slug="unused").pk)[1], [])

    def test_signed_between_and_expiring_within(self):
        soon = AgreementFactory(title="Ends soon", status="active", signed_on="2020-01-01", expires_on="2099-01-01")
        self.assertEqual(self.rows(signed_from="2019-12-01", signed_to="2020-02-01")[1], [soon])
        self.assertNotIn(soon, self.rows(expiring_within=90)[1])
        self.assertEqual(self.rows(expires_before="2099-12-31")[1], [soon])

    def test_bad_values_are_form_errors(self):
        response, _ = self.rows(expiring_within="-3", signed_from="yesterday")
        self.assertEqual(set(response.context["filter"].form.errors), {"expiring_within", "signed_from"})
        self.assertContains(response, "Ensure this value is greater than or equal to 0")
