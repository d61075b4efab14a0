"""Reading through the API: the contract's JSON keys, every filter on the article's data, bad values, pages."""

import datetime

from relations.agreements.models import Agreement
from relations.contacts.models import Contact, Organization
from relations.core.models import Topic
from relations.events.models import Event
from tests.api import RESOURCES, APITestCase
from tests.factories import AgreementFactory, EventFactory, PartyFactory


class ContractTests(APITestCase):
    """The keys the issue promises are present (more may be added, never removed)."""

    def test_organization_keys(self):
        row = self.get_json(f"/api/organizations/{self.turkmen.pk}/", user=self.viewer)
        self.assertLessEqual({"id", "name", "acronym", "kind", "country", "region", "website"}, set(row))
        self.assertEqual(row["country"], "TM")
        self.assertEqual(row["kind"], "national_society")

    def test_an_international_body_has_a_null_country(self):
        row = self.get_json(f"/api/organizations/{self.ifrc.pk}/", user=self.viewer)
        self.assertIsNone(row["country"])

    def test_contact_keys_and_positions(self):
        row = self.get_json(f"/api/contacts/{self.achilova.pk}/", user=self.viewer)
        self.assertLessEqual({"id", "full_name", "honorific", "positions"}, set(row))
        self.assertEqual(row["full_name"], "Maral Achilova")
        [position] = row["positions"]
        self.assertLessEqual({"organization", "title", "start_date", "end_date"}, set(position))
        self.assertEqual(position["organization"], self.turkmen.pk)

    def test_the_honorific_is_kept_apart_from_the_name(self):
        row = self.get_json(f"/api/contacts/{self.al_sada.pk}/", user=self.viewer)
        self.assertNotIn("HE", row["full_name"].split())
        self.assertIn("HE", row["honorific"])

    def test_event_keys_topics_and_participants(self):
        row = self.get_json(f"/api/events/{self.conference.pk}/", user=self.viewer)
        self.assertLessEqual(
            {"id", "title", "kind", "theme", "start_date", "end_date", "city", "country", "parent", "topics",
             "participants"},
            set(row),
        )
        self.assertEqual(row["topics"], list(self.conference.topics.order_by("name").values_list("name", flat=True)))
        self.assertEqual(len(row["participants"]), self.conference.participations.count())
        self.assertLessEqual({"organization", "contact", "role"}, set(row["participants"][0]))
        self.assertIn(
            {"organization": self.qrcs.pk, "contact": self.al_sada.pk, "role": "observer"},
            [{key: p[key] for key in ("organization", "contact", "role")} for p in row["participants"]],
        )

    def test_agreement_keys_with_both_parties_and_both_signatories(self):
        row = self.get_json(f"/api/agreements/{self.mou.pk}/", user=self.viewer)
        self.assertLessEqual(
            {"id", "title", "kind", "status", "signed_on", "expires_on", "event", "parties", "signatories", "areas"},
            set(row),
        )
        self.assertEqual(set(row["parties"]), {self.qrcs.pk, self.turkmen.pk})
        signed = {(s["contact"], s["organization"]) for s in row["signatories"]}
        self.assertEqual(signed, {(self.achilova.pk, self.turkmen.pk), (self.al_sada.pk, self.qrcs.pk)})
        self.assertLessEqual({"contact", "organization", "title"}, set(row["signatories"][0]))
        self.assertEqual(row["event"], self.conference.pk)
        self.assertEqual(set(row["areas"]), set(self.mou.areas.values_list("name", flat=True)))

    def test_a_missing_record_is_a_json_404(self):
        for path in ("/api/agreements/999999/", "/api/events/1.5/", "/api/organizations/-2.2e-16/", "/api/nothing/"):
            with self.subTest(path):
                body = self.get_json(path, user=self.viewer, expect=404)
                self.assertIn("detail", body)


