"""A record's version covers its nested rows: a party, signatory, position, participant or side meeting changed
or deleted on its own (its admin page, an import, a script) moves the version of the record it belongs to, so a
client or an admin form that still holds the old rows cannot write them back (relations/core/concurrency.py,
"Nested rows")."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from relations.agreements.models import Agreement, Party, Signatory
from relations.contacts.models import Contact, Organization, Position
from relations.core.concurrency import etag, record_version
from relations.events.models import Event, Participation
from tests.admin_forms import admin_form_data
from tests.base import RelationsTestCase
from tests.factories import OrganizationFactory


class NestedVersionTestCase(RelationsTestCase):
    def api(self, user=None):
        client = APIClient()
        client.force_authenticate(user or self.editor)
        return client

    def read(self, url):
        response = self.api().get(url)
        self.assertEqual(response.status_code, 200)
        return response["ETag"], response.json()

    def current_tag(self, record):
        return etag(type(record).objects.get(pk=record.pk))


class ChildChangedOnItsOwnTests(NestedVersionTestCase):
    """The reviewer's reproduction, for each kind of nested row: someone changes one row on its own, then a
    client PATCHes the list it read before with the If-Match it read before."""

    def assert_stale_list_refused(self, url, record, field, change, check):
        tag, body = self.read(url)
        self.assertTrue(body[field], f"the article has {field} for this record")
        change()
        fresh_tag, fresh_body = self.read(url)
        self.assertNotEqual(fresh_body[field], body[field])  # the body changed ...
        self.assertNotEqual(fresh_tag, tag)  # ... and so did its strong ETag
        self.assertEqual(fresh_tag, self.current_tag(record))
        response = self.api().patch(url, {field: body[field]}, format="json", HTTP_IF_MATCH=tag)
        self.assertEqual(response.status_code, 412, response.content)
        check()  # the other change is still there
        self.assertEqual(self.read(url)[1][field], fresh_body[field])

    def test_a_signatory_changed_on_its_own(self):
        signatory = Signatory.objects.filter(agreement=self.mou).first()
        url = f"/api/agreements/{self.mou.pk}/"

        def change():
            signatory.title = "Changed by someone else"
            signatory.save()

        self.assert_stale_list_refused(
            url, self.mou, "signatories", change,
            lambda: self.assertEqual(Signatory.objects.get(pk=signatory.pk).title, "Changed by someone else"),
        )

    def test_a_signatory_deleted_on_its_own(self):
        signatory = Signatory.objects.filter(agreement=self.mou).first()
        self.assert_stale_list_refused(
            f"/api/agreements/{self.mou.pk}/", self.mou, "signatories", signatory.delete,
            lambda: self.assertFalse(Signatory.objects.filter(agreement=self.mou, contact=signatory.contact_id,
                                                              organization=signatory.organization_id).exists()),
        )

    def test_a_party_added_or_deleted_on_its_own(self):
        extra = OrganizationFactory()
        self.assert_stale_list_refused(
            f"/api/agreements/{self.mou.pk}/", self.mou, "parties",
            lambda: Party.objects.create(agreement=self.mou, organization=extra),
            lambda: self.assertTrue(Party.objects.filter(agreement=self.mou, organization=extra).exists()),
        )
        self.assert_stale_list_refused(
            f"/api/agreements/{self.mou.pk}/", self.mou, "parties",
            Party.objects.get(agreement=self.mou, organization=extra).delete,
            lambda: self.assertFalse(Party.objects.filter(agreement=self.mou, organization=extra).exists()),
        )

    def test_a_position_changed_on_its_own(self):
        position = Position.objects.filter(contact=self.al_sada).first()

        def change():
            position.title = "Changed by someone else"
            position.save()

        self.assert_stale_list_refused(
            f"/api/contacts/{self.al_sada.pk}/", self.al_sada, "positions", change,
            lambda: self.assertEqual(Position.objects.get(pk=position.pk).title, "Changed by someone else"),
        )

    def test_a_position_deleted_on_its_own(self):
        position = Position.objects.filter(contact=self.al_sada).first()
        self.assert_stale_list_refused(
            f"/api/contacts/{self.al_sada.pk}/", self.al_sada, "positions", position.delete,
            lambda: self.assertFalse(Position.objects.filter(pk=position.pk).exists()),
        )

    def test_a_participant_changed_on_its_own(self):
        participation = Participation.objects.filter(event=self.conference).exclude(
            role=Participation.Role.OBSERVER).first()

        def change():
            participation.role = Participation.Role.OBSERVER
            participation.save()

        self.assert_stale_list_refused(
            f"/api/events/{self.conference.pk}/", self.conference, "participants", change,
            lambda: self.assertEqual(Participation.objects.get(pk=participation.pk).role, Participation.Role.OBSERVER),
        )

    def test_a_participant_deleted_on_its_own_even_by_a_queryset_delete(self):
        participation = Participation.objects.filter(event=self.conference).first()
        self.assert_stale_list_refused(
            f"/api/events/{self.conference.pk}/", self.conference, "participants",
            lambda: Participation.objects.filter(pk=participation.pk).delete(),
            lambda: self.assertFalse(Participation.objects.filter(pk=participation.pk).exists()),
        )


class WhichVersionsMoveTests(NestedVersionTestCase):
    def versions(self, *records):
        return [record_version(type(record).objects.get(pk=record.pk)) for record in records]

    def test_a_position_moves_its_person_and_its_organization_and_on_a_move_the_old_organization_too(self):
        position = Position.objects.filter(contact=self.al_sada).first()
        old_organization, new_organization = position.organization, OrganizationFactory()
        before = self.versions(self.al_sada, old_organization, new_organization)
        position.organization = new_organization
        position.save()
        after = self.versions(self.al_sada, old_organization, new_organization)
        for old, new in zip(before, after, strict=True):
            self.assertNotEqual(old, new)

    def test_a_side_meeting_moves_its_main_event(self):
        side = Event.objects.filter(parent=self.conference).first()
        before = self.versions(self.conference)
        side.title = "Renamed side meeting"
        side.save()
        self.assertNotEqual(self.versions(self.conference), before)

    def test_a_cascade_delete_moves_the_other_parents(self):
        contact = Contact.objects.create(given_name="Aýna", family_name="Test")
        position = Position.objects.create(contact=contact, organization=self.qrcs, title="Delegate")
        before = self.versions(self.qrcs)
        contact.delete()  # its positions go with it
        self.assertFalse(Position.objects.filter(pk=position.pk).exists())
        self.assertNotEqual(self.versions(self.qrcs), before)

    def test_deleting_a_parent_updates_no_version_of_it_for_its_rows(self):
        # Its participations and side meetings go first (a cascade): the event's own row is deleted next,
        # so no UPDATE of it per row (test_a_cascade_delete_moves_the_other_parents: other parents still move).
        event = Event.objects.create(title="Cascade", kind=Event.Kind.BILATERAL_MEETING, start_date="2026-02-01")
        for organization in (self.qrcs, self.turkmen, self.ifrc):
            Participation.objects.create(event=event, organization=organization)
        with CaptureQueriesContext(connection) as queries:
            event.delete()
        updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('UPDATE "events_event"')]
        self.assertEqual(updates, [])
        self.assertFalse(Participation.objects.filter(event_id=event.pk).exists())

    def test_an_unrelated_record_keeps_its_version(self):
        position = Position.objects.filter(contact=self.achilova).first()
        before = self.versions(self.mou, self.conference, self.al_sada)
        position.title = "Elsewhere"
        position.save()
        self.assertEqual(self.versions(self.mou, self.conference, self.al_sada), before)


class NestedWriteAnswersTheStoredVersionTests(NestedVersionTestCase):
    """The API's own nested write answers with the ETag stored afterwards: the client can write again with it."""

    def assert_write_then_write_again(self, url, record, first, second):
        tag, body = self.read(url)
        client = self.api()
        response = client.patch(url, first(body), format="json", HTTP_IF_MATCH=tag)
        self.assertEqual(response.status_code, 200, response.content)
        self.assertNotEqual(response["ETag"], tag)
        self.assertEqual(response["ETag"], self.current_tag(record))
        self.assertEqual(self.read(url)[0], response["ETag"])
        again = client.patch(url, second(response.json()), format="json", HTTP_IF_MATCH=response["ETag"])
        self.assertEqual(again.status_code, 200, again.content)
        self.assertEqual(again["ETag"], self.current_tag(record))

    def test_signatories_and_parties(self):
        self.assert_write_then_write_again(
            f"/api/agreements/{self.mou.pk}/", self.mou,
            lambda body: {"signatories": [{**row, "title": "First"} for row in body["signatories"]]},
            lambda body: {"signatories": body["signatories"][:1], "parties": body["parties"]},
        )
        self.assertEqual(Signatory.objects.filter(agreement=self.mou).count(), 1)

    def test_positions(self):
        self.assert_write_then_write_again(
            f"/api/contacts/{self.al_sada.pk}/", self.al_sada,
            lambda body: {"positions": [{**row, "department": "First"} for row in body["positions"]]},
            lambda body: {"positions": []},
        )
        self.assertFalse(Position.objects.filter(contact=self.al_sada).exists())

    def test_participants(self):
        self.assert_write_then_write_again(
            f"/api/events/{self.conference.pk}/", self.conference,
            lambda body: {"participants": body["participants"][1:]},
            lambda body: {"participants": body["participants"][1:]},
        )

    def test_a_nested_write_moves_the_version_once_and_the_rows_do_not_move_it_again(self):
        url = f"/api/contacts/{self.al_sada.pk}/"
        tag, body = self.read(url)
        organization = Position.objects.filter(contact=self.al_sada).first().organization
        organization_before = record_version(organization)
        response = self.api().patch(url, {"positions": [{**row, "title": "New"} for row in body["positions"]]},
                                    format="json", HTTP_IF_MATCH=tag)
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response["ETag"], self.current_tag(self.al_sada))
        # The organization lists the person's positions on its admin page: its version moved too.
        self.assertNotEqual(record_version(Organization.objects.get(pk=organization.pk)), organization_before)


