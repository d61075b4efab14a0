from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from relations.core.admin import BaseAdmin
from relations.core.import_export import RelationsImportExportMixin
from relations.events.models import Event, Participation
from relations.events.resources import EventResource


class ParticipationFormSet(forms.BaseInlineFormSet):
    """Catch the same person, or the same organization as a whole, listed twice in one submission
    (the database's conditional unique constraints cannot be checked before the rows exist)."""

    def clean(self):
        super().clean()
        people, organizations = set(), set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("organization"):
                continue
            contact, organization = data.get("contact"), data["organization"]
            if contact:
                if contact.pk in people:
                    form.add_error("contact", _("This person is listed twice."))
                people.add(contact.pk)
            else:
                if organization.pk in organizations:
                    form.add_error("organization", _("This organization's attendance is listed twice."))
                organizations.add(organization.pk)
        if any(form.errors for form in self.forms):
            raise ValidationError(_("Please correct the duplicated participants below."))


class ParticipationInline(admin.TabularInline):
    model = Participation
    formset = ParticipationFormSet
    extra = 0
    fields = ("organization", "contact", "role", "notes")
    autocomplete_fields = ("organization", "contact")


class SideEventInline(admin.TabularInline):
    model = Event
    fk_name = "parent"
    extra = 0
    fields = ("title", "kind", "start_date", "end_date")
    show_change_link = True
    verbose_name = _("side meeting")
    verbose_name_plural = _("side meetings")


@admin.register(Event)
class EventAdmin(RelationsImportExportMixin, BaseAdmin):
    resource_classes = [EventResource]
    list_display = ("title", "kind", "start_date", "end_date", "city", "country", "parent", "host")
    list_filter = ("kind", "country", "topics")
    list_select_related = ("parent", "host")
    search_fields = ("title", "theme", "city", "venue", "description")
    autocomplete_fields = ("parent", "host", "topics", "sources")
    date_hierarchy = "start_date"
    inlines = [ParticipationInline, SideEventInline]
    fieldsets = (
        (None, {"fields": ("title", "kind", "theme", "parent", "host")}),
        (_("When and where"), {"fields": ("start_date", "end_date", "city", "country", "venue")}),
        (_("What"), {"fields": ("topics", "description", "outcomes", "sources")}),
        (_("Record"), {"classes": ("collapse",), "fields": ("created_at", "updated_at")}),
    )


@admin.register(Participation)
class ParticipationAdmin(BaseAdmin):
    list_display = ("event", "organization", "contact", "role")
    list_filter = ("role", "event__kind")
    list_select_related = ("event", "organization", "contact")
    search_fields = ("event__title", "organization__search_key", "contact__search_key")
    autocomplete_fields = ("event", "organization", "contact", "sources")
