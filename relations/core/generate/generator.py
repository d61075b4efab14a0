"""Turn a seed and row counts into realistic records, inserted in bulk in one transaction.

Reproducible: every choice, every UUID and every date comes from one ``random.Random(seed)``
and an anchor date (today by default), so the same seed, figures and anchor date on the same
starting database give the same records. A run leaves a marker source whose UUID derives from
the seed; a second run with that seed is refused (``SeedAlreadyApplied``).

Fast: rows are built in memory and written with ``bulk_create`` in batches. ``bulk_create``
skips ``save()`` and signals, so the search keys are computed here and **no change history**
(django-simple-history) is written for generated rows.
"""

import datetime
import random
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from anyascii import anyascii
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.text import slugify

from relations.agreements.models import Agreement, Party, Signatory
from relations.contacts.models import Contact, Organization, Position, contact_search_key, organization_search_key
from relations.core.generate import vocabulary as V
from relations.core.models import Framework, Source, Topic
from relations.events.models import Event, Participation

MARKER_NAMESPACE = uuid.UUID("6f1c1f0e-3b0a-4d59-9a53-0c6d2f0e7a10")


class SeedAlreadyApplied(Exception):
    pass


def marker_uuid(seed: int) -> uuid.UUID:
    """The UUID of the source that records a run with ``seed`` (stable across runs)."""
    return uuid.uuid5(MARKER_NAMESPACE, f"generate_data seed {seed}")


@dataclass
class Figures:
    organizations: int = 2000
    contacts: int = 20000
    events: int = 10000
    agreements: int = 5000


@dataclass
class Generated:
    """How many rows of each kind a run inserted."""

    counts: dict = field(default_factory=lambda: defaultdict(int))