class PersonalDataTests(APITestCase):
    def test_a_viewer_does_not_see_contact_details(self):
        row = self.get_json(f"/api/contacts/{self.al_sada.pk}/", user=self.viewer)
        for key in ("email", "phone", "notes"):
            self.assertNotIn(key, row)

    def test_an_editor_sees_contact_details(self):
        row = self.get_json(f"/api/contacts/{self.al_sada.pk}/", user=self.editor)
        for key in ("email", "phone", "notes"):
            self.assertIn(key, row)


class OrganizationFilterTests(APITestCase):
    url = "/api/organizations/"

    def test_country(self):
        self.assertEqual(self.ids(self.url, country="TM"), {self.turkmen.pk})

    def test_kind(self):
        self.assertEqual(self.ids(self.url, kind="ifrc"), {self.ifrc.pk})

    def test_region(self):
        self.assertEqual(self.ids(self.url, region="mena"), {self.qrcs.pk})

    def test_search_by_acronym(self):
        self.assertEqual(self.ids(self.url, search="QRCS"), {self.qrcs.pk})

    def test_ordering(self):
        body = self.get_json(self.url, user=self.viewer, ordering="-name", page_size=200)
        names = [row["name"] for row in body["results"]]
        self.assertEqual(names, sorted(names, reverse=True))


class ContactFilterTests(APITestCase):
    url = "/api/contacts/"

    def test_organization(self):
        self.assertEqual(self.ids(self.url, organization=self.turkmen.pk), {self.achilova.pk})

    def test_country(self):
        qatar = self.ids(self.url, country="QA")
        self.assertIn(self.al_sada.pk, qatar)
        self.assertNotIn(self.achilova.pk, qatar)

    def test_search_in_any_form_of_the_name(self):
        self.assertEqual(self.ids(self.url, search="achilova"), {self.achilova.pk})


class EventFilterTests(APITestCase):
    url = "/api/events/"

    def test_kind_and_country(self):
        side_meetings = set(Event.objects.filter(parent=self.conference).values_list("pk", flat=True))
        self.assertEqual(self.ids(self.url, kind="bilateral_meeting"), side_meetings)
        self.assertEqual(self.ids(self.url, country="TM"), side_meetings | {self.conference.pk})
        self.assertEqual(self.ids(self.url, country="FR"), set())

    def test_parent(self):
        self.assertEqual(len(self.ids(self.url, parent=self.conference.pk)), 4)

    def test_participant(self):
        russian = Organization.objects.get(country="RU")
        self.assertEqual(
            self.ids(self.url, participant=russian.pk),
            {self.conference.pk, Event.objects.get(parent=self.conference, participations__organization=russian).pk},
        )

    def test_topic(self):
        expertise = Topic.objects.get(name="Exchange of expertise")
        self.assertEqual(self.ids(self.url, topic=expertise.pk), self.ids(self.url, kind="bilateral_meeting"))

    def test_dates(self):
        june = EventFactory(start_date=datetime.date(2025, 6, 1), end_date=datetime.date(2025, 6, 3))
        october = EventFactory(start_date=datetime.date(2025, 10, 1))
        self.assertEqual(self.ids(self.url, date_from="2025-06-02"), {june.pk, october.pk})
        self.assertEqual(self.ids(self.url, date_from="2025-06-04"), {october.pk})
        self.assertEqual(self.ids(self.url, date_to="2025-06-30"), {june.pk})

    def test_search(self):
        self.assertEqual(self.ids(self.url, search="Chiefs"), {self.conference.pk})


class AgreementFilterTests(APITestCase):
    url = "/api/agreements/"

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.old = AgreementFactory(
            status=Agreement.Status.EXPIRED, signed_on=datetime.date(2015, 3, 1), expires_on=datetime.date(2020, 3, 1)
        )
        PartyFactory(agreement=cls.old, organization=cls.ifrc)

    def test_party_is_the_turkmen_society(self):
        self.assertEqual(self.ids(self.url, party=self.turkmen.pk), {self.mou.pk})
        self.assertEqual(self.ids(self.url, party=self.ifrc.pk), {self.old.pk})

    def test_status_and_kind(self):
        self.assertEqual(self.ids(self.url, status="signed"), {self.mou.pk})
        self.assertEqual(self.ids(self.url, status="expired"), {self.old.pk})
        self.assertEqual(self.ids(self.url, kind="mou"), {self.mou.pk})

    def test_signed_between(self):
        self.assertEqual(self.ids(self.url, signed_from="2015-01-01", signed_to="2015-12-31"), {self.old.pk})
        self.assertEqual(self.ids(self.url, signed_from="2016-01-01"), set())

    def test_expires_before(self):
        self.assertEqual(self.ids(self.url, expires_before="2021-01-01"), {self.old.pk})
        self.assertEqual(self.ids(self.url, expires_before="2019-01-01"), set())

    def test_search_by_party_name(self):
        self.assertEqual(self.ids(self.url, search="Turkmenistan"), {self.mou.pk})


