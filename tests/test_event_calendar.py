"""The month calendar page of events: grid, weeks per language, multi-day events, bad months, queries."""

import datetime
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.base import RelationsTestCase
from tests.factories import EventFactory

URL = reverse("events:event_calendar")


def day_cells(response):
    """The dates of the grid's cells, in document order."""
    return re.findall(r'<time class="day-number" datetime="([\d-]+)"', response.content.decode())


class MonthCalendarTests(RelationsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.conference.start_date = datetime.date(2025, 9, 29)
        cls.conference.end_date = datetime.date(2025, 10, 2)
        cls.conference.save()
        cls.workshop = EventFactory(title="Workshop on first aid", start_date=datetime.date(2025, 9, 10))

    def setUp(self):
        self.client.force_login(self.viewer)

    def test_a_month_shows_whole_weeks_and_each_event_on_every_day_it_covers(self):
        response = self.client.get(URL, {"month": "2025-09"})
        self.assertEqual(response.status_code, 200)
        grid = response.context["grid"]
        self.assertEqual(len(grid.weeks[0]), 7)
        days = {day.date: [event.title for event in day.events] for week in grid.weeks for day in week}
        for day in (29, 30):
            self.assertIn(self.conference.title, days[datetime.date(2025, 9, day)])
        # The grid runs to the end of the last week, into October: the conference is there too.
        self.assertIn(self.conference.title, days[datetime.date(2025, 10, 2)])
        self.assertEqual(days[datetime.date(2025, 10, 3)], [])
        self.assertEqual(days[datetime.date(2025, 9, 10)], ["Workshop on first aid"])
        self.assertEqual(days[datetime.date(2025, 9, 11)], [])
        self.assertContains(response, f'href="{self.workshop.get_absolute_url()}"')
        self.assertContains(response, "<caption>September 2025</caption>", html=True)

    def test_the_week_starts_on_the_languages_first_day(self):
        # English: Sunday; Russian: Monday; Arabic (Qatar): Saturday.
        for language, weekday in (("en", 6), ("ru", 0), ("ar", 5)):
            with self.subTest(language=language):
                response = self.client.get(URL, {"month": "2025-09"}, headers={"accept-language": language})
                first = datetime.date.fromisoformat(day_cells(response)[0])
                self.assertEqual(first.weekday(), weekday)
                self.assertLessEqual(first, datetime.date(2025, 9, 1))

    def test_previous_and_next_months_are_links(self):
        response = self.client.get(URL, {"month": "2025-01"})
        self.assertContains(response, 'href="?month=2024-12"')
        self.assertContains(response, 'href="?month=2025-02"')

    def test_the_current_month_by_default_with_a_link_to_the_latest_events_month(self):
        response = self.client.get(URL)
        today = timezone.localdate()
        self.assertEqual(response.context["grid"].month, today.replace(day=1))
        self.assertEqual(response.context["latest_month"], datetime.date(2025, 9, 1))
        self.assertContains(response, 'href="?month=2025-09"')

    def test_a_bad_month_is_a_form_error_never_a_500(self):
        for value in ("2025-13", "September", "2025-00", "0000-01", "1000-01", "99999-01", "2025-9-1", "-1", "2025-09\x00"):
            with self.subTest(value=value):
                response = self.client.get(URL, {"month": value})
                self.assertEqual(response.status_code, 200)
                self.assertTrue(response.context["form"].errors)
                self.assertContains(response, 'class="field-error"')
                self.assertEqual(response.context["grid"].month, timezone.localdate().replace(day=1))

    def test_a_month_in_arabic_indic_digits_is_understood(self):
        response = self.client.get(URL, {"month": "٢٠٢٥-٠٩"})
        self.assertFalse(response.context["form"].errors)
        self.assertEqual(response.context["grid"].month, datetime.date(2025, 9, 1))

    def test_the_first_and_last_month_have_no_link_beyond(self):
        first = self.client.get(URL, {"month": "1900-01"})
        self.assertNotContains(first, 'rel="prev"')
        last = self.client.get(URL, {"month": "2199-12"})
        self.assertNotContains(last, 'rel="next"')

    def test_arabic_pages_run_right_to_left(self):
        response = self.client.get(URL, {"month": "2025-09"}, headers={"accept-language": "ar"})
        self.assertContains(response, 'dir="rtl"')
        self.assertContains(response, "تقويم الفعاليات")

    def test_the_page_is_linked_from_the_events_list_and_the_menu(self):
        response = self.client.get(reverse("events:event_list"))
        self.assertContains(response, f'href="{URL}"', count=2)

    def test_a_user_without_permission_is_refused(self):
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(URL).status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.get(URL).status_code, 302)

    def test_the_page_runs_the_same_queries_for_any_number_of_events(self):
        def count():
            with CaptureQueriesContext(connection) as queries:
                self.client.get(URL, {"month": "2025-09"})
            return len(queries)

        before = count()
        for n in range(15):
            EventFactory(start_date=datetime.date(2025, 9, 1) + datetime.timedelta(days=n), end_date=datetime.date(2025, 9, 20))
        # Session, user with permissions, the month's events, the latest event's date.
        self.assertEqual(count(), before)
        self.assertEqual(before, 4)
