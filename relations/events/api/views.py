from relations.core.api.base import RelationsViewSet
from relations.events.api.serializers import EventSerializer
from relations.events.filtersets import EventFilterSet
from relations.events.selectors import event_api_list


class EventViewSet(RelationsViewSet):
    """Conferences, the bilateral meetings on their sidelines, visits, workshops; who took part."""

    queryset = event_api_list()
    serializer_class = EventSerializer
    filterset_class = EventFilterSet
