"""Querysets of events shared by the web pages and the API."""

from django.db.models import Prefetch

from relations.agreements.models import Agreement
from relations.core.models import Topic
from relations.events.models import Event, Participation


def event_list():
    return Event.objects.select_related("host", "parent")


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
