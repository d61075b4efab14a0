import django_filters
from django.conf import global_settings

from relations.core.filters import DateInput, FilterSet, text_filter
from relations.core.models import Source, Topic


class TopicFilterSet(FilterSet):
    search = django_filters.CharFilter(method="filter_search", label="Search", help_text="Name, slug or description.")
    ordering = django_filters.OrderingFilter(fields=(("name", "name"), ("slug", "slug")), label="Sort by")

    class Meta:
        model = Topic
        fields = ["search"]

    def filter_search(self, queryset, name, value):
        return text_filter(queryset, value, ["name", "slug", "description"])


class SourceFilterSet(FilterSet):
    search = django_filters.CharFilter(
        method="filter_search", label="Search", help_text="Title, publisher, news agency or summary."
    )
    kind = django_filters.ChoiceFilter(choices=Source.Kind.choices)
    language = django_filters.ChoiceFilter(choices=global_settings.LANGUAGES)
    published_from = django_filters.DateFilter(
        field_name="published_on", lookup_expr="gte", label="Published from", widget=DateInput
    )
    published_to = django_filters.DateFilter(
        field_name="published_on", lookup_expr="lte", label="Published until", widget=DateInput
    )
    ordering = django_filters.OrderingFilter(
        fields=(("published_on", "published_on"), ("title", "title")), label="Sort by"
    )

    class Meta:
        model = Source
        fields = ["search", "kind", "language", "published_from", "published_to"]

    def filter_search(self, queryset, name, value):
        return text_filter(queryset, value, ["title", "publisher", "agency", "summary"])
