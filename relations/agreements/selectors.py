"""Querysets of agreements shared by the web pages and the API."""

from django.db.models import Prefetch

from relations.agreements.models import Agreement, Party, Signatory
from relations.core.models import Topic


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


# The API's lists: only the columns and prefetches their serializers use.
def agreement_api_list():
    # 4 queries for any page: agreements, their parties, signatories with names, areas.
    return Agreement.objects.prefetch_related(
        Prefetch("parties", queryset=Party.objects.select_related("organization").only(
            "id", "agreement_id", "organization_id", "organization__name"
        )),
        Prefetch(
            "signatories",
            queryset=Signatory.objects.select_related("contact", "organization").only(
                "id", "agreement_id", "contact_id", "contact__honorific", "contact__given_name",
                "contact__family_name", "organization_id", "organization__name", "title",
            ),
        ),
        Prefetch("areas", queryset=Topic.objects.only("id", "name")),
    )
