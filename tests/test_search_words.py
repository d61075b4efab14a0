"""Whole-word name search: the stored search vector on PostgreSQL, a regular expression elsewhere, same records."""

from django.db import connection

from relations.contacts.filtersets import ContactFilterSet, OrganizationFilterSet
from relations.contacts.models import Contact, Organization
from relations.core import filters
from tests.base import RelationsTestCase
from tests.factories import ContactFactory


def found(filterset_class, query, queryset):
    filterset = filterset_class({"words": query}, queryset=queryset)
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs)


class WordSearchTests(RelationsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.nurlan = ContactFactory(given_name="Nurlan", family_name="Karimov", native_name="Нурлан Каримов")
        cls.saadeh = ContactFactory(given_name="Huda", family_name="Saadeh", native_name="هدى سعادة")

    def test_a_word_or_its_beginning_matches_in_any_script(self):
        for query in ("Nurlan", "nurl", "Karimov nurlan", "Каримов", "Нурл"):
            with self.subTest(query=query):
                self.assertIn(self.nurlan, found(ContactFilterSet, query, Contact.objects.all()))

    def test_the_middle_of_a_word_does_not_match_unlike_the_substring_search(self):
        self.assertNotIn(self.nurlan, found(ContactFilterSet, "urlan", Contact.objects.all()))
        self.assertNotIn(self.nurlan, found(ContactFilterSet, "Nurlan Achilova", Contact.objects.all()))

    def test_an_arabic_word_matches_its_latin_spellings_through_the_skeleton(self):
        people = found(ContactFilterSet, "السادة", Contact.objects.all())
        self.assertIn(self.al_sada, people)
        self.assertIn(self.saadeh, people)  # same consonants s-d, as the substring search finds too

    def test_organizations_too(self):
        self.assertIn(self.turkmen, found(OrganizationFilterSet, "Туркменистан", Organization.objects.all()))
        self.assertEqual(found(OrganizationFilterSet, "", Organization.objects.all()), set(Organization.objects.all()))

    def test_the_stored_vector_and_the_portable_path_give_the_same_records(self):
        queries = ("nurlan", "kar", "السادة", "Al-Sada", "Ачилова", "red crescent", "qrcs", "x")
        for query in queries:
            with self.subTest(query=query):
                through_database = set(filters.words_filter(Contact.objects.all(), query)) | set(
                    filters.words_filter(Organization.objects.all(), query))
                portable = set(Contact.objects.filter(filters.words_regex_q(query))) | set(
                    Organization.objects.filter(filters.words_regex_q(query)))
                self.assertEqual(through_database, portable)
        if connection.vendor == "postgresql":
            plan = filters.words_filter(Contact.objects.all(), "nurlan").explain()
            self.assertIn("search_vector", plan)

