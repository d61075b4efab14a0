"""factory-boy factories for records the tests make up (the article's records come from the fixture)."""

import factory
from factory.django import DjangoModelFactory

from relations.agreements.models import Agreement, Party, Signatory
from relations.contacts.models import Contact, Organization, Position
from relations.core.models import Source, Topic
from relations.events.models import Event, Participation


class SourceFactory(DjangoModelFactory):
    class Meta:
        model = Source

    title = factory.Sequence(lambda n: f"Report {n}")


class TopicFactory(DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Partner Society {n}")
    kind = Organization.Kind.NATIONAL_SOCIETY
    country = "FR"
    region = "europe"


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact

    given_name = factory.Sequence(lambda n: f"Given{n}")
    family_name = factory.Sequence(lambda n: f"Family{n}")


class PositionFactory(DjangoModelFactory):
    class Meta:
        model = Position

    contact = factory.SubFactory(ContactFactory)
    organization = factory.SubFactory(OrganizationFactory)
    title = "Secretary-General"


class EventFactory(DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Regional meeting {n}")
    kind = Event.Kind.CONFERENCE
    city = "Geneva"
    country = "CH"


class ParticipationFactory(DjangoModelFactory):
    class Meta:
        model = Participation

    event = factory.SubFactory(EventFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Participation.Role.PARTICIPANT


class AgreementFactory(DjangoModelFactory):
    class Meta:
        model = Agreement

    title = factory.Sequence(lambda n: f"Cooperation agreement {n}")
    kind = Agreement.Kind.COOPERATION_AGREEMENT
    status = Agreement.Status.DRAFT


class PartyFactory(DjangoModelFactory):
    class Meta:
        model = Party

    agreement = factory.SubFactory(AgreementFactory)
    organization = factory.SubFactory(OrganizationFactory)


class SignatoryFactory(DjangoModelFactory):
    class Meta:
        model = Signatory

    agreement = factory.SubFactory(AgreementFactory)
    contact = factory.SubFactory(ContactFactory)
    organization = factory.SubFactory(OrganizationFactory)
