"""Bad input: every field refuses it with a clear message, text is stored as typed and escaped on output,
exports never hand a spreadsheet a formula, uploads are limited in size and type. Never a 500."""

import csv
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from relations.agreements.models import Agreement
from relations.contacts.models import Contact, Organization
from relations.events.models import Event
from tests.admin_forms import admin_form_data
from tests.api import APITestCase

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'
SQL = "Robert'); DROP TABLE contacts_organization;--"
FORMULAS = ["=cmd|' /C calc'!A0", "+41 22 730 42 22", "-2+3", "@SUM(A1:A9)"]


def csv_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for cell in row]


class APIBadInputTests(APITestCase):
    """(resource, method, payload, the field the 400 must name). Each answer is JSON with a message."""

    def cases(self):
        long = "x" * 301
        return [
            # overlong strings
            ("organizations", "post", {"name": "x" * 201, "country": "QA"}, "name"),
            ("organizations", "patch", {"acronym": long}, "acronym"),
            ("contacts", "post", {"given_name": "A", "family_name": long}, "family_name"),
            ("events", "patch", {"title": long}, "title"),
            ("agreements", "patch", {"title": long}, "title"),
            # wrong types
            ("organizations", "patch", {"name": ["a", "list"]}, "name"),
            ("organizations", "patch", {"parent": "the red cross"}, "parent"),
            ("organizations", "patch", {"is_own_organization": "perhaps"}, "is_own_organization"),
            ("events", "patch", {"start_date": 20250101}, "start_date"),
            ("events", "patch", {"topics": "Health"}, "topics"),
            ("agreements", "patch", {"parties": "all"}, "parties"),
            ("agreements", "patch", {"signatories": [{"contact": "someone"}]}, "signatories"),
            ("contacts", "patch", {"positions": {"organization": 1}}, "positions"),
            # impossible dates, and an end before the start
            ("events", "patch", {"start_date": "2025-02-30"}, "start_date"),
            ("events", "patch", {"start_date": "2025-05-10", "end_date": "2025-05-01"}, "end_date"),
            ("agreements", "patch", {"signed_on": "2025-13-01"}, "signed_on"),
            ("agreements", "patch", {"signed_on": "2025-09-05", "expires_on": "2024-09-05"}, "expires_on"),
            ("contacts", "patch", {"positions": [{"organization": 1, "title": "x", "start_date": "2025-02-29"}]},
             "positions"),
            # unknown choices
            ("organizations", "patch", {"kind": "bank"}, "kind"),
            ("organizations", "patch", {"region": "atlantis"}, "region"),
            ("events", "patch", {"kind": "party"}, "kind"),
            ("agreements", "patch", {"status": "maybe"}, "status"),
            ("agreements", "patch", {"areas": ["No such topic"]}, "areas"),
            # bad country codes
            ("organizations", "patch", {"country": "ZZ"}, "country"),
            ("organizations", "patch", {"country": "Atlantis"}, "country"),
            ("organizations", "patch", {"country": "Q1"}, "country"),
            ("organizations", "patch", {"country": 7}, "country"),
            ("events", "patch", {"country": "XX"}, "country"),
            # a bad URL and email
            ("organizations", "patch", {"website": "javascript:alert(1)"}, "website"),
            ("organizations", "patch", {"email": "not an address"}, "email"),
        ]

    def detail(self, resource):
        return {
            "organizations": self.qrcs, "contacts": self.al_sada, "events": self.conference, "agreements": self.mou,
        }[resource].pk

    def test_every_bad_value_is_a_400_naming_its_field_with_a_message(self):
        self.client.force_authenticate(self.editor)
        for resource, method, payload, field in self.cases():
            url = f"/api/{resource}/" if method == "post" else f"/api/{resource}/{self.detail(resource)}/"
            with self.subTest(resource=resource, payload=str(payload)[:60]):
                response = getattr(self.client, method)(url, payload, format="json")
                self.assertEqual(response.status_code, 400, response.content[:300])
                self.assertEqual(response["Content-Type"], "application/json")
                body = response.json()
                self.assertIn(field, body)
                self.assertTrue(str(body[field]).strip("[]{}' "), body)

    def test_nothing_of_a_refused_write_is_saved(self):
        self.client.force_authenticate(self.editor)
        before = Event.objects.get(pk=self.conference.pk)
        response = self.client.patch(f"/api/events/{self.conference.pk}/",
                                     {"title": "Changed", "start_date": "2025-05-10", "end_date": "2025-05-01"},
                                     format="json")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(Event.objects.get(pk=self.conference.pk).title, before.title)

    def test_a_body_that_is_not_an_object_or_not_json_is_a_400(self):
        self.client.force_authenticate(self.editor)
        for body, content_type in (("[1, 2]", "application/json"), ("{", "application/json"), ("\x00\xff", "application/json"),
                                   ("name=x", "text/plain")):
            with self.subTest(body=body):
                response = self.client.post("/api/organizations/", body, content_type=content_type)
                self.assertIn(response.status_code, (400, 415))
                self.assertIn("application/json", response["Content-Type"])

    def test_a_page_number_too_large_for_any_database_is_a_404_past_the_end(self):
        """Found by the API fuzz step: the offset of page 2**61 overflowed SQLite's integers (500)."""
        self.client.force_authenticate(self.viewer)
        for page in (2**61 + 1, 2**63, 10**30):
            for resource in ("contacts", "agreements"):
                with self.subTest(page=page, resource=resource):
                    response = self.client.get(f"/api/{resource}/", {"page": page, "page_size": 182})
                    self.assertEqual(response.status_code, 404)
                    self.assertIn("detail", response.json())

    def test_bad_query_parameters_are_400_naming_them(self):
        self.client.force_authenticate(self.viewer)
        for url, name in (("/api/events/?date_from=2025-02-30", "date_from"), ("/api/organizations/?country=ZZ", "country"),
                          ("/api/agreements/?status=maybe", "status"), ("/api/events/?parent=abc", "parent")):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 400)
                self.assertIn(name, response.json())


