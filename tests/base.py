"""Base test cases: the article's data loaded once, named personas, handles on the main records."""

from django.test import TestCase

from relations.agreements.models import Agreement
from relations.contacts.models import Contact, Organization
from relations.events.models import Event
from tests.personas import PASSWORD, create_personas


class RelationsTestCase(TestCase):
    """Every test starts from the article fixture and the personas of tests/personas.py."""

    fixtures = ["article"]
    password = PASSWORD

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        personas = create_personas()
        cls.viewer = personas["viewer"]
        cls.editor = personas["editor"]
        cls.manager = personas["manager"]
        cls.outsider = personas["outsider"]
        # The records of the article most tests talk about.
        cls.qrcs = Organization.objects.get(acronym="QRCS")
        cls.turkmen = Organization.objects.get(country="TM", kind=Organization.Kind.NATIONAL_SOCIETY)
        cls.ifrc = Organization.objects.get(kind=Organization.Kind.IFRC)
        cls.conference = Event.objects.get(kind=Event.Kind.CONFERENCE, city="Ashgabat")
        cls.mou = Agreement.objects.get(kind=Agreement.Kind.MOU, parties__organization=cls.turkmen)
        cls.al_sada = Contact.objects.get(family_name="Al Sada")
        cls.achilova = Contact.objects.get(family_name="Achilova")
