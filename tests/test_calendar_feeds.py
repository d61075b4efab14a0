"""iCalendar feeds of events, read back with the icalendar library as a calendar client would."""

import datetime

import icalendar
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from relations.core import services
from relations.core.models import FeedToken
from tests.base import RelationsTestCase
from tests.factories import EventFactory, OrganizationFactory, ParticipationFactory


class CalendarFeedTests(RelationsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.conference.start_date = datetime.date(2025, 10, 9)
        cls.conference.end_date = datetime.date(2025, 10, 10)
        cls.conference.save()
        cls.side_meeting = cls.conference.side_events.get(title__contains="Russian Red Cross")
        cls.side_meeting.start_date = datetime.date(2025, 10, 10)
        cls.side_meeting.save()
        cls.undated = cls.conference.side_events.get(title__contains="Uzbekistan")
        cls.only_end = EventFactory(title="Closing visit", end_date=datetime.date(2026, 1, 5), city="Doha", country="QA")

    def feed(self, user, url_name="events:event_feed", **kwargs):
        key = services.feed_token_get_or_create(user=user).key
        return self.client.get(reverse(url_name, kwargs=kwargs), {"token": key})

    def parse(self, response):
        self.assertEqual(response.status_code, 200, response.content[:200])
        self.assertEqual(response["Content-Type"], "text/calendar; charset=utf-8")
        calendar = icalendar.Calendar.from_ical(response.content)
        return calendar, {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}

    def test_the_feed_lists_every_dated_event_as_all_day_dates_with_an_exclusive_end(self):
        calendar, events = self.parse(self.feed(self.viewer))
        self.assertEqual(str(calendar["X-WR-CALNAME"]), "Relations events")
        conference = events[self.conference.title]
        self.assertEqual(conference.decoded("DTSTART"), datetime.date(2025, 10, 9))
        self.assertEqual(conference.decoded("DTEND"), datetime.date(2025, 10, 11))  # the day after the last
        self.assertEqual(conference["DTSTART"].params.get("VALUE"), "DATE")
        self.assertIn("Ashgabat, Turkmenistan", str(conference["LOCATION"]))
        self.assertIn(self.conference.theme, str(conference["DESCRIPTION"]))
        self.assertEqual(str(conference["URL"]), f"http://testserver{self.conference.get_absolute_url()}")
        self.assertEqual(str(conference["UID"]), f"event-{self.conference.uuid}@testserver")
        self.assertIn("DTSTAMP", conference)
        # A one-day side meeting ends the next day and names its conference.
        side = events[self.side_meeting.title]
        self.assertEqual(side.decoded("DTEND") - side.decoded("DTSTART"), datetime.timedelta(days=1))
        self.assertIn(self.conference.title, str(side["DESCRIPTION"]))
        # An event with only an end date lasts that day.
        self.assertEqual(events["Closing visit"].decoded("DTSTART"), datetime.date(2026, 1, 5))

    def test_events_without_dates_are_left_out(self):
        _calendar, events = self.parse(self.feed(self.viewer))
        self.assertNotIn(self.undated.title, events)
        self.assertEqual(set(events), {self.conference.title, self.side_meeting.title, "Closing visit"})

    def test_an_event_keeps_its_uid_when_it_changes(self):
        _calendar, before = self.parse(self.feed(self.viewer))
        uid = before[self.conference.title]["UID"]
        self.conference.title = "Renamed conference"
        self.conference.save()
        _calendar, after = self.parse(self.feed(self.viewer))
        self.assertEqual(after["Renamed conference"]["UID"], uid)

    def test_a_partner_feed_has_only_the_events_it_took_part_in(self):
        partner = OrganizationFactory(name="Red Cross of Somewhere")
        ParticipationFactory(event=self.side_meeting, organization=partner)
        ParticipationFactory(event=self.undated, organization=partner)
        ParticipationFactory(event=self.only_end, organization=self.turkmen)
        calendar, events = self.parse(self.feed(self.viewer, "contacts:organization_feed", pk=partner.pk))
        self.assertEqual(set(events), {self.side_meeting.title})
        self.assertEqual(str(calendar["X-WR-CALNAME"]), "Relations events: Red Cross of Somewhere")
        _calendar, events = self.parse(self.feed(self.viewer, "contacts:organization_feed", pk=self.turkmen.pk))
        self.assertEqual(set(events), {self.conference.title, "Closing visit"})

    def test_a_wrong_or_missing_token_is_404_no_such_feed(self):
        services.feed_token_get_or_create(user=self.viewer)
        for params in ({"token": "not-a-key"}, {}, {"token": ""}, {"token": "x" * 500}, {"token": "ключ"}):
            with self.subTest(params=params):
                response = self.client.get(reverse("events:event_feed"), params)
                self.assertEqual(response.status_code, 404)
                self.assertEqual(response.content.decode().strip(), "No such feed.")

    def test_a_partner_feed_of_an_unknown_partner_is_404(self):
        response = self.feed(self.viewer, "contacts:organization_feed", pk=999999)
        self.assertEqual(response.status_code, 404)

    def test_the_session_does_not_open_a_feed(self):
        self.client.force_login(self.viewer)
        self.assertEqual(self.client.get(reverse("events:event_feed")).status_code, 404)

    def test_resetting_the_key_stops_the_old_address_at_once(self):
        old = services.feed_token_get_or_create(user=self.viewer).key
        self.client.force_login(self.viewer)
        response = self.client.post(reverse("calendar_subscriptions"), follow=True)
        self.assertContains(response, "Subscriptions using the old one have stopped working")
        new = FeedToken.objects.get(user=self.viewer).key
        self.assertNotEqual(new, old)
        self.client.logout()
        self.assertEqual(self.client.get(reverse("events:event_feed"), {"token": old}).status_code, 404)
        self.assertEqual(self.client.get(reverse("events:event_feed"), {"token": new}).status_code, 200)
        self.assertContains(response, new)

    def test_a_user_without_permission_to_view_events_gets_no_feed(self):
        response = self.feed(self.outsider)
        self.assertEqual(response.status_code, 404)
        self.assertNotIn(self.conference.title.encode(), response.content)

    def test_a_deactivated_user_gets_no_feed(self):
        key = services.feed_token_get_or_create(user=self.viewer).key
        self.viewer.is_active = False
        self.viewer.save()
        self.assertEqual(self.client.get(reverse("events:event_feed"), {"token": key}).status_code, 404)

    def test_the_feed_runs_the_same_queries_for_any_number_of_events(self):
        key = services.feed_token_get_or_create(user=self.viewer).key

        def count():
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(reverse("events:event_feed"), {"token": key}).status_code, 200)
            return len(queries)

        before = count()
        for n in range(20):
            EventFactory(start_date=datetime.date(2024, 1, 1) + datetime.timedelta(days=n), parent=self.conference)
        # The key and its user, the user's and the group permissions, the events with their conference.
        self.assertEqual(count(), before)
        self.assertEqual(before, 4)


