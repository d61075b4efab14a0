"""Spreadsheet import/export of events."""

from django.utils.translation import gettext_lazy as _
from import_export import fields, widgets

from relations.contacts.models import Organization
from relations.core.import_export import CountryWidget, LookupWidget, RelationsResource, StrictManyToManyWidget
from relations.core.models import Topic
from relations.events.models import Event


class EventResource(RelationsResource):
    match_on = ("title", "start_date")
    start_date = fields.Field(attribute="start_date", column_name="start_date", widget=widgets.DateWidget("%Y-%m-%d"))
    end_date = fields.Field(attribute="end_date", column_name="end_date", widget=widgets.DateWidget("%Y-%m-%d"))
    country = fields.Field(attribute="country", column_name="country", widget=CountryWidget())
    host = fields.Field(
        attribute="host", column_name="host", widget=LookupWidget(Organization, ("acronym", "name"), _("organization"))
    )
    parent = fields.Field(attribute="parent", column_name="parent", widget=LookupWidget(Event, ("title",), _("event")))
    topics = fields.Field(
        attribute="topics", column_name="topics", widget=StrictManyToManyWidget(Topic, field="name", separator=";")
    )

    class Meta(RelationsResource.Meta):
        model = Event
        fields = (
            "uuid", "title", "kind", "theme", "start_date", "end_date", "city", "country", "venue", "host", "parent",
            "topics", "description", "outcomes",
        )
        export_order = fields

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("host", "parent").prefetch_related("topics")