class AdminWithNestedRowsTests(NestedVersionTestCase):
    def change_url(self, obj):
        return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])

    def open_form(self, obj):
        self.client.force_login(self.editor)
        response = self.client.get(self.change_url(obj))
        self.assertEqual(response.status_code, 200)
        return response

    def test_a_signatory_saved_on_its_own_admin_page_refuses_a_stale_api_write(self):
        signatory = Signatory.objects.filter(agreement=self.mou).first()
        url = f"/api/agreements/{self.mou.pk}/"
        tag, body = self.read(url)
        data = admin_form_data(self.open_form(signatory), title="Changed on the admin page")
        self.assertEqual(self.client.post(self.change_url(signatory), data).status_code, 302)
        response = self.api().patch(url, {"signatories": body["signatories"]}, format="json", HTTP_IF_MATCH=tag)
        self.assertEqual(response.status_code, 412, response.content)
        self.assertEqual(Signatory.objects.get(pk=signatory.pk).title, "Changed on the admin page")

    def test_the_agreement_form_opened_before_a_signatory_changed_is_refused(self):
        stale = admin_form_data(self.open_form(self.mou), title="Stale title")
        signatory = Signatory.objects.filter(agreement=self.mou).first()
        signatory.title = "Changed by someone else"
        signatory.save()
        refused = self.client.post(self.change_url(self.mou), stale)
        self.assertContains(refused, "Someone else saved this agreement after you opened it")
        self.assertEqual(Signatory.objects.get(pk=signatory.pk).title, "Changed by someone else")
        self.assertNotEqual(Agreement.objects.get(pk=self.mou.pk).title, "Stale title")

    def test_the_organization_form_opened_before_a_position_changed_on_the_persons_page_is_refused(self):
        position = Position.objects.filter(organization=self.qrcs).first()
        stale = admin_form_data(self.open_form(self.qrcs), city="Stale city")
        position.title = "Changed by someone else"
        position.save()
        refused = self.client.post(self.change_url(self.qrcs), stale)
        self.assertContains(refused, "Someone else saved this organization after you opened it")
        self.assertEqual(Position.objects.get(pk=position.pk).title, "Changed by someone else")

    def test_saving_the_agreement_form_with_its_inlines_goes_through_and_moves_the_version(self):
        before = record_version(self.mou)
        data = admin_form_data(self.open_form(self.mou))
        prefix = next(key for key in data if key.endswith("-0-title") and key.startswith("signatories"))
        data[prefix] = "Changed in the inline"
        self.assertEqual(self.client.post(self.change_url(self.mou), data).status_code, 302)
        self.assertNotEqual(record_version(Agreement.objects.get(pk=self.mou.pk)), before)
        self.assertTrue(Signatory.objects.filter(agreement=self.mou, title="Changed in the inline").exists())
