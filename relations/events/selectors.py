"""Querysets of events shared by the web pages and the API."""

import datetime

from django.db.models import F, Max, Prefetch, Q
from django.db.models.functions import Coalesce

from relations.agreements.models import Agreement
from relations.core.filters import text_q
from relations.core.models import Topic
from relations.events.models import Event, Participation


def event_list():
    return Event.objects.select_related("host", "parent")


LOOKUP_LIMIT = 20


def event_lookup(query: str):
    """At most ``LOOKUP_LIMIT`` events for a filter's search-as-you-type, latest first.

    Every word of ``query`` is in the title or the city; a number also finds the event with that id.
    """
    condition = text_q(query, ["title", "city"])
    query = query.strip()
    if query.isdigit() and len(query) < 10:
        condition |= Q(pk=int(query))
    events = Event.objects.only("id", "title", "start_date").filter(condition)
    return events.order_by(F("start_date").desc(nulls_last=True), "title", "pk")[:LOOKUP_LIMIT]


def event_detail():
    """One event with side meetings, participants (grouped by organization), agreements, topics, sources."""
    return Event.objects.select_related("host", "parent").prefetch_related(
        Prefetch("side_events", queryset=Event.objects.order_by("start_date", "title")),
        Prefetch(
            "participations",
            queryset=Participation.objects.select_related("organization", "contact").order_by(
                "organization__name", "organization_id", "contact__family_name", "pk"
            ),
        ),
        Prefetch("agreements", queryset=Agreement.objects.order_by("-signed_on", "title")),
        "topics",
        "sources",
    )


def dated_events():
    """Events with at least one date, in calendar order (a calendar leaves the others out)."""
    return (
        Event.objects.filter(Q(start_date__isnull=False) | Q(end_date__isnull=False))
        .annotate(first_day=Coalesce("start_date", "end_date"), last_day=Coalesce("end_date", "start_date"))
        .order_by("first_day", "title", "pk")
    )


def event_feed():
    """Every dated event, for an iCalendar feed: one query, with the conference a side meeting belongs to."""
    return dated_events().select_related("parent").only(
        "id", "uuid", "title", "kind", "theme", "start_date", "end_date", "city", "country", "venue",
        "updated_at", "parent_id", "parent__id", "parent__title",
    )


def organization_event_feed(organization_id: int):
    """The dated events an organization took part in (its participations), for its iCalendar feed."""
    return event_feed().filter(
        pk__in=Participation.objects.filter(organization_id=organization_id).values("event_id")
    )


def events_between(first: datetime.date, last: datetime.date):
    """The dated events with at least one day from ``first`` to ``last`` (a month page)."""
    return dated_events().filter(first_day__lte=last, last_day__gte=first).only(
        "id", "title", "kind", "start_date", "end_date"
    )


def latest_event_day() -> datetime.date | None:
    """The latest day an event starts on, or None without dated events."""
    return Event.objects.aggregate(latest=Max(Coalesce("start_date", "end_date")))["latest"]


# The API's lists: only the columns and prefetches their serializers use.
def event_api_list():
    # 3 queries for any page: events, their topics, their participations with names.
    return Event.objects.prefetch_related(
        Prefetch("topics", queryset=Topic.objects.only("id", "name")),
        Prefetch(
            "participations",
            queryset=Participation.objects.select_related("organization", "contact").only(
                "id", "event_id", "organization_id", "organization__name", "contact_id",
                "contact__honorific", "contact__given_name", "contact__family_name", "role",
            ),
        ),
    )