class AdminBadInputTests(APITestCase):
    def change(self, record, **changes):
        opts = record._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
        self.client.force_login(self.editor)
        response = self.client.post(url, admin_form_data(self.client.get(url), **changes))
        return response

    def assert_refused(self, response, field, message):
        self.assertEqual(response.status_code, 200)
        errors = response.context["adminform"].form.errors
        self.assertIn(field, errors)
        self.assertIn(message, " ".join(errors[field]))

    def test_the_admin_forms_refuse_bad_values_with_a_message(self):
        cases = [
            (self.qrcs, {"name": "x" * 201}, "name", "at most 200 characters"),
            (self.qrcs, {"country": "ZZ"}, "country", "Select a valid choice"),
            (self.qrcs, {"kind": "bank"}, "kind", "Select a valid choice"),
            (self.conference, {"start_date": "2025-02-30"}, "start_date", "Enter a valid date"),
            (self.conference, {"start_date": "2025-05-10", "end_date": "2025-05-01"}, "end_date", "cannot end before"),
            (self.mou, {"signed_on": "2025-09-05", "expires_on": "2024-01-01"}, "expires_on", "cannot expire before"),
            (self.mou, {"status": "maybe"}, "status", "Select a valid choice"),
        ]
        for record, changes, field, message in cases:
            with self.subTest(record=record, changes=changes):
                self.assert_refused(self.change(record, **changes), field, message)


