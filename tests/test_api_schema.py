"""The OpenAPI document: generated without warnings, valid, describing every endpoint; docs served locally."""

from io import StringIO

import yaml
from django.core.management import call_command

from tests.api import RESOURCES, APITestCase


class SchemaTests(APITestCase):
    def test_the_schema_generates_without_warnings_and_validates(self):
        out = StringIO()
        # --fail-on-warn raises on any warning; --validate checks it against the OpenAPI 3 specification.
        call_command("spectacular", "--validate", "--fail-on-warn", stdout=out, stderr=StringIO())
        schema = yaml.safe_load(out.getvalue())
        for resource in RESOURCES:
            self.assertIn(f"/api/{resource}/", schema["paths"])
            self.assertIn(f"/api/{resource}/{{id}}/", schema["paths"])

    def test_the_schema_documents_each_filter_with_its_type(self):
        schema = self.client.get("/api/schema/", {"format": "json"}).json()
        parameters = {p["name"]: p for p in schema["paths"]["/api/agreements/"]["get"]["parameters"]}
        self.assertLessEqual(
            {"search", "ordering", "status", "kind", "party", "signed_from", "signed_to", "expires_before", "page",
             "page_size"},
            set(parameters),
        )
        self.assertEqual(parameters["party"]["schema"]["type"], "integer")
        self.assertEqual(parameters["signed_from"]["schema"]["format"], "date")
        self.assertEqual(parameters["page_size"]["schema"]["maximum"], 200)
        contacts = {p["name"]: p for p in schema["paths"]["/api/contacts/"]["get"]["parameters"]}
        self.assertIn("TM", contacts["country"]["schema"]["enum"])

    def test_the_schema_offers_csv_on_lists(self):
        schema = self.client.get("/api/schema/", {"format": "json"}).json()
        self.assertIn("text/csv", schema["paths"]["/api/events/"]["get"]["responses"]["200"]["content"])

    def test_the_schema_documents_the_json_error_answers(self):
        paths = self.client.get("/api/schema/", {"format": "json"}).json()["paths"]
        self.assertLessEqual({"400", "401", "403", "404"}, set(paths["/api/agreements/"]["get"]["responses"]))
        delete = paths["/api/organizations/{id}/"]["delete"]["responses"]
        self.assertIn("blocking", delete["409"]["content"]["application/json"]["schema"]["properties"])
        # A write aborted twice by the database because of another write (tests/test_concurrency_deadlock.py).
        for method in ("post", "put", "patch"):
            path = "/api/organizations/" if method == "post" else "/api/organizations/{id}/"
            self.assertIn("at the same moment", paths[path][method]["responses"]["409"]["description"])
        self.assertIn("at the same moment", delete["409"]["description"])
        self.assertNotIn("400", paths["/api/topics/{id}/"]["get"]["responses"])

    def test_the_docs_page_uses_the_apps_own_static_files(self):
        response = self.client.get("/api/docs/")
        self.assertEqual(response.status_code, 200)
        page = response.content.decode()
        self.assertIn("/static/drf_spectacular_sidecar/swagger-ui-dist/", page)
        self.assertNotIn("cdn.", page)
        self.assertNotIn("unpkg", page)
