"""generate_data: realistic records of the real shape, reproducible, valid under every model rule."""

import datetime
import io
import re

from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count

from relations.agreements.models import Agreement, Party, Signatory
from relations.contacts.filtersets import ContactFilterSet
from relations.contacts.models import Contact, Organization, Position, contact_search_key
from relations.core.generate.generator import marker_uuid
from relations.core.models import Source, Topic
from relations.events.models import Event, Participation
from tests.base import RelationsTestCase

ANCHOR = datetime.date(2026, 6, 1)
FIGURES = {"organizations": 60, "contacts": 300, "events": 120, "agreements": 60}
ARABIC = re.compile(r"[\u0600-\u06ff]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def generate(seed, **figures):
    call_command("generate_data", seed=seed, anchor_date=ANCHOR, verbosity=0, **{**FIGURES, **figures})


def snapshot():
    """Every generated fact, keyed by UUIDs (database ids and timestamps differ between runs)."""
    return {
        "organizations": sorted(Organization.objects.values_list(
            "uuid", "name", "acronym", "native_name", "alternative_names", "kind", "country", "region", "parent__uuid",
            "search_key")),
        "contacts": sorted(Contact.objects.values_list(
            "uuid", "honorific", "given_name", "family_name", "native_name", "alternative_names", "email")),
        "positions": sorted(Position.objects.values_list(
            "uuid", "contact__uuid", "organization__uuid", "title", "start_date", "end_date")),
        "events": sorted(Event.objects.values_list(
            "uuid", "title", "kind", "parent__uuid", "start_date", "end_date", "host__uuid", "country")),
        "participations": sorted(Participation.objects.values_list(
            "uuid", "event__uuid", "organization__uuid", "contact__uuid", "role"), key=str),
        "agreements": sorted(Agreement.objects.values_list(
            "uuid", "title", "status", "signed_on", "effective_on", "expires_on", "event__uuid"), key=str),
        "signatories": sorted(Signatory.objects.values_list("uuid", "contact__uuid", "organization__uuid", "title")),
    }


class GeneratedDataTests(RelationsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.before = {model: model.objects.count() for model in (Organization, Contact, Event, Agreement)}
        generate(seed=1)
        cls.marker = Source.objects.get(uuid=marker_uuid(1))

    def test_adds_exactly_the_figures_asked_for(self):
        for model, figure in ((Organization, "organizations"), (Contact, "contacts"), (Event, "events"),
                              (Agreement, "agreements")):
            with self.subTest(model=model.__name__):
                self.assertEqual(model.objects.count() - self.before[model], FIGURES[figure])

    def test_organizations_of_every_kind_with_countries_regions_and_parents(self):
        generated = Organization.objects.exclude(created_at__lt=self.marker.created_at)
        self.assertEqual(set(generated.values_list("kind", flat=True)), set(Organization.Kind.values))
        self.assertTrue(generated.filter(parent__isnull=False).exists())
        delegations = generated.filter(kind__in=["ifrc", "icrc"]).exclude(country="")
        self.assertTrue(all(d.parent_id for d in delegations))
        self.assertFalse(generated.exclude(country="").filter(region="").exists())

    def test_names_in_latin_arabic_and_cyrillic_with_other_spellings(self):
        natives = list(Contact.objects.exclude(native_name="").values_list("native_name", flat=True))
        self.assertTrue(any(ARABIC.search(n) for n in natives))
        self.assertTrue(any(CYRILLIC.search(n) for n in natives))
        self.assertTrue(Contact.objects.exclude(alternative_names="").exists())
        self.assertTrue(Organization.objects.exclude(alternative_names="").filter(
            created_at__gte=self.marker.created_at).exists())

    def test_mr_and_ms_follow_the_given_name(self):
        from relations.core.generate.vocabulary import FEMALE_GIVEN

        titled = Contact.objects.filter(honorific__in=["Mr.", "Ms."]).values_list("honorific", "given_name")
        self.assertGreater(len(titled), 10)
        wrong = [(h, g) for h, g in titled if (h == "Ms.") != (g in FEMALE_GIVEN)]
        self.assertEqual(wrong, [])
        self.assertEqual({h for h, _ in titled}, {"Mr.", "Ms."})

    def test_search_keys_are_computed_so_search_finds_generated_people_in_their_own_script(self):
        for person in Contact.objects.exclude(native_name="").order_by("uuid")[:20]:
            self.assertEqual(person.search_key, contact_search_key(person))
        person = Contact.objects.filter(native_name__regex=r"[А-я]").order_by("uuid").first()
        filterset = ContactFilterSet({"search": person.native_name}, queryset=Contact.objects.all())
        self.assertIn(person, filterset.qs)

    def test_people_hold_past_and_current_positions(self):
        generated = Position.objects.filter(contact__created_at__gte=self.marker.created_at)
        self.assertTrue(generated.current(on=ANCHOR).exists())
        self.assertTrue(generated.past(on=ANCHOR).exists())
        self.assertTrue(Contact.objects.annotate(n=Count("positions")).filter(n__gte=2).exists())

    def test_conferences_have_side_meetings_within_their_dates_and_attendees_in_roles(self):
        sides = Event.objects.filter(parent__isnull=False, created_at__gte=self.marker.created_at).select_related(
            "parent")
        self.assertTrue(sides.exists())
        for side in sides:
            self.assertTrue(side.parent.start_date <= side.start_date <= side.parent.end_date)
        roles = set(Participation.objects.values_list("role", flat=True))
        self.assertLessEqual({"host", "head_of_delegation", "delegation_member"}, roles)
        self.assertTrue(Event.objects.annotate(n=Count("topics")).filter(n__gte=2).exists())

    def test_dates_lie_around_the_recent_past_and_near_future(self):
        dates = Event.objects.filter(created_at__gte=self.marker.created_at).values_list("start_date", flat=True)
        self.assertTrue(all(ANCHOR - datetime.timedelta(days=7 * 366) <= d <= ANCHOR + datetime.timedelta(days=400)
                            for d in dates))
        self.assertTrue(any(d > ANCHOR for d in dates))

    def test_multi_party_agreements_are_signed_by_people_holding_positions_at_the_parties(self):
        self.assertTrue(Agreement.objects.annotate(n=Count("parties")).filter(n__gte=3).exists())
        signatories = Signatory.objects.filter(agreement__created_at__gte=self.marker.created_at)
        self.assertTrue(signatories.exists())
        for signatory in signatories:
            self.assertTrue(Party.objects.filter(agreement=signatory.agreement_id,
                                                 organization=signatory.organization_id).exists())
            self.assertTrue(Position.objects.filter(contact=signatory.contact_id,
                                                    organization=signatory.organization_id).exists())
        self.assertTrue(Agreement.objects.filter(areas__isnull=False).exists())
        self.assertTrue(Agreement.objects.filter(sources__isnull=False).exists())

    def test_every_generated_record_passes_full_clean(self):
        for model in (Organization, Contact, Position, Event, Participation, Agreement, Party, Signatory, Topic):
            for record in model.objects.order_by("uuid")[:60]:
                with self.subTest(model=model.__name__, uuid=str(record.uuid)):
                    record.full_clean()

    def test_a_seed_already_applied_is_refused(self):
        with self.assertRaisesMessage(CommandError, "Seed 1 was already applied"):
            generate(seed=1, organizations=1, contacts=0, events=0, agreements=0)

    def test_the_same_seed_gives_the_same_records_and_another_seed_others(self):
        def run(seed):
            with transaction.atomic():
                generate(seed=seed)
                result = snapshot()
                transaction.set_rollback(True)
            return result

        first, second, other = run(7), run(7), run(8)
        self.assertEqual(first, second)
        self.assertNotEqual(first["contacts"], other["contacts"])

    def test_bad_figures_are_clear_errors(self):
        with self.assertRaises(CommandError):
            call_command("generate_data", "--seed", "3", "--contacts", "-5", stdout=io.StringIO())
        with self.assertRaisesMessage(CommandError, "organizations"):
            generate(seed=3, organizations=0)
