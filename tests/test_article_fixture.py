"""fixtures/article.json records the facts of the shared news article, loads idempotently,
and never overwrites other records."""

from django.core.management import call_command
from django.test import TestCase

from relations.agreements.models import Agreement, Party, Signatory
from relations.contacts.models import Contact, Organization, Position
from relations.core.models import Source, Topic
from relations.events.models import Event, Participation
from tests.base import RelationsTestCase
from tests.factories import ContactFactory, OrganizationFactory

MODELS = [Source, Topic, Organization, Contact, Position, Event, Participation, Agreement, Party, Signatory]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


class FixtureLoadingTests(TestCase):
    def test_it_loads_into_an_empty_database(self):
        call_command("loaddata", "article", verbosity=0)
        self.assertEqual(Organization.objects.count(), 11)
        self.assertEqual(Contact.objects.count(), 11)
        self.assertEqual(Event.objects.count(), 5)
        self.assertEqual(Agreement.objects.count(), 1)

    def test_loading_it_twice_creates_no_duplicates(self):
        call_command("loaddata", "article", verbosity=0)
        first = counts()
        call_command("loaddata", "article", verbosity=0)
        self.assertEqual(counts(), first)

    def test_it_leaves_other_records_alone(self):
        # Records created first take the lowest ids, exactly the ones a fixture with ids would overwrite.
        others = [OrganizationFactory(name=f"Existing partner {i}") for i in range(12)]
        people = [ContactFactory(given_name=f"Existing{i}", family_name="Person") for i in range(12)]
        call_command("loaddata", "article", verbosity=0)
        for org in others:
            org_after = Organization.objects.get(pk=org.pk)
            self.assertEqual((org_after.name, org_after.uuid), (org.name, org.uuid))
        for person in people:
            self.assertEqual(Contact.objects.get(pk=person.pk).given_name, person.given_name)
        self.assertEqual(Organization.objects.count(), 12 + 11)
        self.assertEqual(Contact.objects.count(), 12 + 11)


