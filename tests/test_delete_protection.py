"""Deleting a record that others still point to is refused, never cascaded."""

from django.db.models import ProtectedError

from relations.agreements.models import Agreement, Party, Signatory
from relations.contacts.models import Organization
from relations.events.models import Event, Participation
from tests.base import RelationsTestCase


class DeleteProtectionTests(RelationsTestCase):
    def test_an_organization_with_agreements_and_events_cannot_be_deleted(self):
        with self.assertRaises(ProtectedError) as caught:
            self.turkmen.delete()
        blocking = {type(obj) for obj in caught.exception.protected_objects}
        self.assertTrue({Party, Participation} & blocking)
        self.assertTrue(Organization.objects.filter(pk=self.turkmen.pk).exists())
        self.assertEqual(self.mou.parties.count(), 2)

    def test_a_person_who_signed_cannot_be_deleted(self):
        with self.assertRaises(ProtectedError) as caught:
            self.achilova.delete()
        self.assertIn(Signatory, {type(obj) for obj in caught.exception.protected_objects})

    def test_an_event_where_an_agreement_was_signed_cannot_be_deleted(self):
        with self.assertRaises(ProtectedError) as caught:
            self.conference.delete()
        blocking = {type(obj) for obj in caught.exception.protected_objects}
        self.assertTrue({Agreement, Event} & blocking)

    def test_the_admin_says_what_still_points_to_the_organization(self):
        self.client.force_login(self.manager)
        response = self.client.get(f"/admin/contacts/organization/{self.turkmen.pk}/delete/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "would require deleting the following protected related objects")
        self.assertContains(response, "party to")
        response = self.client.post(f"/admin/contacts/organization/{self.turkmen.pk}/delete/", {"post": "yes"})
        self.assertTrue(Organization.objects.filter(pk=self.turkmen.pk).exists())

    def test_an_agreement_deletes_with_its_own_parties_and_signatories_only(self):
        self.mou.delete()
        self.assertFalse(Party.objects.filter(organization=self.turkmen).exists())
        self.assertTrue(Organization.objects.filter(pk=self.turkmen.pk).exists())
        self.assertTrue(self.achilova.__class__.objects.filter(pk=self.achilova.pk).exists())
