"""Querysets of organizations and contacts shared by the web pages and the API."""

from django.db.models import Prefetch, Q

from relations.agreements.models import Party, Signatory
from relations.contacts.models import Contact, Organization, Position
from relations.core.filters import search_key_q
from relations.events.models import Participation


def organization_list():
    return Organization.objects.all()


LOOKUP_LIMIT = 20


def organization_lookup(query: str):
    """At most ``LOOKUP_LIMIT`` organizations for a filter's search-as-you-type, by name.

    ``query`` matches any form of the name (as the list's search does); a number also finds the
    organization with that id, which is what the filter's input holds without JavaScript.
    """
    condition = search_key_q(query)
    query = query.strip()
    if query.isdigit() and len(query) < 10:
        condition |= Q(pk=int(query))
    return Organization.objects.only("id", "name", "acronym").filter(condition).order_by("name", "pk")[:LOOKUP_LIMIT]


def organization_detail():
    """One organization with its people, events, agreements and sources (a query each)."""
    return Organization.objects.select_related("parent").prefetch_related(
        Prefetch("positions", queryset=Position.objects.select_related("contact")),
        Prefetch(
            "participations",
            queryset=Participation.objects.select_related("event", "contact").order_by(
                "-event__start_date", "event__title", "pk"
            ),
        ),
        Prefetch(
            "agreement_parties",
            queryset=Party.objects.select_related("agreement").order_by("-agreement__signed_on", "agreement__title"),
        ),
        "children",
        "sources",
    )


def current_positions():
    return Prefetch(
        "positions", queryset=Position.objects.current().select_related("organization"), to_attr="current_positions"
    )


def contact_list():
    return Contact.objects.prefetch_related(current_positions())


def contact_detail():
    """One person with positions over time, events attended, agreements signed and sources."""
    return Contact.objects.prefetch_related(
        Prefetch("positions", queryset=Position.objects.select_related("organization")),
        Prefetch(
            "participations",
            queryset=Participation.objects.select_related("event", "organization").order_by(
                "-event__start_date", "event__title"
            ),
        ),
        Prefetch(
            "signatures",
            queryset=Signatory.objects.select_related("agreement", "organization").order_by("-agreement__signed_on"),
        ),
        "sources",
    )


# The API's lists: only the columns and prefetches their serializers use.
def contact_api_list():
    # 2 queries for any page: contacts, then their positions with each organization's name.
    return Contact.objects.prefetch_related(
        Prefetch("positions", queryset=Position.objects.select_related("organization").only(
            "id", "contact_id", "organization_id", "organization__name", "title", "department", "start_date", "end_date"
        ))
    )
