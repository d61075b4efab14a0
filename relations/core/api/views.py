"""The read-only core resources: topics and sources."""

from relations.core.api.base import RelationsReadOnlyViewSet
from relations.core.api.serializers import SourceSerializer, TopicSerializer
from relations.core.filtersets import SourceFilterSet, TopicFilterSet
from relations.core.selectors import source_api_list, topic_api_list


class TopicViewSet(RelationsReadOnlyViewSet):
    """The controlled vocabulary of topics (what events discuss, what agreements cover)."""

    queryset = topic_api_list()
    serializer_class = TopicSerializer
    filterset_class = TopicFilterSet


class SourceViewSet(RelationsReadOnlyViewSet):
    """Where facts come from: articles, reports, minutes."""

    queryset = source_api_list()
    serializer_class = SourceSerializer
    filterset_class = SourceFilterSet
