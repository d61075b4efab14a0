"""Writing through the API: the admin's rules, nested lists written atomically, 409 on protected deletes."""

from relations.agreements.models import Agreement, Party, Signatory
from relations.contacts.models import Contact, Organization, Position
from relations.events.models import Event, Participation
from tests.api import APITestCase
from tests.factories import OrganizationFactory


class APIWriteTestCase(APITestCase):
    def send(self, method, url, data=None, user=None, expect=None):
        self.client.force_authenticate(user or self.editor)
        response = getattr(self.client, method)(url, data, format="json")
        if expect is not None:
            self.assertEqual(response.status_code, expect, getattr(response, "data", response))
        self.assertEqual(response["Content-Type"], "application/json") if response.content else None
        return response.json() if response.content else None


class OrganizationWriteTests(APIWriteTestCase):
    def test_an_editor_creates_and_changes_an_organization(self):
        body = self.send("post", "/api/organizations/", {"name": "Mongolian Red Cross Society", "country": "MN",
                                                         "region": "asia_pacific"}, expect=201)
        created = Organization.objects.get(pk=body["id"])
        self.assertEqual(created.country.code, "MN")
        self.assertEqual(created.history.first().history_user, self.editor)
        self.send("patch", f"/api/organizations/{created.pk}/", {"city": "Ulaanbaatar"}, expect=200)
        created.refresh_from_db()
        self.assertEqual(created.city, "Ulaanbaatar")

    def test_the_admins_rules_apply(self):
        # The IFRC itself has no country (Organization.clean)
        body = self.send("patch", f"/api/organizations/{self.ifrc.pk}/", {"country": "CH"}, expect=400)
        self.assertIn("country", body)
        # The same name in the same country twice (a database constraint)
        body = self.send("post", "/api/organizations/", {"name": self.turkmen.name.upper(), "country": "TM"}, expect=400)
        self.assertIn("non_field_errors", body)
        self.assertEqual(Organization.objects.filter(country="TM").count(), 1)

    def test_field_errors_name_the_field(self):
        body = self.send("post", "/api/organizations/", {"name": "", "country": "ZZ", "kind": "bank"}, expect=400)
        self.assertEqual({"name", "country", "kind"}, set(body))

    def test_malformed_json_is_a_json_400(self):
        self.client.force_authenticate(self.editor)
        response = self.client.post("/api/organizations/", "{not json", content_type="application/json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("detail", response.json())

    def test_an_editor_cannot_delete_and_a_manager_can(self):
        spare = OrganizationFactory()
        self.send("delete", f"/api/organizations/{spare.pk}/", expect=403)
        self.send("delete", f"/api/organizations/{spare.pk}/", user=self.manager, expect=204)
        self.assertFalse(Organization.objects.filter(pk=spare.pk).exists())

    def test_deleting_an_organization_others_point_to_is_a_409_listing_them(self):
        body = self.send("delete", f"/api/organizations/{self.turkmen.pk}/", user=self.manager, expect=409)
        self.assertTrue(Organization.objects.filter(pk=self.turkmen.pk).exists())
        models = {row["model"] for row in body["blocking"]}
        self.assertIn("agreements.party", models)
        self.assertEqual(body["blocking_count"], len(body["blocking"]))
        self.assertIn("cannot be deleted", body["detail"])


class AgreementWriteTests(APIWriteTestCase):
    def payload(self, **overrides):
        russian = Organization.objects.get(country="RU")
        savchuk = Contact.objects.get(family_name="Savchuk")
        data = {
            "title": "Cooperation agreement between QRCS and the Russian Red Cross",
            "kind": "cooperation_agreement",
            "status": "signed",
            "signed_on": "2025-10-01",
            "event": None,
            "parties": [self.qrcs.pk, russian.pk],
            "signatories": [
                {"contact": self.al_sada.pk, "organization": self.qrcs.pk, "title": "Vice-President"},
                {"contact": savchuk.pk, "organization": russian.pk, "title": "President"},
            ],
            "areas": ["Capacity building"],
        }
        data.update(overrides)
        return data

    def test_an_editor_writes_an_agreement_with_parties_signatories_and_areas_at_once(self):
        body = self.send("post", "/api/agreements/", self.payload(), expect=201)
        agreement = Agreement.objects.get(pk=body["id"])
        self.assertEqual(agreement.parties.count(), 2)
        self.assertEqual(agreement.signatories.count(), 2)
        self.assertEqual(list(agreement.areas.values_list("name", flat=True)), ["Capacity building"])
        self.assertEqual(len(body["signatories"]), 2)
        self.assertEqual(agreement.history.first().history_user, self.editor)
        self.assertEqual(Signatory.history.filter(agreement_id=agreement.pk).first().history_user, self.editor)

    def test_a_signatory_for_an_organization_that_is_no_party_leaves_nothing_written(self):
        before = (Agreement.objects.count(), Party.objects.count(), Signatory.objects.count())
        data = self.payload()
        data["signatories"][1]["organization"] = self.turkmen.pk
        body = self.send("post", "/api/agreements/", data, expect=400)
        self.assertEqual(body["signatories"][0], {})
        self.assertIn("party", body["signatories"][1]["organization"][0])
        self.assertEqual((Agreement.objects.count(), Party.objects.count(), Signatory.objects.count()), before)

    def test_the_same_person_signing_twice_is_refused(self):
        data = self.payload()
        data["signatories"].append(dict(data["signatories"][0]))
        body = self.send("post", "/api/agreements/", data, expect=400)
        self.assertIn("non_field_errors", body["signatories"][2])
        self.assertFalse(Agreement.objects.filter(title=data["title"]).exists())

    def test_record_rules_apply(self):
        body = self.send("post", "/api/agreements/", self.payload(status="draft"), expect=400)
        self.assertIn("status", body)
        body = self.send("post", "/api/agreements/", self.payload(expires_on="2020-01-01"), expect=400)
        self.assertIn("expires_on", body)
        self.assertFalse(Agreement.objects.filter(title=self.payload()["title"]).exists())

    def test_unknown_references_name_the_field(self):
        body = self.send("post", "/api/agreements/", self.payload(parties=[999999], areas=["Astronomy"]), expect=400)
        self.assertEqual({"parties", "areas"}, set(body))

    def test_removing_a_party_that_still_has_a_signatory_is_refused(self):
        body = self.send("patch", f"/api/agreements/{self.mou.pk}/", {"parties": [self.qrcs.pk]}, expect=400)
        self.assertIn("parties", body)
        self.assertEqual(self.mou.parties.count(), 2)

    def test_replacing_parties_and_signatories_together(self):
        party_uuid = Party.objects.get(agreement=self.mou, organization=self.qrcs).uuid
        self.send(
            "patch",
            f"/api/agreements/{self.mou.pk}/",
            {"parties": [self.qrcs.pk], "signatories": [{"contact": self.al_sada.pk, "organization": self.qrcs.pk}]},
            expect=200,
        )
        self.assertEqual(list(self.mou.parties.values_list("organization", flat=True)), [self.qrcs.pk])
        self.assertEqual(list(self.mou.signatories.values_list("contact", flat=True)), [self.al_sada.pk])
        # The kept party is the same row (its history survives)
        self.assertEqual(Party.objects.get(agreement=self.mou).uuid, party_uuid)

    def test_a_patch_without_nested_lists_leaves_them_alone(self):
        body = self.send("patch", f"/api/agreements/{self.mou.pk}/", {"summary": "Changed."}, expect=200)
        self.assertEqual(len(body["parties"]), 2)
        self.assertEqual(len(body["signatories"]), 2)

    def test_a_viewer_cannot_create(self):
        self.send("post", "/api/agreements/", self.payload(), user=self.viewer, expect=403)

    def test_an_agreement_is_deleted_with_its_own_parties_and_signatories(self):
        self.send("delete", f"/api/agreements/{self.mou.pk}/", user=self.manager, expect=204)
        self.assertFalse(Party.objects.filter(agreement_id=self.mou.pk).exists())


class EventWriteTests(APIWriteTestCase):
    def test_an_event_with_participants_and_topics(self):
        data = {
            "title": "Regional disaster-response workshop",
            "kind": "workshop",
            "start_date": "2025-11-10",
            "end_date": "2025-11-12",
            "country": "QA",
            "topics": ["Natural disasters"],
            "participants": [
                {"organization": self.qrcs.pk, "contact": self.al_sada.pk, "role": "host"},
                {"organization": self.turkmen.pk, "contact": None, "role": "participant"},
            ],
        }
        body = self.send("post", "/api/events/", data, expect=201)
        event = Event.objects.get(pk=body["id"])
        self.assertEqual(event.participations.count(), 2)
        self.assertEqual(list(event.topics.values_list("name", flat=True)), ["Natural disasters"])
        self.assertEqual(body["country"], "QA")

    def test_a_participant_without_a_person_reads_null_in_every_answer(self):
        """Found by the API fuzz step: a PATCH's answer left contact_name out, against the schema."""
        participants = [{"organization": self.turkmen.pk, "contact": None, "role": "observer"}]
        for method in ("patch", "put", "get"):
            with self.subTest(method=method):
                if method == "get":
                    body = self.get_json(f"/api/events/{self.conference.pk}/", user=self.editor)
                else:
                    data = {"title": self.conference.title, "participants": participants}
                    body = self.send(method, f"/api/events/{self.conference.pk}/", data, expect=200)
                self.assertEqual(body["participants"][0]["contact"], None)
                self.assertIn("contact_name", body["participants"][0])
                self.assertIsNone(body["participants"][0]["contact_name"])

    def test_a_bad_participant_leaves_no_event(self):
        before = (Event.objects.count(), Participation.objects.count())
        data = {
            "title": "Workshop",
            "kind": "workshop",
            "participants": [
                {"organization": self.qrcs.pk, "contact": self.al_sada.pk, "role": "host"},
                {"organization": self.qrcs.pk, "contact": self.al_sada.pk, "role": "speaker"},
            ],
        }
        body = self.send("post", "/api/events/", data, expect=400)
        self.assertEqual(body["participants"][0], {})
        self.assertTrue(body["participants"][1])
        self.assertEqual((Event.objects.count(), Participation.objects.count()), before)

    def test_a_side_meeting_cannot_be_its_own_parent(self):
        body = self.send("patch", f"/api/events/{self.conference.pk}/", {"parent": self.conference.pk}, expect=400)
        self.assertIn("parent", body)

    def test_deleting_an_event_where_an_agreement_was_signed_is_a_409(self):
        body = self.send("delete", f"/api/events/{self.conference.pk}/", user=self.manager, expect=409)
        self.assertIn("agreements.agreement", {row["model"] for row in body["blocking"]})


class ContactWriteTests(APIWriteTestCase):
    def test_a_person_with_positions(self):
        data = {
            "honorific": "Dr.",
            "given_name": "Amina",
            "family_name": "Karimova",
            "email": "amina@example.org",
            "positions": [{"organization": self.turkmen.pk, "title": "Head of international relations",
                           "start_date": "2024-01-01"}],
        }
        body = self.send("post", "/api/contacts/", data, expect=201)
        contact = Contact.objects.get(pk=body["id"])
        self.assertEqual(contact.email, "amina@example.org")
        self.assertEqual(contact.positions.get().organization, self.turkmen)
        self.assertEqual(body["full_name"], "Amina Karimova")

    def test_a_position_ending_before_it_starts_leaves_no_person(self):
        before = (Contact.objects.count(), Position.objects.count())
        data = {
            "given_name": "Amina",
            "positions": [{"organization": self.turkmen.pk, "title": "Adviser", "start_date": "2024-01-01",
                           "end_date": "2023-01-01"}],
        }
        body = self.send("post", "/api/contacts/", data, expect=400)
        self.assertIn("end_date", body["positions"][0])
        self.assertEqual((Contact.objects.count(), Position.objects.count()), before)

    def test_deleting_a_person_who_signed_is_a_409(self):
        body = self.send("delete", f"/api/contacts/{self.achilova.pk}/", user=self.manager, expect=409)
        self.assertIn("agreements.signatory", {row["model"] for row in body["blocking"]})
