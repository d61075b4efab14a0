"""Names in every script: one search finds a record by any spelling, in pages, API and admin alike.

The pages and the API share the FilterSets, so these tests drive the FilterSets directly; the
admin search goes through the same search-key condition (tests/test_admin.py).
"""

from django.core.management import call_command
from django.test import SimpleTestCase

from relations.agreements.filtersets import AgreementFilterSet
from relations.contacts.filtersets import ContactFilterSet, OrganizationFilterSet
from relations.contacts.models import Contact, Organization, contact_search_key, organization_search_key
from relations.core.text import build_search_key, search_alternatives
from tests.base import RelationsTestCase
from tests.factories import ContactFactory, OrganizationFactory


def found(filterset_class, query, queryset):
    filterset = filterset_class({"search": query}, queryset=queryset)
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs)


class TransliterationSearchTests(RelationsTestCase):
    def test_every_spelling_of_al_sada_finds_him(self):
        for query in ("Al Sada", "Al-Sada", "Alsada", "al sada", "السادة", "إبراهيم السادة"):
            with self.subTest(query=query):
                self.assertEqual(found(ContactFilterSet, query, Contact.objects.all()), {self.al_sada})

    def test_cyrillic_finds_the_latin_spelling_and_back(self):
        self.assertEqual(found(ContactFilterSet, "Ачилова", Contact.objects.all()), {self.achilova})
        cyrillic_only = ContactFactory(given_name="Мерген", family_name="Ачилов")
        self.assertIn(cyrillic_only, found(ContactFilterSet, "Achilov", Contact.objects.all()))
        self.assertIn(cyrillic_only, found(ContactFilterSet, "Mergen", Contact.objects.all()))

    def test_a_name_written_only_in_arabic_is_found_in_arabic_and_in_latin_letters(self):
        society = OrganizationFactory(name="جمعية الهلال الأحمر", acronym="", country="QA", region="mena")
        self.assertIn(society, found(OrganizationFilterSet, "الهلال الأحمر", Organization.objects.all()))
        self.assertIn(society, found(OrganizationFilterSet, "الهلال", Organization.objects.all()))
        # anyascii's consonantal transliteration is what a Latin-letter query can match.
        self.assertIn(society, found(OrganizationFilterSet, "lhll", Organization.objects.all()))

    def test_arabic_spelling_variants_fold_together(self):
        person = ContactFactory(given_name="Abdullah", family_name="Al-Hassan")
        for query in ("عبدالله", "الحسن", "حسن", "عَبْدُاللّٰه"):
            with self.subTest(query=query):
                self.assertIn(person, found(ContactFilterSet, query, Contact.objects.all()))

    def test_latin_words_keep_exact_matching_so_results_stay_precise(self):
        sayed = ContactFactory(given_name="Ahmed", family_name="Sayed")
        self.assertNotIn(sayed, found(ContactFilterSet, "Sada", Contact.objects.all()))
        self.assertNotIn(self.al_sada, found(ContactFilterSet, "Sayed", Contact.objects.all()))

    def test_every_word_must_match(self):
        self.assertEqual(found(ContactFilterSet, "Al Sada Achilova", Contact.objects.all()), set())

    def test_agreements_are_found_by_a_partys_name_in_another_script(self):
        agreements = self.mou.__class__.objects.all()
        self.assertIn(self.mou, found(AgreementFilterSet, "Туркменистан", agreements))
        self.assertNotIn(self.mou, found(AgreementFilterSet, "Узбекистан", agreements))

    def test_the_shipped_fixture_holds_up_to_date_search_keys(self):
        for organization in Organization.objects.all():
            self.assertEqual(organization.search_key, organization_search_key(organization), organization)
        for contact in Contact.objects.all():
            self.assertEqual(contact.search_key, contact_search_key(contact), contact)

    def test_keys_follow_a_rename(self):
        self.al_sada.alternative_names = "Ибрагим Ас-Сада"
        self.al_sada.save(update_fields=["alternative_names"])
        self.assertIn(self.al_sada, found(ContactFilterSet, "Ибрагим", Contact.objects.all()))


class RebuildSearchKeysCommandTests(RelationsTestCase):
    def test_rows_loaded_in_bulk_become_searchable(self):
        Organization.objects.bulk_create([Organization(name="Красный Полумесяц Узбекистана", kind="national_society", country="UZ")])
        Contact.objects.bulk_create([Contact(given_name="Maral", family_name="Ачилова-Берды")])
        self.assertFalse(found(OrganizationFilterSet, "Uzbekistana", Organization.objects.all()))
        call_command("rebuild_search_keys", stdout=open("/dev/null", "w"))
        self.assertEqual(
            {o.name for o in found(OrganizationFilterSet, "Uzbekistana", Organization.objects.all())},
            {"Красный Полумесяц Узбекистана"},
        )
        self.assertEqual(len(found(ContactFilterSet, "Achilova Berdy", Contact.objects.all())), 1)


class NormalisationTests(SimpleTestCase):
    def test_separators_and_case_do_not_matter(self):
        self.assertEqual(search_alternatives("Al-Sada"), [("alsada",)])
        self.assertEqual(search_alternatives("  AL   SADA "), [("al",), ("sada",)])

    def test_an_arabic_word_also_matches_through_its_consonant_skeleton(self):
        self.assertEqual(search_alternatives("السادة"), [("lsdh", "~sd~")])
        self.assertIn("~sd~", build_search_key("Ibrahim Hashim Al Sada"))
        self.assertIn("~sd~", build_search_key("إبراهيم هاشم السادة"))

    def test_empty_and_punctuation_only_queries_are_no_terms(self):
        self.assertEqual(search_alternatives(""), [])
        self.assertEqual(search_alternatives(" -- ' "), [])
