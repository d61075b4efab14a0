from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from relations.core.views import CalendarFeedView, RecordCsvView, RecordDetailView, RecordListView, RecordLookupView
from relations.events import calendars, selectors
from relations.events.filtersets import EventFilterSet
from relations.events.tables import EventTable, event_csv_columns


class EventListView(RecordListView):
    permission_required = "events.view_event"
    template_name = "events/event_list.html"
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


class EventLookupView(RecordLookupView):
    permission_required = "events.view_event"
    selector = staticmethod(selectors.event_lookup)


class EventDetailView(RecordDetailView):
    permission_required = "events.view_event"
    selector = staticmethod(selectors.event_detail)
    template_name = "events/event_detail.html"


class EventFeedView(CalendarFeedView):
    """Every dated event, as an iCalendar feed (``?token=`` the user's feed key)."""

    permission_required = ("events.view_event",)
    filename = "events.ics"

    def get_calendar(self):
        return gettext("Relations events"), selectors.event_feed()


class EventCalendarView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """A month of events as a calendar grid (``?month=2025-09``; the current month by default)."""

    permission_required = "events.view_event"
    template_name = "events/event_calendar.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**calendars.month_page(self.request.GET), **kwargs)