class TextIsDataTests(APITestCase):
    """HTML, script and SQL-looking text: stored exactly as typed, escaped wherever it is shown."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.hostile = Organization.objects.create(name=SCRIPT, acronym="<b>", city=SQL, country="QA", notes=SCRIPT)
        cls.person = Contact.objects.create(given_name=SCRIPT, family_name="Xss", notes=SCRIPT)
        cls.sql = Organization.objects.create(name=SQL, country="MN")

    def test_the_api_stores_and_returns_the_text_exactly(self):
        self.client.force_authenticate(self.editor)
        body = self.client.post("/api/organizations/", {"name": SQL, "city": SCRIPT, "country": "KZ"}, format="json").json()
        stored = Organization.objects.get(pk=body["id"])
        self.assertEqual((stored.name, stored.city), (SQL, SCRIPT))
        self.assertEqual(self.client.get(f"/api/organizations/{stored.pk}/").json()["name"], SQL)
        self.assertEqual(self.client.get(f"/api/organizations/{self.hostile.pk}/").json()["name"], SCRIPT)
        self.assertEqual(self.client.get(f"/api/organizations/{self.hostile.pk}/")["Content-Type"], "application/json")

    def test_sql_looking_text_is_searchable_on_pages_and_the_api(self):
        self.client.force_login(self.viewer)
        page = self.client.get(reverse("contacts:organization_list"), {"search": "DROP TABLE"})
        self.assertContains(page, "Robert&#x27;); DROP TABLE")
        self.client.force_authenticate(self.viewer)
        found = self.client.get("/api/organizations/", {"search": SQL}).json()["results"]
        self.assertEqual([row["id"] for row in found], [self.sql.pk])

    def pages(self):
        admin = "admin:contacts_organization"
        return [
            reverse("dashboard"),
            reverse("contacts:organization_list"),
            reverse("contacts:organization_list") + "?search=alert",
            self.hostile.get_absolute_url(),
            reverse("contacts:contact_list"),
            self.person.get_absolute_url(),
            reverse(f"{admin}_changelist"),
            reverse(f"{admin}_changelist") + "?q=alert",
            reverse(f"{admin}_change", args=[self.hostile.pk]),
            reverse(f"{admin}_history", args=[self.hostile.pk]),
            reverse(f"{admin}_delete", args=[self.hostile.pk]),
            reverse("admin:contacts_contact_changelist"),
            reverse("admin:contacts_contact_change", args=[self.person.pk]),
        ]

    def test_no_page_or_admin_page_lets_the_markup_through(self):
        self.client.force_login(self.manager)
        for url in self.pages():
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                content = response.content.decode()
                self.assertNotIn("<script>alert", content)
                self.assertNotIn("<img src=x", content)
        self.assertContains(self.client.get(self.hostile.get_absolute_url()), "&lt;script&gt;alert(")


class FormulaInjectionTests(APITestCase):
    """Every export defuses cells a spreadsheet would run: web and API CSV, the admin's CSV and XLSX."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.hostile = Organization.objects.create(
            name=FORMULAS[0], city=FORMULAS[1], acronym=FORMULAS[2], phone=FORMULAS[1], country="QA",
            website="", email="", notes=FORMULAS[3], native_name=FORMULAS[3],
        )
        Contact.objects.create(given_name=FORMULAS[3], family_name=FORMULAS[0], email="a@example.org",
                               phone=FORMULAS[1], notes=FORMULAS[2])

    def assert_defused(self, cells):
        dangerous = [cell for cell in cells if cell and cell[0] in "=+-@\t\r"]
        self.assertEqual(dangerous, [])
        self.assertIn("'" + FORMULAS[0], cells)

    def test_web_and_api_csv(self):
        self.client.force_login(self.manager)
        for url in (reverse("contacts:organization_csv"), reverse("contacts:contact_csv"),
                    "/api/organizations/?format=csv", "/api/contacts/?format=csv"):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assert_defused(csv_cells(b"".join(response.streaming_content).decode()))

    def export(self, model, file_format):
        self.client.force_login(self.editor)
        opts = model._meta
        resource = f"{model.__name__.lower()}resource"
        form = self.client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_export")).context["form"]
        fields = [name for name in form.fields if name.startswith(f"{resource}_")]
        response = self.client.post(reverse(f"admin:{opts.app_label}_{opts.model_name}_export"), {
            "format": str(file_format), "resource": "0", **{name: "on" for name in fields},
        })
        self.assertEqual(response.status_code, 200, response.content[:300])
        return response

    def test_the_admin_exports_csv_and_xlsx(self):
        for model in (Organization, Contact):
            with self.subTest(model=model.__name__, format="csv"):
                self.assert_defused(csv_cells(self.export(model, 0).content.decode()))
            with self.subTest(model=model.__name__, format="xlsx"):
                book = openpyxl.load_workbook(io.BytesIO(self.export(model, 1).content))
                cells = [str(cell.value) for row in book.active.iter_rows() for cell in row if cell.value is not None]
                formulas = [cell.coordinate for row in book.active.iter_rows() for cell in row if cell.data_type == "f"]
                self.assertEqual(formulas, [])
                self.assert_defused(cells)

    def test_an_exported_file_imports_back_to_the_same_text(self):
        from relations.contacts.resources import OrganizationResource

        dataset = OrganizationResource().export(queryset=Organization.objects.filter(pk=self.hostile.pk))
        from relations.core.spreadsheets import defused

        safe = defused(dataset)
        self.hostile.delete()
        result = OrganizationResource().import_data(safe, dry_run=False, raise_errors=True)
        self.assertFalse(result.has_errors())
        imported = Organization.objects.get(uuid=dataset.dict[0]["uuid"])
        self.assertEqual((imported.name, imported.city, imported.acronym), (FORMULAS[0], FORMULAS[1], FORMULAS[2]))


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


