"""Possible duplicates: the add form warns, the admin lists likely pairs, a merge loses nothing."""

from django.db.models import ProtectedError
from django.urls import reverse
from simple_history.utils import get_history_manager_for_model

from relations.agreements.models import Signatory
from relations.contacts.duplicates import contact_duplicate_pairs, contact_matches, organization_duplicate_pairs
from relations.contacts.models import Contact, Organization, Position
from relations.contacts.services import contact_merge, organization_merge
from relations.events.models import Participation
from tests.base import RelationsTestCase
from tests.factories import ContactFactory, OrganizationFactory


class DuplicateMatchTests(RelationsTestCase):
    def test_a_new_person_matches_by_name_in_either_order_and_by_email(self):
        self.assertEqual(list(contact_matches(given_name="Maral", family_name="Achilova")), [self.achilova])
        self.assertEqual(list(contact_matches(given_name="ACHILOVA", family_name="maral")), [self.achilova])
        self.assertEqual(list(contact_matches(given_name="Ibrahim Hashim", family_name="Al-Sada")), [self.al_sada])
        self.achilova.email = "m.achilova@example.tm"
        self.achilova.save()
        self.assertEqual(list(contact_matches(given_name="M.", family_name="A.", email="M.Achilova@example.TM")),
                         [self.achilova])

    def test_a_part_of_a_name_is_not_a_match(self):
        self.assertEqual(list(contact_matches(given_name="Maral", family_name="")), [])

    def test_likely_pairs_are_listed_and_unrelated_people_are_not(self):
        twin = ContactFactory(given_name="Maral", family_name="Atchilova")
        ContactFactory(given_name="Maria", family_name="Lopez")
        pairs = {(p.first, p.second) for p in contact_duplicate_pairs()}
        self.assertIn((self.achilova, twin), pairs)
        self.assertEqual(len(pairs), 1, pairs)

    def test_organizations_in_different_countries_are_not_paired(self):
        OrganizationFactory(name="Red Crescent Society of Turkmenistan", country="TM")
        OrganizationFactory(name="Red Crescent Society of Turkmenistan", country="KZ")
        pairs = organization_duplicate_pairs()
        self.assertEqual(len(pairs), 1)
        self.assertEqual({pairs[0].first.country.code, pairs[0].second.country.code}, {"TM"})


class AddFormWarningTests(RelationsTestCase):
    url = reverse("admin:contacts_contact_add")

    def post(self, **extra):
        data = {
            "given_name": "Maral", "family_name": "Achilova", "honorific": "", "native_name": "",
            "alternative_names": "", "email": "", "phone": "", "notes": "",
            "positions-TOTAL_FORMS": "0", "positions-INITIAL_FORMS": "0",
            "positions-MIN_NUM_FORMS": "0", "positions-MAX_NUM_FORMS": "1000",
            **extra,
        }
        return self.client.post(self.url, data)

    def setUp(self):
        self.client.force_login(self.editor)

    def test_adding_a_known_person_warns_with_a_link_and_saves_nothing(self):
        before = Contact.objects.count()
        response = self.post()
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "This looks like a record already on file")
        self.assertContains(response, reverse("admin:contacts_contact_change", args=[self.achilova.pk]))
        self.assertEqual(Contact.objects.count(), before)

    def test_save_anyway_adds_the_record(self):
        before = Contact.objects.count()
        response = self.post(save_anyway="on")
        self.assertEqual(response.status_code, 302, getattr(response, "context_data", {}).get("errors"))
        self.assertEqual(Contact.objects.count(), before + 1)

    def test_a_new_name_is_added_without_a_warning(self):
        response = self.post(given_name="Aylar", family_name="Nurmuradova")
        self.assertEqual(response.status_code, 302)

    def test_the_organization_add_form_warns_too(self):
        response = self.client.post(reverse("admin:contacts_organization_add"), {
            "name": "Qatar Red Crescent Society", "acronym": "", "native_name": "", "alternative_names": "",
            "kind": "national_society", "country": "QA", "city": "", "region": "mena", "website": "",
            "email": "", "phone": "", "notes": "",
            "positions-TOTAL_FORMS": "0", "positions-INITIAL_FORMS": "0",
            "positions-MIN_NUM_FORMS": "0", "positions-MAX_NUM_FORMS": "1000",
        })
        self.assertContains(response, reverse("admin:contacts_organization_change", args=[self.qrcs.pk]))


