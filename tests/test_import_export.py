"""Spreadsheet import and export in the admin: preview, rejection reasons, confirm, round trip."""

import io
import re
from pathlib import Path

import tablib
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from relations.contacts.models import Contact, Organization
from relations.contacts.resources import ContactResource, OrganizationResource
from relations.events.models import Event
from relations.events.resources import EventResource
from tests.base import RelationsTestCase

SAMPLES = Path(settings.BASE_DIR) / "fixtures" / "samples"


def sample(name):
    return tablib.Dataset().load((SAMPLES / name).read_text(encoding="utf-8"), format="csv")


def outcome(result):
    """[(row number, outcome, reasons)] of an import result, rejected rows included."""
    rows = []
    for number, row in enumerate(result.valid_rows(), start=1):
        rejection = getattr(row, "rejection", None)
        rows.append((number, "rejected" if rejection else row.import_type, rejection or []))
    return rows


class ResourceImportTests(RelationsTestCase):
    def test_a_dry_run_previews_new_and_rejected_rows_and_writes_nothing(self):
        before = Organization.objects.count()
        result = OrganizationResource().import_data(sample("organizations.csv"), dry_run=True)
        rows = outcome(result)
        self.assertEqual([r[1] for r in rows], ["new", "new", "rejected", "new"])
        reasons = " ".join(rows[2][2])
        self.assertIn("kind", reasons)
        self.assertIn("country", reasons)
        self.assertIn("email", reasons)
        self.assertEqual(Organization.objects.count(), before)

    def test_confirming_imports_the_good_rows_with_the_admins_rules(self):
        OrganizationResource().import_data(sample("organizations.csv"), dry_run=False)
        shn = Organization.objects.get(acronym="SHN")
        self.assertEqual((shn.kind, shn.country.code, shn.region), ("ngo", "JO", "mena"))
        self.assertEqual(Organization.objects.get(name__startswith="Sample Disaster").country.code, "KZ")
        self.assertFalse(Organization.objects.filter(name="Sample Space Agency").exists())

    def test_people_come_in_with_their_current_position(self):
        OrganizationResource().import_data(sample("organizations.csv"), dry_run=False)
        result = ContactResource().import_data(sample("contacts.csv"), dry_run=False)
        rows = outcome(result)
        self.assertEqual([r[1] for r in rows], ["new", "new", "rejected", "new"])
        reasons = " ".join(rows[2][2])
        self.assertIn("email", reasons)
        self.assertIn("No organization called “Unknown Society”", reasons)
        self.assertFalse(Contact.objects.filter(family_name="Khalil").exists())
        layla = Contact.objects.get(family_name="Haddad")
        position = layla.positions.get()
        self.assertEqual((position.organization.acronym, position.title, str(position.start_date)),
                         ("SHN", "Programme Director", "2024-03-01"))
        self.assertTrue(position.is_current)
        self.assertFalse(Contact.objects.get(family_name="Nasser").positions.exists())

    def test_importing_the_same_file_twice_updates_instead_of_duplicating(self):
        OrganizationResource().import_data(sample("organizations.csv"), dry_run=False)
        ContactResource().import_data(sample("contacts.csv"), dry_run=False)
        count, positions = Contact.objects.count(), Contact.objects.get(family_name="Haddad").positions.count()
        again = ContactResource().import_data(sample("contacts.csv"), dry_run=False)
        self.assertEqual(Contact.objects.count(), count)
        self.assertEqual(Contact.objects.get(family_name="Haddad").positions.count(), positions)
        self.assertNotIn("new", [r[1] for r in outcome(again)])

    def test_events_with_parent_host_and_topics_and_a_rejected_one(self):
        OrganizationResource().import_data(sample("organizations.csv"), dry_run=False)
        result = EventResource().import_data(sample("events.csv"), dry_run=False)
        rows = outcome(result)
        self.assertEqual([r[1] for r in rows], ["new", "new", "rejected"])
        self.assertIn("Time travel", " ".join(rows[2][2]))
        side = Event.objects.get(kind="bilateral_meeting", title__startswith="Sample bilateral")
        self.assertEqual(side.parent.title, "Sample regional workshop on disaster law")
        self.assertEqual(side.parent.host.acronym, "SHN")
        self.assertEqual(sorted(side.parent.topics.values_list("name", flat=True)),
                         ["International humanitarian law", "Natural disasters"])

    def test_export_then_import_round_trip_changes_nothing(self):
        for resource in (OrganizationResource(), ContactResource(), EventResource()):
            with self.subTest(resource=type(resource).__name__):
                model = resource._meta.model
                count = model.objects.count()
                exported = resource.export()
                xlsx = exported.export("xlsx")
                dataset = tablib.Dataset().load(io.BytesIO(xlsx).read(), format="xlsx")
                result = type(resource)().import_data(dataset, dry_run=False)
                self.assertFalse(result.has_errors(), [e.error for r in result.rows for e in r.errors][:1] or result.base_errors)
                self.assertEqual([r for r in outcome(result) if r[1] not in ("skip", "update")], [])
                self.assertEqual(model.objects.count(), count)


class AdminImportTests(RelationsTestCase):
    def upload(self, model_name, file_name):
        url = reverse(f"admin:contacts_{model_name}_import") if model_name != "event" else reverse(
            "admin:events_event_import")
        content = (SAMPLES / file_name).read_bytes()
        return self.client.post(url, {
            "import_file": SimpleUploadedFile(file_name, content, content_type="text/csv"),
            "format": "0",
            "resource": "0",
        })

    def test_an_editor_previews_sees_the_rejection_reason_then_confirms(self):
        self.client.force_login(self.editor)
        OrganizationResource().import_data(sample("organizations.csv"), dry_run=False)
        preview = self.upload("contact", "contacts.csv")
        self.assertEqual(preview.status_code, 200)
        self.assertContains(preview, "Rejected")
        self.assertContains(preview, "Enter a valid email address.")
        self.assertFalse(Contact.objects.filter(family_name="Haddad").exists())  # nothing written yet
        form = preview.context["confirm_form"]
        confirm = self.client.post(reverse("admin:contacts_contact_process_import"), {
            name: form.initial.get(name) for name in form.fields
        })
        self.assertEqual(confirm.status_code, 302)
        layla = Contact.objects.get(family_name="Haddad")
        self.assertEqual(layla.history.first().history_user, self.editor)
        self.assertFalse(Contact.objects.filter(family_name="Khalil").exists())

    def test_the_changelist_offers_import_export_and_duplicates(self):
        self.client.force_login(self.editor)
        response = self.client.get(reverse("admin:contacts_contact_changelist"))
        for url in ("admin:contacts_contact_import", "admin:contacts_contact_export",
                    "admin:contacts_contact_duplicates"):
            self.assertContains(response, reverse(url))

    def test_export_downloads_csv(self):
        self.client.force_login(self.editor)
        response = self.client.post(reverse("admin:contacts_organization_export"), {
            "format": "0", "resource": "0", **{f"organizationresource_{f}": "on" for f in ("name", "acronym", "country")}
        })
        self.assertEqual(response.status_code, 200, response.content[:500])
        self.assertIn("text/csv", response["Content-Type"])
        self.assertIn("Qatar Red Crescent Society", response.content.decode())

    def test_a_user_without_add_permission_cannot_import(self):
        self.client.force_login(self.viewer)
        response = self.client.get(reverse("admin:contacts_contact_import"))
        self.assertIn(response.status_code, (302, 403))
