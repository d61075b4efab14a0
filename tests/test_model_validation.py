"""The rules every interface shares: model clean() and database constraints."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from relations.agreements.models import Agreement, Party, Signatory
from relations.contacts.models import Organization, Position
from relations.events.models import Event, Participation
from tests.base import RelationsTestCase
from tests.factories import (
    AgreementFactory,
    ContactFactory,
    EventFactory,
    OrganizationFactory,
    PartyFactory,
    PositionFactory,
)

D = datetime.date


class ValidationTestCase(RelationsTestCase):
    def assertInvalid(self, obj, field, message):
        with self.assertRaises(ValidationError) as caught:
            obj.full_clean()
        self.assertIn(field, caught.exception.message_dict)
        self.assertIn(message, " ".join(caught.exception.message_dict[field]))


class PositionRulesTests(ValidationTestCase):
    def test_a_position_cannot_end_before_it_starts(self):
        position = Position(contact=self.al_sada, organization=self.qrcs, title="Adviser",
                            start_date=D(2024, 5, 1), end_date=D(2024, 4, 30))
        self.assertInvalid(position, "end_date", "cannot end before it starts")

    def test_the_database_refuses_it_too(self):
        position = PositionFactory.build(contact=self.al_sada, organization=self.qrcs,
                                         start_date=D(2024, 5, 1), end_date=D(2024, 4, 30))
        with self.assertRaises(IntegrityError), transaction.atomic():
            position.save()

    def test_no_end_date_means_current_and_history_survives_a_job_change(self):
        contact = ContactFactory()
        PositionFactory(contact=contact, organization=self.qrcs, title="Officer",
                        start_date=D(2019, 1, 1), end_date=D(2022, 12, 31))
        PositionFactory(contact=contact, organization=self.turkmen, title="Adviser", start_date=D(2023, 1, 1))
        self.assertEqual([p.title for p in contact.positions.current()], ["Adviser"])
        self.assertEqual([p.title for p in contact.positions.past()], ["Officer"])
        self.assertEqual(contact.positions.count(), 2)


class OrganizationRulesTests(ValidationTestCase):
    def test_only_one_organization_is_our_own(self):
        other = OrganizationFactory.build(is_own_organization=True)
        self.assertInvalid(other, "__all__", "already marked as our own organization")

    def test_names_are_unique_within_a_country_whatever_the_case(self):
        clash = Organization(name="qatar red crescent society", country="QA", kind=Organization.Kind.NATIONAL_SOCIETY)
        self.assertInvalid(clash, "__all__", "already exists in this country")

    def test_an_organization_cannot_be_its_own_ancestor(self):
        child = OrganizationFactory(parent=self.ifrc, country="", kind=Organization.Kind.OTHER)
        self.ifrc.parent = child
        self.assertInvalid(self.ifrc, "parent", "its own ancestor")

    def test_the_ifrc_itself_has_no_country(self):
        self.ifrc.country = "CH"
        self.assertInvalid(self.ifrc, "country", "Leave the country empty")


class EventRulesTests(ValidationTestCase):
    def test_an_event_cannot_end_before_it_starts(self):
        event = EventFactory.build(start_date=D(2025, 9, 5), end_date=D(2025, 9, 4))
        self.assertInvalid(event, "end_date", "cannot end before it starts")

    def test_a_side_meeting_falls_within_its_conference(self):
        conference = EventFactory(start_date=D(2025, 9, 4), end_date=D(2025, 9, 5))
        side = EventFactory.build(parent=conference, kind=Event.Kind.BILATERAL_MEETING, start_date=D(2025, 9, 7))
        self.assertInvalid(side, "start_date", "cannot start after")
        side.start_date = D(2025, 9, 1)
        self.assertInvalid(side, "start_date", "cannot start before")
        side.start_date = D(2025, 9, 5)
        side.full_clean()

    def test_an_event_cannot_be_part_of_its_own_side_meeting(self):
        side = self.conference.side_events.first()
        self.conference.parent = side
        self.assertInvalid(self.conference, "parent", "cannot be part of itself")

    def test_a_person_attends_an_event_once(self):
        duplicate = Participation(event=self.conference, organization=self.qrcs, contact=self.al_sada,
                                  role=Participation.Role.SPEAKER)
        self.assertInvalid(duplicate, "__all__", "already listed as attending")

    def test_an_organization_as_a_whole_is_recorded_once_per_event(self):
        duplicate = Participation(event=self.conference, organization=self.turkmen, role=Participation.Role.HOST)
        self.assertInvalid(duplicate, "__all__", "attendance is already recorded")


class AgreementRulesTests(ValidationTestCase):
    def test_expiry_before_signing_is_refused(self):
        agreement = AgreementFactory.build(status=Agreement.Status.SIGNED, signed_on=D(2025, 9, 5),
                                           expires_on=D(2025, 9, 1))
        self.assertInvalid(agreement, "expires_on", "cannot expire before it is signed")

    def test_taking_effect_before_signing_is_refused(self):
        agreement = AgreementFactory.build(status=Agreement.Status.SIGNED, signed_on=D(2025, 9, 5),
                                           effective_on=D(2025, 9, 1))
        self.assertInvalid(agreement, "effective_on", "cannot take effect before it is signed")

    def test_a_draft_has_no_signing_date(self):
        agreement = AgreementFactory.build(status=Agreement.Status.DRAFT, signed_on=D(2025, 9, 5))
        self.assertInvalid(agreement, "status", "cannot still be a draft")

    def test_the_database_refuses_an_expiry_before_signing(self):
        agreement = AgreementFactory.build(signed_on=D(2025, 9, 5), expires_on=D(2025, 9, 1),
                                           status=Agreement.Status.SIGNED)
        with self.assertRaises(IntegrityError), transaction.atomic():
            agreement.save()

    def test_a_party_is_not_listed_twice(self):
        duplicate = Party(agreement=self.mou, organization=self.turkmen)
        self.assertInvalid(duplicate, "__all__", "already a party to this agreement")

    def test_a_signatory_signs_for_one_of_the_parties(self):
        outsider_org = OrganizationFactory()
        signatory = Signatory(agreement=self.mou, contact=ContactFactory(), organization=outsider_org)
        self.assertInvalid(signatory, "organization", "one of the agreement's parties")
        PartyFactory(agreement=self.mou, organization=outsider_org)
        signatory.full_clean()

    def test_a_signatory_is_checked_against_parties_about_to_be_saved(self):
        # The admin and the API validate parties and signatories of one submission together.
        agreement = AgreementFactory()
        signatory = Signatory(agreement=agreement, contact=self.al_sada, organization=self.qrcs)
        signatory.pending_party_ids = {self.turkmen.pk}
        self.assertInvalid(signatory, "organization", "one of the agreement's parties")
        signatory.pending_party_ids = {self.turkmen.pk, self.qrcs.pk}
        signatory.full_clean()

    def test_a_person_signs_an_agreement_once(self):
        duplicate = Signatory(agreement=self.mou, contact=self.achilova, organization=self.turkmen)
        self.assertInvalid(duplicate, "__all__", "already listed as a signatory")

    def test_documents_are_limited_in_type(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        self.mou.document = SimpleUploadedFile("mou.exe", b"MZ...", content_type="application/octet-stream")
        self.assertInvalid(self.mou, "document", "not allowed")
