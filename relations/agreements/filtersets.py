import datetime

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from relations.agreements.models import Agreement, Party
from relations.contacts.models import Organization
from relations.core.filters import (
    DateInput,
    FilterSet,
    IntegerFilter,
    LookupChoiceFilter,
    ordering_filter,
    search_key_q,
    text_q,
)
from relations.core.models import Topic


# What the search reads besides the parties' names (agreements 0007 gives PostgreSQL statistics on each,
# tests/test_search_statistics.py).
SEARCH_FIELDS = ("title", "summary")


class AgreementFilterSet(FilterSet):
    search = django_filters.CharFilter(
        method="filter_search", label=_("Search"), help_text=_("Title, summary or the name of a party.")
    )
    kind = django_filters.ChoiceFilter(choices=Agreement.Kind.choices)
    status = django_filters.ChoiceFilter(choices=Agreement.Status.choices)
    party = LookupChoiceFilter(
        queryset=Organization.objects.all(), lookup="contacts:organization_lookup", method="filter_party", label=_("Party")
    )
    signed_from = django_filters.DateFilter(field_name="signed_on", lookup_expr="gte", label=_("Signed from"), widget=DateInput)
    signed_to = django_filters.DateFilter(field_name="signed_on", lookup_expr="lte", label=_("Signed until"), widget=DateInput)
    expires_before = django_filters.DateFilter(
        field_name="expires_on", lookup_expr="lte", label=_("Expires on or before"), widget=DateInput
    )
    expiring_within = IntegerFilter(
        method="filter_expiring_within",
        label=_("Expiring within (days)"),
        min_value=0,
        max_value=3650,
        help_text=_("Agreements whose expiry date falls between today and this many days from now."),
    )
    area = django_filters.ModelChoiceFilter(queryset=Topic.objects.all(), field_name="areas", label=_("Area of cooperation"))
    ordering = ordering_filter(
        ("signed_on", "signed_on", _("Signed")),
        ("expires_on", "expires_on", _("Expires")),
        ("title", "title", _("Title")),
        ("status", "status", _("Status")),
    )

    class Meta:
        model = Agreement
        fields = [
            "search",
            "kind",
            "status",
            "party",
            "signed_from",
            "signed_to",
            "expires_before",
            "expiring_within",
            "area",
        ]

    def filter_search(self, queryset, name, value):
        for word in value.split():
            party_match = search_key_q(word, "organization__search_key")
            queryset = queryset.filter(
                text_q(word, SEARCH_FIELDS) | Q(pk__in=Party.objects.filter(party_match).values("agreement_id"))
            )
        return queryset

    def filter_party(self, queryset, name, value):
        return queryset.filter(pk__in=Party.objects.filter(organization=value).values("agreement_id"))

    def filter_expiring_within(self, queryset, name, value):
        today = timezone.localdate()
        return queryset.filter(expires_on__gte=today, expires_on__lte=today + datetime.timedelta(days=value))