class ContactMergeTests(RelationsTestCase):
    def test_everything_moves_to_the_kept_person_and_is_recorded(self):
        twin = ContactFactory(given_name="Maral", family_name="Atchilova", email="maral@example.tm", phone="+993 1")
        moved_position = Position.objects.create(contact=twin, organization=self.turkmen, title="Adviser")
        signature = Signatory.objects.filter(contact=self.achilova).first()
        participations_before = set(Participation.objects.filter(contact=self.achilova).values_list("pk", flat=True))
        signature_pks = set(Signatory.objects.filter(contact=self.achilova).values_list("pk", flat=True))

        report = contact_merge(keep=self.achilova, remove=twin, user=self.manager)

        self.assertFalse(Contact.objects.filter(pk=twin.pk).exists())
        moved_position.refresh_from_db()
        self.assertEqual(moved_position.contact, self.achilova)
        self.assertEqual(report.moved["positions"], 1)
        self.achilova.refresh_from_db()
        self.assertIn("Maral Atchilova", self.achilova.alternative_names)
        self.assertEqual((self.achilova.email, self.achilova.phone), ("maral@example.tm", "+993 1"))
        self.assertEqual(
            set(Participation.objects.filter(contact=self.achilova).values_list("pk", flat=True)), participations_before
        )
        self.assertEqual(set(Signatory.objects.filter(contact=self.achilova).values_list("pk", flat=True)), signature_pks)
        self.assertIsNotNone(signature)
        # The move and the deletion are in history, with who did it and why.
        move = moved_position.history.first()
        self.assertEqual(move.history_user, self.manager)
        self.assertIn("Merged", move.history_change_reason)
        deleted = get_history_manager_for_model(Contact).filter(id=twin.pk, history_type="-").get()
        self.assertEqual(deleted.history_user, self.manager)
        # Searching for the old spelling still finds the person.
        self.assertIn(self.achilova, Contact.objects.filter(search_key__contains="atchilova"))

    def test_attendance_and_signatures_on_both_records_fold_into_one(self):
        twin = ContactFactory(given_name="Ibrahim", family_name="Al-Sada")
        attendance = Participation.objects.get(contact=self.al_sada)
        signature = Signatory.objects.get(contact=self.al_sada)
        # The same facts entered against the duplicate: would break the unique constraints if simply moved.
        twin_attendance = Participation.objects.create(
            event=attendance.event, organization=attendance.organization, contact=twin, role=attendance.role
        )
        twin_signature = Signatory.objects.create(
            agreement=signature.agreement, organization=signature.organization, contact=twin
        )
        report = contact_merge(keep=twin, remove=self.al_sada, user=self.manager)
        self.assertEqual(report.folded, {"positions": 0, "participations": 1, "signatures": 1})
        self.assertEqual(list(Participation.objects.filter(event=attendance.event, contact=twin)), [twin_attendance])
        self.assertEqual(list(Signatory.objects.filter(agreement=signature.agreement, contact=twin)), [twin_signature])
        self.assertFalse(Participation.objects.filter(pk=attendance.pk).exists())
        self.assertEqual(twin.positions.count(), 1)

    def test_a_person_cannot_be_merged_into_themselves(self):
        with self.assertRaises(ValueError):
            contact_merge(keep=self.achilova, remove=self.achilova)


