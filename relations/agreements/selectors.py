"""Querysets of agreements shared by the web pages and the API."""

from django.db.models import Prefetch

from relations.agreements.models import Agreement, Party, Signatory


def parties():
    return Prefetch("parties", queryset=Party.objects.select_related("organization"))


def agreement_list():
    return Agreement.objects.prefetch_related(parties())


def agreement_detail():
    """One agreement with parties, signatories, areas, frameworks, the event and sources."""
    return Agreement.objects.select_related("event").prefetch_related(
        parties(),
        Prefetch("signatories", queryset=Signatory.objects.select_related("contact", "organization")),
        "areas",
        "frameworks",
        "sources",
    )