class CalendarSubscriptionsPageTests(RelationsTestCase):
    def test_the_page_shows_the_users_own_feed_address(self):
        self.client.force_login(self.viewer)
        response = self.client.get(reverse("calendar_subscriptions"))
        key = FeedToken.objects.get(user=self.viewer).key
        self.assertContains(response, f"http://testserver/events/calendar.ics?token={key}")
        self.assertContains(response, f"webcal://testserver/events/calendar.ics?token={key}")
        self.assertContains(response, "Each partner")

    def test_a_partner_page_links_to_the_partners_feed(self):
        self.client.force_login(self.viewer)
        profile = self.client.get(self.turkmen.get_absolute_url())
        link = f"{reverse('calendar_subscriptions')}?organization={self.turkmen.pk}"
        self.assertContains(profile, link)
        page = self.client.get(link)
        key = FeedToken.objects.get(user=self.viewer).key
        self.assertContains(page, f"/organizations/{self.turkmen.pk}/calendar.ics?token={key}")
        self.assertContains(page, f"Events of {self.turkmen.name} (iCalendar)")

    def test_a_bad_partner_in_the_address_shows_only_the_main_feed(self):
        self.client.force_login(self.viewer)
        for value in ("abc", "999999", "-1", "9" * 40):
            with self.subTest(value=value):
                response = self.client.get(reverse("calendar_subscriptions"), {"organization": value})
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "calendar.ics?token=", count=2)  # the main feed, as https and webcal

    def test_a_user_who_cannot_see_events_is_told_why_and_gets_no_key(self):
        self.client.force_login(self.outsider)
        response = self.client.get(reverse("calendar_subscriptions"))
        self.assertContains(response, "cannot see any events")
        self.assertNotContains(response, "calendar.ics")
        self.client.post(reverse("calendar_subscriptions"))
        self.assertFalse(FeedToken.objects.filter(user=self.outsider).exists())

    def test_the_page_needs_a_login(self):
        response = self.client.get(reverse("calendar_subscriptions"))
        self.assertEqual(response.status_code, 302)