class OrganizationMergeTests(RelationsTestCase):
    def test_people_attendance_agreements_and_members_move_and_nothing_is_lost(self):
        twin = OrganizationFactory(name="Turkmen Red Crescent", country="TM", region="europe")
        counts = {
            "positions": self.turkmen.positions.count(),
            "participations": self.turkmen.participations.count(),
            "parties": self.turkmen.agreement_parties.count(),
            "signatures": self.turkmen.agreement_signatures.count(),
        }
        self.assertTrue(all(counts.values()), counts)
        organization_merge(keep=twin, remove=self.turkmen, user=self.manager)
        self.assertFalse(Organization.objects.filter(pk=self.turkmen.pk).exists())
        self.assertEqual(twin.positions.count(), counts["positions"])
        self.assertEqual(twin.participations.count(), counts["participations"])
        self.assertEqual(twin.agreement_parties.count(), counts["parties"])
        self.assertEqual(twin.agreement_signatures.count(), counts["signatures"])
        twin.refresh_from_db()
        self.assertIn(self.turkmen.name, twin.alternative_names)

    def test_an_unknown_reference_rolls_the_whole_merge_back(self):
        twin = OrganizationFactory(name="Turkmen Red Crescent", country="TM", region="europe")
        position_count = self.turkmen.positions.count()
        from relations.events.models import Event

        event = Event.objects.create(title="Talks", kind=Event.Kind.BILATERAL_MEETING, host=self.turkmen)
        with self.assertRaises(ProtectedError):
            # Simulate a relation the merge does not know about by hiding hosted events from it.
            from unittest import mock

            with mock.patch("relations.events.models.Event.objects.filter", return_value=Event.objects.none()):
                organization_merge(keep=twin, remove=self.turkmen, user=self.manager)
        self.assertTrue(Organization.objects.filter(pk=self.turkmen.pk).exists())
        self.assertEqual(self.turkmen.positions.count(), position_count)
        event.refresh_from_db()
        self.assertEqual(event.host, self.turkmen)


class DuplicatesAdminPagesTests(RelationsTestCase):
    def test_the_duplicates_page_lists_pairs_with_a_merge_link_for_managers(self):
        twin = ContactFactory(given_name="Maral", family_name="Atchilova")
        self.client.force_login(self.manager)
        response = self.client.get(reverse("admin:contacts_contact_duplicates"))
        self.assertContains(response, "Atchilova")
        merge = f"{reverse('admin:contacts_contact_merge')}?keep={self.achilova.pk}&amp;remove={twin.pk}"
        self.assertContains(response, merge)

    def test_editors_see_pairs_but_cannot_merge(self):
        twin = ContactFactory(given_name="Maral", family_name="Atchilova")
        self.client.force_login(self.editor)
        self.assertEqual(self.client.get(reverse("admin:contacts_contact_duplicates")).status_code, 200)
        response = self.client.post(
            reverse("admin:contacts_contact_merge"), {"keep": self.achilova.pk, "remove": twin.pk, "confirm": "yes"}
        )
        self.assertEqual(response.status_code, 403)
        self.assertTrue(Contact.objects.filter(pk=twin.pk).exists())

    def test_a_manager_reviews_then_merges(self):
        twin = ContactFactory(given_name="Maral", family_name="Atchilova")
        self.client.force_login(self.manager)
        url = reverse("admin:contacts_contact_merge")
        review = self.client.get(url, {"keep": self.achilova.pk, "remove": twin.pk})
        self.assertContains(review, "Merge and delete")
        self.assertTrue(Contact.objects.filter(pk=twin.pk).exists())
        done = self.client.post(url, {"keep": self.achilova.pk, "remove": twin.pk, "confirm": "yes"})
        self.assertRedirects(done, reverse("admin:contacts_contact_change", args=[self.achilova.pk]))
        self.assertFalse(Contact.objects.filter(pk=twin.pk).exists())

    def test_the_changelist_action_needs_exactly_two_records(self):
        twin = ContactFactory(given_name="Maral", family_name="Atchilova")
        self.client.force_login(self.manager)
        url = reverse("admin:contacts_contact_changelist")
        response = self.client.post(url, {"action": "merge_selected", "_selected_action": [self.achilova.pk, twin.pk]})
        self.assertRedirects(
            response, f"{reverse('admin:contacts_contact_merge')}?keep={self.achilova.pk}&remove={twin.pk}",
            fetch_redirect_response=False,
        )
        one = self.client.post(url, {"action": "merge_selected", "_selected_action": [twin.pk]}, follow=True)
        self.assertContains(one, "Select exactly two records")

    def test_bad_merge_parameters_are_a_message_not_an_error(self):
        self.client.force_login(self.manager)
        response = self.client.get(reverse("admin:contacts_contact_merge"), {"keep": "x"}, follow=True)
        self.assertContains(response, "Choose two records to merge.")