class Generator:
    def __init__(self, *, seed: int, figures: Figures, anchor: datetime.date, batch_size: int = 2000,
                 progress=None):
        self.seed = seed
        self.figures = figures
        self.anchor = anchor
        self.batch_size = batch_size
        self.rng = random.Random(seed)
        self.progress = progress  # a callable(number_of_rows) or None
        self.counts = defaultdict(int)
        self.search_keys = {}

    # -- helpers ---------------------------------------------------------------------------

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def date_between(self, start: datetime.date, end: datetime.date) -> datetime.date:
        return start + datetime.timedelta(days=self.rng.randint(0, max((end - start).days, 0)))

    def years(self, n: float) -> datetime.timedelta:
        return datetime.timedelta(days=round(365.25 * n))

    def insert(self, model, rows, label=None):
        """bulk_create in batches; returns the rows (with primary keys)."""
        for start in range(0, len(rows), self.batch_size):
            batch = rows[start:start + self.batch_size]
            model.objects.bulk_create(batch, batch_size=self.batch_size)
            if self.progress:
                self.progress(len(batch))
        self.counts[label or model._meta.label] += len(rows)
        return rows

    def expected_rows(self) -> int:
        """A rough total for the progress bar (the exact figure depends on the draws)."""
        f = self.figures
        return f.organizations + f.contacts * 4 + f.events * 8 + f.agreements * 8

    # -- the run ---------------------------------------------------------------------------

    def run(self) -> dict:
        with transaction.atomic():
            if Source.objects.filter(uuid=marker_uuid(self.seed)).exists():
                raise SeedAlreadyApplied(
                    f"Seed {self.seed} was already applied to this database; choose another --seed."
                )
            self.marker = self.insert(Source, [Source(
                uuid=marker_uuid(self.seed), title=f"Generated data, seed {self.seed}", kind=Source.Kind.OTHER,
                published_on=self.anchor, language="en",
                summary=(f"Made up by generate_data (seed {self.seed}, anchor date {self.anchor:%Y-%m-%d}): "
                         f"{self.figures.organizations} organizations, {self.figures.contacts} people, "
                         f"{self.figures.events} events, {self.figures.agreements} agreements."),
            )])[0]
            self.topics = self.vocabulary_topics()
            self.frameworks = self.vocabulary_frameworks()
            self.sources = self.make_sources()
            self.organizations = self.make_organizations()
            self.contacts, self.positions = self.make_contacts()
            self.events = self.make_events()
            self.make_agreements()
        return dict(self.counts)

    # -- vocabularies shared with real data ---------------------------------------------------

    def vocabulary_topics(self) -> list:
        existing = set(Topic.objects.values_list("slug", flat=True))
        names = set(Topic.objects.annotate(lname=Lower("name")).values_list("lname", flat=True))
        new = [Topic(uuid=self.uuid(), name=name, slug=slug) for name, slug in V.TOPICS
               if slug not in existing and name.lower() not in names]
        self.insert(Topic, new)
        # Sorted here, not by the database: collations differ and the draws must not.
        return sorted(Topic.objects.filter(slug__in=[slug for _, slug in V.TOPICS]), key=lambda t: t.slug)

    def vocabulary_frameworks(self) -> list:
        names = set(Framework.objects.annotate(lname=Lower("name")).values_list("lname", flat=True))
        new = [Framework(uuid=self.uuid(), name=name) for name in V.FRAMEWORKS if name.lower() not in names]
        self.insert(Framework, new)
        return sorted(Framework.objects.annotate(lname=Lower("name")).filter(
            lname__in=[name.lower() for name in V.FRAMEWORKS]), key=lambda f: f.name)

    def make_sources(self) -> list:
        count = max(1, (self.figures.events + self.figures.agreements) // 20)
        rows = []
        for _ in range(count):
            country = self.rng.choice(V.COUNTRIES)
            published = self.date_between(self.anchor - self.years(5), self.anchor)
            rows.append(Source(
                uuid=self.uuid(),
                title=self.rng.choice(V.SOURCE_TITLES).format(
                    org=country[4], topic=self.rng.choice(V.TOPICS)[0].lower(), year=published.year),
                kind=self.rng.choice([k for k in Source.Kind.values if k != Source.Kind.OTHER]),
                publisher=self.rng.choice(V.SOURCE_PUBLISHERS),
                published_on=published,
                language=self.rng.choice(["en", "en", "ar", "ru"]),
                summary="Generated source.",
            ))
        return self.insert(Source, rows)

    def link_sources(self, through, fk_name, objects, share):
        rows = []
        for obj in objects:
            if self.rng.random() < share:
                rows.append(through(**{fk_name: obj.pk, "source_id": self.rng.choice(self.sources).pk}))
        self.insert(through, rows, label=f"{through._meta.label} (sources)")

    # -- organizations -------------------------------------------------------------------------

    def make_organizations(self) -> list:
        taken = {(name, country): pk for name, country, pk in
                 Organization.objects.annotate(lname=Lower("name")).values_list("lname", "country", "pk")}
        n = self.figures.organizations
        roots, children = [], []  # children: (Organization, parent Organization)

        def unique_name(name, country, city):
            candidates = [name, f"{name}, {city}" if city else name]
            for candidate in candidates:
                if (candidate.lower(), country) not in taken:
                    break
            else:
                number = 2
                while (f"{name} ({number})".lower(), country) in taken:
                    number += 1
                candidate = f"{name} ({number})"
            taken[(candidate.lower(), country)] = None
            return candidate

        def org(name, **fields):
            fields.setdefault("country", "")
            name = unique_name(name, fields["country"], fields.get("city", ""))
            record = Organization(uuid=self.uuid(), name=name, **fields)
            record.search_key = organization_search_key(record)
            return record

        # The bodies every other record hangs from: international bodies, then national societies.
        parents = {}
        for name, acronym, kind, _ in V.INTERNATIONAL:
            key = (name.lower(), "")
            if key in taken and taken[key]:
                parents[acronym] = Organization.objects.get(pk=taken[key])
            elif len(roots) < n:
                parents[acronym] = org(name, acronym=acronym, kind=kind, city="Geneva")
                roots.append(parents[acronym])
        societies = {}
        for code, region, name, native, acronym, script, cities in V.COUNTRIES:
            key = (name.lower(), code)
            if key in taken and taken[key]:
                societies[code] = Organization.objects.get(pk=taken[key])
            elif len(roots) < n:
                societies[code] = org(
                    name, acronym=acronym, native_name=native, kind=Organization.Kind.NATIONAL_SOCIETY,
                    country=code, region=region, city=cities[0], website=f"https://{slugify(acronym)}.example.org",
                    email=f"info@{slugify(acronym)}.example.org",
                    alternative_names=self.spelling_variants(name, native),
                )
                roots.append(societies[code])

        kinds = ["branch"] * 30 + ["delegation"] * 12 + ["government"] * 20 + ["ngo"] * 28 + ["other"] * 10
        # One of each first, so even a small run holds every kind of organization.
        first = [("branch", None), ("delegation", "IFRC"), ("delegation", "ICRC"), ("delegation", "UNHCR"),
                 ("government", None), ("ngo", None), ("other", None)]
        while len(roots) + len(children) < n:
            code, region, ns_name, _, _, script, cities = self.rng.choice(V.COUNTRIES)
            city = self.rng.choice(cities)
            kind, body = first.pop(0) if first else (self.rng.choice(kinds), None)
            if kind == "branch" and code in societies:
                record = org(f"{ns_name} – {city} Branch", kind=Organization.Kind.NATIONAL_SOCIETY, country=code,
                             region=region, city=city)
                children.append((record, societies[code]))
            elif kind == "delegation":
                name, acronym, body_kind, office = next(
                    (b for b in V.INTERNATIONAL if b[1] == body), None) or self.rng.choice(V.INTERNATIONAL)
                if acronym not in parents:
                    continue
                label = f"{acronym} Delegation in {country_name(code)}" if office == "delegation" \
                    else f"{acronym} Office in {country_name(code)}"
                record = org(label, acronym=acronym, kind=body_kind, country=code, region=region, city=city)
                children.append((record, parents[acronym]))
            elif kind == "government":
                latin, arabic, cyrillic = self.rng.choice(V.MINISTRIES)
                native = {"ar": arabic, "cy": cyrillic}.get(script, "")
                roots.append(org(f"{latin} of {country_name(code)}", native_name=native,
                                 kind=Organization.Kind.GOVERNMENT, country=code, region=region, city=cities[0]))
            elif kind == "ngo":
                words = (self.rng.choice(V.NGO_WORDS), self.rng.choice(V.NGO_FOCUS), self.rng.choice(V.NGO_FORMS))
                name = " ".join(words)
                acronym = "".join(w[0] for w in " ".join(words).split()).upper()
                roots.append(org(name, acronym=acronym, kind=Organization.Kind.NGO, country=code, region=region,
                                 city=city, alternative_names=f"{name} ({city})"))
            else:
                roots.append(org(self.rng.choice(V.OTHER_FORMS).format(city=city), kind=Organization.Kind.OTHER,
                                 country=code, region=region, city=city))
        self.insert(Organization, roots)
        for record, parent in children:
            record.parent = parent
        self.insert(Organization, [record for record, _ in children])
        self.link_sources(Organization.sources.through, "organization_id", roots, 0.05)
        self.society_by_country = societies
        return roots + [record for record, _ in children]

    def spelling_variants(self, latin: str, native: str = "") -> str:
        """Other spellings: the own-script name transliterated, and common transliteration variants."""
        variants = []
        if native:
            variants.append(anyascii(native))
        lowered = latin.lower()
        for old, new in V.TRANSLITERATION_VARIANTS:
            if old in lowered:
                variants.append(lowered.replace(old, new).title())
                break
        return "\n".join(v for v in variants if v and v != latin)

    # -- people and their positions -----------------------------------------------------------

    def person_name(self, script: str):
        """(given, family, native name, alternative spellings) in the naming habits of ``script``."""
        if script == "ar":
            given = self.rng.choice(V.ARABIC_GIVEN)
            family = self.rng.choice(V.ARABIC_FAMILY)
            native = f"{given[1]} {family[1]}"
            alternatives = []
            if given[2] or family[2]:
                alternatives.append(f"{self.rng.choice(given[2] or [given[0]])} "
                                    f"{self.rng.choice(family[2] or [family[0]])}")
            return given[0], family[0], native, "\n".join(alternatives)
        if script == "cy":
            given = self.rng.choice(V.CYRILLIC_GIVEN)
            family = self.rng.choice(V.CYRILLIC_FAMILY_MALE)
            if given in V.CYRILLIC_FEMALE_GIVEN:
                family += "а"
            latin_given, latin_family = anyascii(given), anyascii(family)
            variant = self.spelling_variants(f"{latin_given} {latin_family}")
            return latin_given, latin_family, f"{given} {family}", variant
        return self.rng.choice(V.LATIN_GIVEN), self.rng.choice(V.LATIN_FAMILY), "", ""

    def search_key(self, contact) -> str:
        """contact_search_key, computed once per distinct name: names repeat, and the key costs ~0.5 ms."""
        name = (contact.given_name, contact.family_name, contact.native_name, contact.alternative_names)
        if name not in self.search_keys:
            self.search_keys[name] = contact_search_key(contact)
        return self.search_keys[name]

    def make_contacts(self):
        scripts = {c[0]: c[5] for c in V.COUNTRIES}
        by_country = defaultdict(list)
        international = []
        for record in self.organizations:
            code = str(record.country or "")
            (by_country[code] if code else international).append(record)
        countries = sorted(by_country)
        contacts, plans = [], []
        for _ in range(self.figures.contacts):
            country = self.rng.choice(countries) if countries else ""
            given, family, native, alternatives = self.person_name(scripts.get(country, "la"))
            uuid = self.uuid()  # before the honorific: the random draws stay in their earlier order
            honorific = self.rng.choice(V.HONORIFICS)
            if honorific in ("Mr.", "Ms."):
                honorific = "Ms." if given in V.FEMALE_GIVEN else "Mr."
            contact = Contact(
                uuid=uuid, honorific=honorific, given_name=given, family_name=family,
                native_name=native, alternative_names=alternatives,
                email=f"{slugify(anyascii(given))}.{slugify(anyascii(family))}{self.rng.randint(1, 999)}@example.org"
                if self.rng.random() < 0.7 else "",
                phone=f"+{self.rng.randint(1, 998)} {self.rng.randint(100, 999)} {self.rng.randint(1000, 9999)}"
                if self.rng.random() < 0.5 else "",
            )
            contact.search_key = self.search_key(contact)
            contacts.append(contact)
            plans.append(by_country.get(country, []) + international)
        self.insert(Contact, contacts)

        positions = []
        self.positions_at = defaultdict(list)  # organization pk -> [(contact, title)]
        for contact, choices in zip(contacts, plans):
            if not choices:
                continue
            count = self.rng.choice([1, 1, 1, 2, 2, 3])
            start = self.date_between(self.anchor - self.years(12), self.anchor - self.years(count * 1.5))
            for index in range(count):
                organization = self.rng.choice(choices)
                title = self.rng.choice(V.POSITION_TITLES[organization.kind])
                last = index == count - 1
                if last and self.rng.random() < 0.85:
                    end = None  # the current position
                else:
                    end = min(start + self.years(self.rng.uniform(0.5, 4)), self.anchor - datetime.timedelta(days=1))
                    end = max(end, start)
                positions.append(Position(
                    uuid=self.uuid(), contact=contact, organization=organization, title=title,
                    department=self.rng.choice(V.DEPARTMENTS), start_date=start, end_date=end,
                ))
                self.positions_at[organization.pk].append((contact, title))
                if end is None:
                    break
                start = min(end + datetime.timedelta(days=self.rng.randint(1, 120)), self.anchor)
        self.insert(Position, positions)
        self.link_sources(Position.sources.through, "position_id", positions, 0.03)
        self.link_sources(Contact.sources.through, "contact_id", contacts, 0.05)
        return contacts, positions

    # -- events and who attended ----------------------------------------------------------------

    def make_events(self):
        n = self.figures.events
        conferences, sides = [], []  # sides: (event, conference)
        hosts = [o for o in self.organizations if o.kind in ("national_society", "ifrc", "icrc", "government")] \
            or self.organizations
        start_window = (self.anchor - self.years(6), self.anchor + self.years(1))
        while len(conferences) + len(sides) < n:
            host = self.rng.choice(hosts)
            city, country = self.place(host)
            topic = self.rng.choice(self.topics)
            start = self.date_between(*start_window)
            if self.rng.random() < 0.45:
                end = start + datetime.timedelta(days=self.rng.randint(1, 4))
                conference = Event(
                    uuid=self.uuid(), kind=Event.Kind.CONFERENCE,
                    title=self.rng.choice(V.CONFERENCE_TITLES).format(topic=topic.name.lower(),
                                                                       area=self.rng.choice(V.AREAS)),
                    theme=topic.name, start_date=start, end_date=end, city=city, country=country,
                    venue=self.rng.choice(V.VENUES), host=host,
                    description=self.rng.choice(V.EVENT_SENTENCES).format(topic=topic.name.lower()),
                )
                conferences.append(conference)
                for _ in range(min(self.rng.randint(0, 4), n - len(conferences) - len(sides))):
                    partner = self.rng.choice(self.organizations)
                    day = start + datetime.timedelta(days=self.rng.randint(0, (end - start).days))
                    sides.append((Event(
                        uuid=self.uuid(), kind=Event.Kind.BILATERAL_MEETING,
                        title=f"Bilateral meeting with {partner.acronym or partner.name} ({conference.title})"[:300],
                        start_date=day, end_date=day, city=city, country=country, host=host,
                        description=f"On the sidelines, on {topic.name.lower()}.",
                    ), conference, partner))
            else:
                kind = self.rng.choice(["visit", "workshop", "training", "bilateral_meeting", "other"])
                partner = self.rng.choice(self.organizations)
                end = start + datetime.timedelta(days=self.rng.randint(0, 3))
                conferences.append(Event(
                    uuid=self.uuid(), kind=kind,
                    title=self.rng.choice(V.OTHER_EVENT_TITLES[kind]).format(
                        org=partner.acronym or partner.name, city=city or "Geneva", topic=topic.name)[:300],
                    theme=topic.name if kind in ("workshop", "training") else "",
                    start_date=start, end_date=end, city=city, country=country, host=host,
                ))
                sides_partner = partner
                conferences[-1]._partner = sides_partner
        self.insert(Event, conferences)
        for event, conference, _ in sides:
            event.parent = conference
        self.insert(Event, [event for event, _, _ in sides])
        events = conferences + [event for event, _, _ in sides]

        topic_rows = []
        for event in events:
            for topic in self.rng.sample(self.topics, k=min(len(self.topics), self.rng.randint(1, 3))):
                topic_rows.append(Event.topics.through(event_id=event.pk, topic_id=topic.pk))
        self.insert(Event.topics.through, topic_rows, label="events.Event topics")
        self.link_sources(Event.sources.through, "event_id", events, 0.2)
        self.make_participations(conferences, sides)
        return events

    def place(self, organization):
        if organization.country:
            return organization.city, str(organization.country)
        code, *_, cities = self.rng.choice(V.COUNTRIES)
        return self.rng.choice(cities), code

    def make_participations(self, events, sides):
        rows = []

        def attend(event, organization, role, people):
            """The organization's delegation: named people, or the organization as a whole."""
            staff = self.positions_at.get(organization.pk, [])
            chosen = self.rng.sample(staff, k=min(people, len(staff))) if staff else []
            if not chosen:
                if (event.pk, organization.pk) not in org_seen:
                    org_seen.add((event.pk, organization.pk))
                    rows.append(Participation(uuid=self.uuid(), event=event, organization=organization, role=role))
                return
            for index, (contact, _) in enumerate(chosen):
                if (event.pk, contact.pk) in person_seen:
                    continue
                person_seen.add((event.pk, contact.pk))
                person_role = role if index == 0 else Participation.Role.DELEGATION_MEMBER
                rows.append(Participation(uuid=self.uuid(), event=event, organization=organization,
                                          contact=contact, role=person_role))

        org_seen, person_seen = set(), set()
        for event in events:
            attend(event, event.host, Participation.Role.HOST, self.rng.randint(0, 2))
            if event.kind == Event.Kind.CONFERENCE:
                for organization in self.rng.sample(self.organizations, k=min(len(self.organizations),
                                                                             self.rng.randint(3, 10))):
                    if organization.pk == event.host_id:
                        continue
                    role = self.rng.choice([Participation.Role.HEAD_OF_DELEGATION] * 4 + [
                        Participation.Role.OBSERVER, Participation.Role.SPEAKER, Participation.Role.PARTICIPANT])
                    attend(event, organization, role, self.rng.randint(0, 3))
            elif getattr(event, "_partner", None) and event._partner.pk != event.host_id:
                attend(event, event._partner, Participation.Role.PARTICIPANT, self.rng.randint(0, 2))
        for event, _, partner in sides:
            attend(event, event.host, Participation.Role.HOST, 1)
            if partner.pk != event.host_id:
                attend(event, partner, Participation.Role.HEAD_OF_DELEGATION, self.rng.randint(1, 2))
        self.insert(Participation, rows)

    # -- agreements, their parties and signatories ------------------------------------------------

    def make_agreements(self):
        agreements, parties, signatories, areas, frameworks = [], [], [], [], []
        signing_events = [e for e in self.events if e.kind in (Event.Kind.CONFERENCE, Event.Kind.BILATERAL_MEETING)
                          and e.start_date <= self.anchor]
        signed_statuses = [Agreement.Status.SIGNED, Agreement.Status.ACTIVE, Agreement.Status.ACTIVE,
                           Agreement.Status.EXPIRED, Agreement.Status.TERMINATED]
        for _ in range(self.figures.agreements):
            kind = self.rng.choice(Agreement.Kind.values)
            topic = self.rng.choice(self.topics)
            members = self.rng.sample(self.organizations, k=min(len(self.organizations),
                                                               self.rng.choice([2, 2, 2, 2, 3, 3, 4])))
            city = members[0].city or "Geneva"
            status = self.rng.choice([Agreement.Status.DRAFT, Agreement.Status.UNDER_NEGOTIATION] + signed_statuses * 2)
            signed = effective = expires = None
            event = None
            if status in signed_statuses:
                if status == Agreement.Status.EXPIRED:
                    signed = self.date_between(self.anchor - self.years(8), self.anchor - self.years(2))
                elif signing_events and self.rng.random() < 0.3:
                    event = self.rng.choice(signing_events)
                    signed = event.start_date
                else:
                    signed = self.date_between(self.anchor - self.years(8), self.anchor)
                effective = signed + datetime.timedelta(days=self.rng.choice([0, 0, 30, 90]))
                expires = effective + self.years(self.rng.choice([1, 2, 3, 5]))
                if status == Agreement.Status.EXPIRED:
                    expires = min(expires, self.anchor - datetime.timedelta(days=1))
            agreement = Agreement(
                uuid=self.uuid(), kind=kind, status=status, signed_on=signed, effective_on=effective,
                expires_on=expires, event=event,
                title=V.AGREEMENT_TITLES[kind].format(topic=topic.name.lower(), city=city)
                + f" – {' / '.join(m.acronym or m.name for m in members)}"[:300],
                summary=" ".join(s.format(topic=topic.name.lower(), city=city)
                                 for s in self.rng.sample(V.SUMMARY_SENTENCES, k=2)),
            )
            agreement.title = agreement.title[:300]
            agreements.append(agreement)
            for member in members:
                parties.append(Party(uuid=self.uuid(), agreement=agreement, organization=member))
                staff = self.positions_at.get(member.pk)
                if signed and staff:
                    contact, title = self.rng.choice(staff)
                    if all(s.contact is not contact for s in signatories[-4:] if s.agreement is agreement):
                        signatories.append(Signatory(uuid=self.uuid(), agreement=agreement, contact=contact,
                                                     organization=member, title=title))
            for area in self.rng.sample(self.topics, k=min(len(self.topics), self.rng.randint(1, 3))):
                areas.append((agreement, area))
            if self.frameworks and self.rng.random() < 0.6:
                frameworks.append((agreement, self.rng.choice(self.frameworks)))
        self.insert(Agreement, agreements)
        self.insert(Party, parties)
        self.insert(Signatory, signatories)
        self.insert(Agreement.areas.through,
                    [Agreement.areas.through(agreement_id=a.pk, topic_id=t.pk) for a, t in areas],
                    label="agreements.Agreement areas")
        self.insert(Agreement.frameworks.through,
                    [Agreement.frameworks.through(agreement_id=a.pk, framework_id=f.pk) for a, f in frameworks],
                    label="agreements.Agreement frameworks")
        self.link_sources(Agreement.sources.through, "agreement_id", agreements, 0.3)


def country_name(code: str) -> str:
    from django_countries import countries

    return countries.name(code) or code
