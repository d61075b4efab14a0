"""CSV downloads: exactly the filtered rows across all pages, defused cells, personal details only with permission."""

import csv
import io

from django.test import SimpleTestCase
from django.urls import reverse

from relations.core.exports import csv_cell
from tests.base import RelationsTestCase
from tests.factories import OrganizationFactory


class CsvCellTests(SimpleTestCase):
    def test_formula_starters_get_a_leading_apostrophe(self):
        for dangerous in ("=1+1", "+31 20 555", "-2", "@SUM(A1)", "\tx", "\rx"):
            with self.subTest(value=dangerous):
                self.assertEqual(csv_cell(dangerous), "'" + dangerous)

    def test_ordinary_values_are_kept(self):
        self.assertEqual(csv_cell("Red Crescent Society of Uzbekistan"), "Red Crescent Society of Uzbekistan")
        self.assertEqual(csv_cell("Национальное общество"), "Национальное общество")
        self.assertEqual(csv_cell(None), "")
        self.assertEqual(csv_cell(12), "12")


class CsvDownloadTests(RelationsTestCase):
    def setUp(self):
        self.client.force_login(self.viewer)

    def download(self, url_name, **params):
        response = self.client.get(reverse(url_name), params)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.streaming)
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        return list(csv.DictReader(io.StringIO(text)))

    def test_the_partner_csv_holds_the_filtered_rows_of_every_page(self):
        OrganizationFactory.create_batch(30, country="TM")
        page = self.client.get(reverse("contacts:organization_list"), {"country": "TM"})
        self.assertEqual(page.context["table"].paginator.count, 31)
        self.assertContains(page, 'href="/organizations/export.csv?country=TM"')
        rows = self.download("contacts:organization_csv", country="TM")
        self.assertEqual(len(rows), 31)
        self.assertEqual({row["Country"] for row in rows}, {"Turkmenistan"})
        self.assertIn(self.turkmen.name, [row["Name"] for row in rows])

    def test_every_list_exports_what_its_page_lists(self):
        cases = [
            ("contacts:organization", {"agreement_status": "signed"}, "Name", lambda r: r.name),
            ("contacts:contact", {"organization": self.qrcs.pk}, "Family name", lambda r: r.family_name),
            ("events:event", {"parent": self.conference.pk}, "Title", lambda r: r.title),
            ("agreements:agreement", {"party": self.turkmen.pk}, "Title", lambda r: r.title),
        ]
        for prefix, params, header, value in cases:
            with self.subTest(prefix):
                listed = self.client.get(reverse(f"{prefix}_list"), {**params, "per_page": 100}).context["table"]
                expected = [value(row.record) for row in listed.paginated_rows]
                self.assertGreater(len(expected), 0)
                self.assertEqual([row[header] for row in self.download(f"{prefix}_csv", **params)], expected)

    def test_cells_that_look_like_formulas_are_defused(self):
        OrganizationFactory(name="=HYPERLINK(\"http://evil\")", country="TM")
        names = [row["Name"] for row in self.download("contacts:organization_csv", country="TM")]
        self.assertIn("'=HYPERLINK(\"http://evil\")", names)

    def test_bad_filter_values_refuse_the_download_with_a_clear_message(self):
        response = self.client.get(reverse("contacts:organization_csv"), {"event": "nope"})
        self.assertEqual(response.status_code, 400)
        self.assertIn(b"event", response.content)

    def test_contact_details_only_for_users_allowed_to_see_them(self):
        self.al_sada.email = "private.person@example.org"
        self.al_sada.save()
        rows = self.download("contacts:contact_csv", search="al sada")
        self.assertEqual(rows[0]["Family name"], "Al Sada")
        self.assertNotIn("Email", rows[0])
        self.client.force_login(self.editor)
        rows = self.download("contacts:contact_csv", search="al sada")
        self.assertEqual(rows[0]["Email"], "private.person@example.org")