class CoreFilterTests(APITestCase):
    def test_topic_search(self):
        self.assertEqual(
            self.ids("/api/topics/", search="expertise"), {Topic.objects.get(name="Exchange of expertise").pk}
        )

    def test_source_kind(self):
        self.assertEqual(len(self.ids("/api/sources/", kind="news_article")), 1)
        self.assertEqual(self.ids("/api/sources/", kind="report"), set())


class BadFilterValueTests(APITestCase):
    """An invalid value is a JSON 400 that names the parameter, never an empty list or a 500."""

    CASES = [
        ("organizations", "country", "ZZZ"),
        ("organizations", "kind", "bank"),
        ("organizations", "region", "mars"),
        ("organizations", "ordering", "password"),
        ("contacts", "organization", "abc"),
        ("contacts", "organization", "999999"),
        ("contacts", "country", "ZZZ"),
        ("events", "date_from", "yesterday"),
        ("events", "date_to", "2025-13-01"),
        ("events", "parent", "abc"),
        ("events", "participant", "-1"),
        ("events", "topic", "climate"),
        ("events", "kind", "party"),
        ("agreements", "party", "abc"),
        ("agreements", "status", "maybe"),
        ("agreements", "signed_from", "yesterday"),
        ("agreements", "signed_to", "2025-02-30"),
        ("agreements", "expires_before", "soon"),
        ("sources", "published_from", "last week"),
        ("agreements", "page", "abc"),
        ("agreements", "page", "0"),
        ("agreements", "page_size", "500"),
        ("agreements", "page_size", "0"),
        ("topics", "page_size", "many"),
    ]

    def test_every_bad_value_names_its_parameter(self):
        self.client.force_authenticate(self.viewer)
        for resource, parameter, value in self.CASES:
            with self.subTest(f"{resource}?{parameter}={value}"):
                response = self.client.get(f"/api/{resource}/", {parameter: value})
                self.assertEqual(response.status_code, 400)
                self.assertEqual(response["Content-Type"], "application/json")
                self.assertIn(parameter, response.json())

    def test_a_bad_value_with_csv_is_still_a_json_400(self):
        self.client.force_authenticate(self.viewer)
        response = self.client.get("/api/organizations/", {"country": "ZZZ", "format": "csv"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response["Content-Type"], "application/json")
        self.assertIn("country", response.json())


class PaginationTests(APITestCase):
    def test_the_body_has_count_next_previous_results(self):
        for resource in RESOURCES:
            with self.subTest(resource):
                body = self.get_json(f"/api/{resource}/", user=self.viewer)
                self.assertEqual(list(body), ["count", "next", "previous", "results"])

    def test_pages_walk_through_every_record_once(self):
        seen, url = [], "/api/contacts/?page_size=4"
        self.client.force_authenticate(self.viewer)
        while url:
            body = self.client.get(url).json()
            seen += [row["id"] for row in body["results"]]
            url = body["next"]
        self.assertEqual(sorted(seen), sorted(Contact.objects.values_list("pk", flat=True)))

    def test_page_size_200_is_allowed(self):
        body = self.get_json("/api/topics/", user=self.viewer, page_size=200)
        self.assertEqual(len(body["results"]), Topic.objects.count())

    def test_a_page_past_the_end_is_a_json_404(self):
        body = self.get_json("/api/topics/", user=self.viewer, page=99, expect=404)
        self.assertIn("detail", body)
