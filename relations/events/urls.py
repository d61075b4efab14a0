from django.urls import path

from relations.events import views

app_name = "events"

urlpatterns = [
    path("events/", views.EventListView.as_view(), name="event_list"),
    path("events/export.csv", views.EventCsvView.as_view(), name="event_csv"),
    path("events/calendar.ics", views.EventFeedView.as_view(), name="event_feed"),
    path("events/calendar/", views.EventCalendarView.as_view(), name="event_calendar"),
    path("events/lookup.json", views.EventLookupView.as_view(), name="event_lookup"),
    path("events/<int:pk>/", views.EventDetailView.as_view(), name="event_detail"),
]
