"""Querysets of events shared by the web pages and the API."""

from django.db.models import Prefetch

from relations.agreements.models import Agreement
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
