import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from relations.contacts.models import Organization
from relations.core.filters import (
    DateInput,
    FilterSet,
    LookupChoiceFilter,
    RememberedSelect,
    ordering_filter,
    text_filter,
)
from relations.core.models import Topic
from relations.events.models import Event, Participation


# What the search reads (events 0006 gives PostgreSQL statistics on each, tests/test_search_statistics.py).
SEARCH_FIELDS = ("title", "theme", "city", "venue", "description")


class EventFilterSet(FilterSet):
    search = django_filters.CharFilter(
        method="filter_search", label=_("Search"), help_text=_("Title, theme, city, venue or description.")
    )
    kind = django_filters.ChoiceFilter(choices=Event.Kind.choices)
    country = django_filters.ChoiceFilter(
        choices=countries, widget=RememberedSelect, help_text=_("ISO 3166 alpha-2 code, e.g. TM.")
    )
    city = django_filters.CharFilter(lookup_expr="icontains")
    date_from = django_filters.DateFilter(
        method="filter_date_from", label=_("From"), widget=DateInput, help_text=_("Events ending on or after this date.")
    )
    date_to = django_filters.DateFilter(
        method="filter_date_to", label=_("To"), widget=DateInput, help_text=_("Events starting on or before this date.")
    )
    topic = django_filters.ModelChoiceFilter(queryset=Topic.objects.all(), field_name="topics")
    participant = LookupChoiceFilter(
        queryset=Organization.objects.all(),
        lookup="contacts:organization_lookup",
        method="filter_participant",
        label=_("Participating organization"),
    )
    parent = LookupChoiceFilter(
        queryset=Event.objects.all(),
        lookup="events:event_lookup",
        label=_("Side meetings of"),
    )
    top_level = django_filters.BooleanFilter(
        field_name="parent", lookup_expr="isnull", label=_("Top-level events only")
    )
    ordering = ordering_filter(
        ("start_date", "start_date", _("Start date")),
        ("title", "title", _("Title")),
        ("kind", "kind", _("Kind")),
        ("country", "country", _("Country")),
    )

    class Meta:
        model = Event
        fields = ["search", "kind", "country", "city", "date_from", "date_to", "topic", "participant", "parent", "top_level"]

    def filter_search(self, queryset, name, value):
        return text_filter(queryset, value, SEARCH_FIELDS)

    def filter_date_from(self, queryset, name, value):
        return queryset.filter(Q(end_date__gte=value) | Q(end_date__isnull=True, start_date__gte=value))

    def filter_date_to(self, queryset, name, value):
        return queryset.filter(start_date__lte=value)

    def filter_participant(self, queryset, name, value):
        return queryset.filter(pk__in=Participation.objects.filter(organization=value).values("event_id"))
