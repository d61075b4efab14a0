import django_tables2 as tables
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from relations.core.exports import Column
from relations.core.tables import RecordTable
from relations.events.models import Event


def event_dates(event) -> str:
    if event.start_date and event.end_date and event.end_date != event.start_date:
        return f"{date_format(event.start_date)} – {date_format(event.end_date)}"
    return date_format(event.start_date) if event.start_date else ""


class EventTable(RecordTable):
    title = tables.Column(linkify=True, orderable=True)
    kind = tables.Column(orderable=True)
    start_date = tables.Column(verbose_name=_("Dates"), orderable=True, empty_values=())
    city = tables.Column()
    # Country.name directly: get_country_display() walks all 250 choices on every row.
    country = tables.Column(accessor="country__name", order_by="country", orderable=True)
    host = tables.Column(linkify=True)
    parent = tables.Column(verbose_name=_("Part of"), linkify=True)

    class Meta(RecordTable.Meta):
        model = Event
        fields = ("title", "kind", "start_date", "city", "country", "host", "parent")

    def render_start_date(self, record):
        return event_dates(record) or "—"


def event_csv_columns(user):
    return [
        Column("Title", lambda e: e.title),
        Column("Kind", lambda e: e.get_kind_display()),
        Column("Theme", lambda e: e.theme),
        Column("Part of", lambda e: e.parent or ""),
        Column("Start date", lambda e: e.start_date),
        Column("End date", lambda e: e.end_date),
        Column("City", lambda e: e.city),
        Column("Country", lambda e: e.country.name),
        Column("Venue", lambda e: e.venue),
        Column("Host", lambda e: e.host or ""),
    ]
