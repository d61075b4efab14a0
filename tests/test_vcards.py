"""vCards of contacts, read back with vobject as an address book would."""

import datetime

import vobject
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.base import RelationsTestCase
from tests.factories import ContactFactory, PositionFactory


def read(response) -> dict:
    """The cards of a response, by formatted name."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return {card.fn.value: card for card in vobject.readComponents(body.decode("utf-8"))}


class VcardTests(RelationsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.al_sada.honorific = "Dr."
        cls.al_sada.native_name = "علي بن حسن السادة"
        cls.al_sada.email = "private.person@example.org"
        cls.al_sada.phone = "+974 5555 0101"
        cls.al_sada.notes = "Prefers calls in the morning; speaks Arabic, English."
        cls.al_sada.save()
        cls.achilova.native_name = "Марал Ачилова"
        cls.achilova.save()
        cls.position = cls.al_sada.positions.first()

    def card(self, user, contact):
        self.client.force_login(user)
        response = self.client.get(reverse("contacts:contact_vcard", args=[contact.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/vcard; charset=utf-8")
        self.assertIn("attachment", response["Content-Disposition"])
        (card,) = read(response).values()
        return card

    def test_a_card_has_the_name_with_the_honorific_as_prefix_and_the_own_script_name(self):
        card = self.card(self.editor, self.al_sada)
        self.assertEqual(card.fn.value, f"Dr. {self.al_sada.full_name}")
        self.assertEqual(card.n.value.prefix, "Dr.")
        self.assertEqual(card.n.value.family, self.al_sada.family_name)
        self.assertEqual(card.n.value.given, self.al_sada.given_name)
        self.assertEqual(card.x_native_name.value, "علي بن حسن السادة")
        self.assertEqual(self.card(self.editor, self.achilova).x_native_name.value, "Марал Ачилова")

    def test_a_card_has_the_organization_and_title_of_the_current_position(self):
        card = self.card(self.viewer, self.al_sada)
        current = self.al_sada.positions.current().select_related("organization").first()
        self.assertEqual(card.org.value[0], current.organization.name)
        self.assertEqual(card.title.value, current.title)
        self.assertEqual(card.url.value, f"http://testserver{self.al_sada.get_absolute_url()}")
        self.assertEqual(card.uid.value, f"contact-{self.al_sada.uuid}@testserver")

    def test_a_past_position_is_not_on_the_card(self):
        person = ContactFactory()
        PositionFactory(contact=person, title="Former envoy", end_date=datetime.date(2020, 1, 1))
        card = self.card(self.viewer, person)
        self.assertNotIn("title", card.contents)
        self.assertNotIn("org", card.contents)

    def test_personal_details_only_for_users_allowed_to_see_them(self):
        editor_card = self.card(self.editor, self.al_sada)
        self.assertEqual(editor_card.email.value, self.al_sada.email)
        self.assertEqual(editor_card.tel.value, self.al_sada.phone)
        self.assertEqual(editor_card.note.value, self.al_sada.notes)
        viewer_card = self.card(self.viewer, self.al_sada)
        for name in ("email", "tel", "note"):
            self.assertNotIn(name, viewer_card.contents)
        response = self.client.get(reverse("contacts:contact_vcard", args=[self.al_sada.pk]))
        for secret in (self.al_sada.email, self.al_sada.phone, "morning"):
            self.assertNotIn(secret, response.content.decode())

    def test_the_list_download_follows_the_list_filters(self):
        self.client.force_login(self.viewer)
        response = self.client.get(reverse("contacts:contact_vcards"), {"search": "Ачилова"})
        self.assertEqual(list(read(response)), [self.achilova.display_name])
        everyone = read(self.client.get(reverse("contacts:contact_vcards")))
        self.assertEqual(len(everyone), self.achilova.__class__.objects.count())
        self.assertEqual(everyone[f"Dr. {self.al_sada.full_name}"].x_native_name.value, "علي بن حسن السادة")
        self.assertNotIn("EMAIL", b"".join(self.client.get(reverse("contacts:contact_vcards")).streaming_content).decode())

    def test_a_bad_filter_value_is_a_400_naming_it(self):
        self.client.force_login(self.viewer)
        response = self.client.get(reverse("contacts:contact_vcards"), {"organization": "not-a-number"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("organization", response.content.decode())

    def test_the_pages_link_to_the_vcards(self):
        self.client.force_login(self.viewer)
        detail = self.client.get(self.al_sada.get_absolute_url())
        self.assertContains(detail, reverse("contacts:contact_vcard", args=[self.al_sada.pk]))
        self.assertContains(detail, "Add to address book (vCard)")
        listing = self.client.get(reverse("contacts:contact_list"), {"search": "Achilova"})
        self.assertContains(listing, f'{reverse("contacts:contact_vcards")}?search=Achilova')

    def test_no_login_no_permission_no_card(self):
        url = reverse("contacts:contact_vcard", args=[self.al_sada.pk])
        self.assertEqual(self.client.get(url).status_code, 302)
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(url).status_code, 403)
        self.assertEqual(self.client.get(reverse("contacts:contact_vcards")).status_code, 403)
        self.client.force_login(self.viewer)
        self.assertEqual(self.client.get(reverse("contacts:contact_vcard", args=[999999])).status_code, 404)

    def test_the_list_download_runs_the_same_queries_for_any_number_of_contacts(self):
        self.client.force_login(self.editor)

        def count():
            with CaptureQueriesContext(connection) as queries:
                b"".join(self.client.get(reverse("contacts:contact_vcards")).streaming_content)
            return len(queries)

        before = count()
        for _ in range(20):
            PositionFactory(contact=ContactFactory(), organization=self.turkmen)
        # Session, user with permissions, the contacts, their current positions.
        self.assertEqual(count(), before)
        self.assertEqual(before, 4)