class DocumentUploadTests(APITestCase):
    def upload(self, name, content):
        url = reverse("admin:agreements_agreement_change", args=[self.mou.pk])
        self.client.force_login(self.editor)
        data = admin_form_data(self.client.get(url))
        data["document"] = SimpleUploadedFile(name, content)
        return self.client.post(url, data)

    def assert_refused(self, response, message):
        self.assertEqual(response.status_code, 200)
        errors = response.context["adminform"].form.errors
        self.assertIn("document", errors)
        self.assertIn(message, " ".join(errors["document"]))
        self.assertFalse(Agreement.objects.get(pk=self.mou.pk).document)

    def test_a_pdf_and_an_image_are_accepted(self):
        for name, content in (("signed.pdf", PDF), ("scan.PNG", PNG)):
            with self.subTest(name=name):
                self.assertEqual(self.upload(name, content).status_code, 302)
                self.assertTrue(Agreement.objects.get(pk=self.mou.pk).document.name.endswith(name.split(".")[1]))

    def test_another_extension_is_refused(self):
        for name in ("page.html", "run.exe", "signed.pdf.js", "noextension"):
            with self.subTest(name=name):
                self.assert_refused(self.upload(name, PDF), "not allowed")

    def test_content_that_is_not_what_the_extension_says_is_refused(self):
        for name, content in (("signed.pdf", b"<html><script>alert(1)</script></html>"), ("scan.png", PDF),
                              ("letter.docx", b"MZ\x90\x00 a program"), ("empty.pdf", b"")):
            with self.subTest(name=name):
                response = self.upload(name, content)
                if content:
                    self.assert_refused(response, "content is not a")
                else:
                    self.assert_refused(response, "empty")

    @override_settings(RELATIONS_DOCUMENT_MAX_BYTES=1024)
    def test_a_document_over_the_limit_is_refused(self):
        self.assert_refused(self.upload("big.pdf", PDF + b"0" * 2048), "the limit is")

    def test_a_stored_document_whose_file_went_missing_does_not_break_later_saves(self):
        self.mou.document.name = "agreements/2025/gone.pdf"
        self.mou.save()
        self.client.force_authenticate(self.editor)
        response = self.client.patch(f"/api/agreements/{self.mou.pk}/", {"summary": "Still editable"}, format="json")
        self.assertEqual(response.status_code, 200, response.content[:300])


class APIDocumentUploadTests(APITestCase):
    """The API takes a signed document as multipart/form-data, with the admin's limits."""

    def upload(self, name, content, expect):
        self.client.force_authenticate(self.editor)
        response = self.client.patch(f"/api/agreements/{self.mou.pk}/", {"document": SimpleUploadedFile(name, content)},
                                     format="multipart")
        self.assertEqual(response.status_code, expect, response.content[:300])
        self.assertEqual(response["Content-Type"], "application/json")
        return response.json()

    def test_a_pdf_is_stored_and_its_download_address_given(self):
        body = self.upload("signed.pdf", PDF, 200)
        self.assertNotIn("document", body)
        self.assertTrue(body["document_url"].endswith(reverse("agreements:agreement_document", args=[self.mou.pk])))
        self.assertTrue(Agreement.objects.get(pk=self.mou.pk).document.name.endswith(".pdf"))
        self.client.force_login(self.viewer)
        self.assertEqual(b"".join(self.client.get(body["document_url"]).streaming_content), PDF)

    def test_wrong_extension_content_size_or_no_file_is_a_400_naming_the_document(self):
        cases = [("page.html", PDF, "not allowed"), ("signed.pdf", b"<script>alert(1)</script>", "content is not a"),
                 ("signed.pdf", b"", "empty")]
        for name, content, message in cases:
            with self.subTest(name=name, content=content[:10]):
                body = self.upload(name, content, 400)
                self.assertIn(message, " ".join(body["document"]))
        with override_settings(RELATIONS_DOCUMENT_MAX_BYTES=1024), self.subTest("too large"):
            body = self.upload("big.pdf", PDF + b"0" * 2048, 400)
            self.assertIn("the limit is", " ".join(body["document"]))
        response = self.client.patch(f"/api/agreements/{self.mou.pk}/", {"document": "not a file"}, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("document", response.json())
        self.assertFalse(Agreement.objects.get(pk=self.mou.pk).document)

    def test_without_a_document_the_address_is_null(self):
        self.client.force_authenticate(self.viewer)
        self.assertIsNone(self.client.get(f"/api/agreements/{self.mou.pk}/").json()["document_url"])
