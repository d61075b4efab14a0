from django.utils.translation import gettext_lazy as _

from relations.core.views import RecordCsvView, RecordDetailView, RecordListView
from relations.events import selectors
from relations.events.filtersets import EventFilterSet
from relations.events.tables import EventTable, event_csv_columns


class EventListView(RecordListView):
    permission_required = "events.view_event"
    selector = staticmethod(selectors.event_list)
    filterset_class = EventFilterSet
    table_class = EventTable
    title = _("Events")
    csv_url_name = "events:event_csv"


class EventCsvView(RecordCsvView):
    permission_required = "events.view_event"
    selector = staticmethod(selectors.event_list)
    filterset_class = EventFilterSet
    columns = staticmethod(event_csv_columns)
    filename = "events.csv"


class EventDetailView(RecordDetailView):
    permission_required = "events.view_event"
    selector = staticmethod(selectors.event_detail)
    template_name = "events/event_detail.html"