class ArticleFactsTests(RelationsTestCase):
    def test_the_source_is_the_news_article(self):
        source = Source.objects.get()
        self.assertEqual(source.publisher, "The Peninsula")
        self.assertEqual(str(source.published_on), "2025-09-06")
        self.assertIn("QNA", source.agency)
        self.assertTrue(source.summary)

    def test_every_organization_named(self):
        societies = Organization.objects.filter(kind=Organization.Kind.NATIONAL_SOCIETY)
        self.assertEqual(
            set(societies.values_list("country", flat=True)),
            {"AZ", "AM", "TM", "TJ", "UZ", "KZ", "KG", "RU", "QA"},
        )
        self.assertEqual(Organization.objects.get(is_own_organization=True), self.qrcs)
        self.assertEqual(self.qrcs.name, "Qatar Red Crescent Society")
        self.assertEqual(self.ifrc.name, "International Federation of Red Cross and Red Crescent Societies")
        self.assertEqual(Organization.objects.get(kind=Organization.Kind.ICRC).acronym, "ICRC")
        self.assertEqual(self.turkmen.name, "National Red Crescent Society of Turkmenistan")
        self.assertEqual(Organization.objects.get(country="RU").name, "Russian Red Cross")

    def test_every_person_named_with_honorific_and_position(self):
        expected = {
            ("HE Eng.", "Ibrahim Hashim Al Sada"): ("Vice-President", "QA"),
            ("", "Mohamed Ahmed Al Beshri"): (
                "Assistant Secretary-General for Communication and Resource Development", "QA"),
            ("Dr.", "Aiham Ismail Al Sukhni"): ("Head of International Relations", "QA"),
            ("", "Maral Achilova"): ("President", "TM"),
            ("Dr.", "Pavel Savchuk"): ("President", "RU"),
            ("", "Zafar Rakhmanov"): ("President", "UZ"),
            ("", "Elvira Amiralieva"): ("Secretary-General", "UZ"),
            ("", "Jeyhun Mirzayev"): ("Secretary-General", "AZ"),
            ("", "Shaban Shayev"): ("Deputy Secretary-General", "AZ"),
            ("", "Nurali Odinaev"): ("Deputy Secretary-General", "TJ"),
            ("", "Dilorom Mirova"): ("Deputy Secretary-General", "TJ"),
        }
        found = {}
        for contact in Contact.objects.prefetch_related("positions__organization"):
            (position,) = contact.positions.all()
            self.assertIsNone(position.end_date)
            self.assertIsNone(position.start_date)  # the article gives no dates
            found[(contact.honorific, contact.full_name)] = (position.title, position.organization.country.code)
        self.assertEqual(found, expected)

    def test_the_conference(self):
        self.assertIn("Chiefs of Red Cross and Red Crescent National Societies", self.conference.title)
        self.assertEqual(self.conference.theme, "International Year of Peace and Trust - Humanity and Neutrality")
        self.assertEqual((self.conference.city, self.conference.country.code), ("Ashgabat", "TM"))
        self.assertIsNone(self.conference.start_date)  # not stated in the article
        self.assertIsNone(self.conference.host)  # not stated either
        self.assertEqual(
            set(self.conference.topics.values_list("slug", flat=True)),
            {"climate-change", "natural-disasters", "armed-conflict", "migration",
             "international-humanitarian-law", "principled-humanitarian-action",
             "humanitarian-diplomacy", "auxiliary-role"},
        )
        attending = set(self.conference.participations.values_list("organization__country", flat=True))
        self.assertLessEqual({"AZ", "AM", "TM", "TJ", "UZ", "KZ", "KG", "RU", "QA"}, attending)
        kinds = set(self.conference.participations.values_list("organization__kind", flat=True))
        self.assertLessEqual({"ifrc", "icrc"}, kinds)

    def test_the_office_delegation_attended_as_observers(self):
        delegation = self.conference.participations.filter(organization=self.qrcs)
        self.assertEqual(set(delegation.values_list("role", flat=True)), {Participation.Role.OBSERVER})
        self.assertEqual(
            set(delegation.exclude(contact=None).values_list("contact__family_name", flat=True)),
            {"Al Sada", "Al Beshri", "Al Sukhni"},
        )

    def test_the_side_meetings_one_per_society_with_named_officials(self):
        sides = self.conference.side_events.all()
        self.assertEqual(sides.count(), 4)
        met = {}
        for side in sides:
            self.assertEqual(side.kind, Event.Kind.BILATERAL_MEETING)
            self.assertTrue(side.participations.filter(organization=self.qrcs).exists())
            people = side.participations.exclude(organization=self.qrcs)
            (country,) = set(people.values_list("organization__country", flat=True))
            met[country] = set(people.values_list("contact__family_name", flat=True))
        self.assertEqual(met, {
            "RU": {"Savchuk"},
            "UZ": {"Rakhmanov", "Amiralieva"},
            "AZ": {"Mirzayev", "Shayev"},
            "TJ": {"Odinaev", "Mirova"},
        })

    def test_the_mou(self):
        self.assertEqual(self.mou.status, Agreement.Status.SIGNED)
        self.assertIsNone(self.mou.signed_on)  # the article gives no date
        self.assertEqual(self.mou.event, self.conference)
        self.assertEqual(set(self.mou.parties.values_list("organization", flat=True)), {self.qrcs.pk, self.turkmen.pk})
        self.assertEqual(
            set(self.mou.signatories.values_list("contact__family_name", "organization", "title")),
            {("Al Sada", self.qrcs.pk, "Vice-President"), ("Achilova", self.turkmen.pk, "President")},
        )
        self.assertEqual(
            set(self.mou.areas.values_list("slug", flat=True)),
            {"exchange-of-expertise", "capacity-building", "best-practices"},
        )
        self.assertEqual(list(self.mou.frameworks.values_list("name", flat=True)), ["IFRC Strategy 2030"])

    def test_every_record_links_to_its_source(self):
        source = Source.objects.get()
        for related in ("organizations", "contacts", "positions", "events", "participations", "agreements"):
            self.assertTrue(getattr(source, related).exists(), related)
        self.assertEqual(source.organizations.count(), Organization.objects.count())

    def test_every_record_passes_model_validation(self):
        for model in MODELS:
            for obj in model.objects.all():
                obj.full_clean()
