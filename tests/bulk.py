"""Many rows fast (bulk inserts, no history), for tests and measurements of size, not of content."""

from relations.contacts.models import Contact, Organization, Position


def add_organizations(n: int, *, start: int = 0, batch_size: int = 2000) -> None:
    Organization.objects.bulk_create(
        (
            Organization(name=f"Bulk Society {i:06d}", native_name=f"Общество {i}", country="UZ", region="europe",
                         website="https://example.org/", email=f"office{i}@example.org", phone="+998 71 000 00 00")
            for i in range(start, start + n)
        ),
        batch_size=batch_size,
    )


def add_contacts(n: int, *, organization: Organization, start: int = 0, batch_size: int = 2000) -> None:
    """n people, each with one current position at the organization (the CSV's prefetched column)."""
    contacts = Contact.objects.bulk_create(
        (
            Contact(given_name=f"Given{i}", family_name=f"Family{i:06d}", native_name=f"Фамилия {i}",
                    email=f"person{i}@example.org", phone="+993 12 00 00 00", notes="Met at a regional meeting.")
            for i in range(start, start + n)
        ),
        batch_size=batch_size,
    )
    Position.objects.bulk_create(
        (Position(contact=contact, organization=organization, title="Head of partnerships") for contact in contacts),
        batch_size=batch_size,
    )
