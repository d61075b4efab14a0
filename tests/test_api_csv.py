"""format=csv on every list: the same filters, every matching row (not one page), streamed, safe in spreadsheets."""

import csv
import io

from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from relations.contacts.models import Contact
from tests.api import RESOURCES, APITestCase
from tests.factories import OrganizationFactory, PositionFactory


class CSVTests(APITestCase):
    def csv(self, url, user=None, **params):
        self.client.force_authenticate(user or self.viewer)
        response = self.client.get(url, {**params, "format": "csv"})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.streaming)
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        text = b"".join(response.streaming_content).decode("utf-8").removeprefix("\ufeff")
        return list(csv.DictReader(io.StringIO(text)))

    def test_every_list_answers_csv_with_the_json_rows(self):
        for resource in RESOURCES:
            with self.subTest(resource):
                rows = self.csv(f"/api/{resource}/")
                body = self.get_json(f"/api/{resource}/", user=self.viewer, page_size=200)
                self.assertEqual([int(row["id"]) for row in rows], [row["id"] for row in body["results"]])
                self.assertEqual(list(rows[0]), list(body["results"][0]))

    def test_csv_values_match_json(self):
        [row] = self.csv("/api/agreements/", party=self.turkmen.pk)
        body = self.get_json(f"/api/agreements/{self.mou.pk}/", user=self.viewer)
        self.assertEqual(row["title"], body["title"])
        self.assertEqual({int(pk) for pk in row["parties"].split("; ")}, set(body["parties"]))
        self.assertEqual(row["areas"].split("; "), body["areas"])
        self.assertIn("Achilova", row["signatories"])

    def test_csv_applies_the_filters(self):
        rows = self.csv("/api/organizations/", country="TM")
        self.assertEqual([row["name"] for row in rows], [self.turkmen.name])

    def test_csv_holds_every_matching_row_not_one_page(self):
        OrganizationFactory.create_batch(60, country="FR")
        rows = self.csv("/api/organizations/", country="FR", page_size=5)
        self.assertEqual(len(rows), 60)

    def test_a_null_country_is_an_empty_cell(self):
        [row] = self.csv("/api/organizations/", kind="ifrc")
        self.assertEqual(row["country"], "")

    def test_cells_that_a_spreadsheet_would_run_are_defused(self):
        OrganizationFactory(name='=HYPERLINK("http://evil.example","click")', country="FR")
        OrganizationFactory(name="@SUM(1+1)", country="FR")
        names = {row["name"] for row in self.csv("/api/organizations/", country="FR")}
        self.assertEqual(names, {"'=HYPERLINK(\"http://evil.example\",\"click\")", "'@SUM(1+1)"})

    def test_personal_details_only_for_users_allowed_to_see_them(self):
        viewer_rows = self.csv("/api/contacts/")
        self.assertNotIn("email", viewer_rows[0])
        editor_rows = self.csv("/api/contacts/", user=self.editor)
        self.assertLessEqual({"email", "phone", "notes"}, set(editor_rows[0]))

    def test_csv_is_a_download(self):
        self.client.force_authenticate(self.viewer)
        response = self.client.get("/api/events/", {"format": "csv"})
        self.assertEqual(response["Content-Disposition"], 'attachment; filename="events.csv"')

    def test_a_detail_as_csv_is_one_row(self):
        self.client.force_authenticate(self.viewer)
        response = self.client.get(f"/api/organizations/{self.turkmen.pk}/", {"format": "csv"})
        self.assertEqual(response.status_code, 200)
        rows = list(csv.DictReader(io.StringIO(response.content.decode().removeprefix("\ufeff"))))
        self.assertEqual([row["name"] for row in rows], [self.turkmen.name])

    def test_csv_runs_a_constant_number_of_queries(self):
        def queries():
            # A fresh user object each time: permissions are cached on it.
            self.client.force_authenticate(User.objects.get(pk=self.viewer.pk))
            with CaptureQueriesContext(connection) as context:
                b"".join(self.client.get("/api/contacts/", {"format": "csv"}).streaming_content)
            return len(context.captured_queries)

        PositionFactory.create_batch(5)
        few = queries()
        PositionFactory.create_batch(50)
        self.assertEqual(queries(), few)
        self.assertEqual(few, 2 + 2)  # user and group permissions; contacts, their positions
        self.assertEqual(Contact.objects.count(), 11 + 55)
