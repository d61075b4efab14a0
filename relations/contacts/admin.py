from django.contrib import admin

from relations.contacts.models import Contact, Organization, Position
from relations.core.admin import BaseAdmin, NameSearchMixin


class PositionInline(admin.TabularInline):
    model = Position
    extra = 0
    fields = ("contact", "organization", "title", "department", "start_date", "end_date")
    autocomplete_fields = ("contact", "organization")


class ContactPositionInline(PositionInline):
    verbose_name = "position"
    verbose_name_plural = "positions (a position with no end date is current)"


class OrganizationPositionInline(PositionInline):
    verbose_name = "person"
    verbose_name_plural = "people (positions held here)"


@admin.register(Organization)
class OrganizationAdmin(NameSearchMixin, BaseAdmin):
    list_display = ("name", "acronym", "kind", "country", "city", "region", "parent", "is_own_organization")
    list_filter = ("kind", "region", "is_own_organization", "country")
    list_select_related = ("parent",)
    search_fields = ("name", "acronym", "native_name", "alternative_names")
    autocomplete_fields = ("parent", "sources")
    inlines = [OrganizationPositionInline]
    fieldsets = (
        (None, {"fields": ("name", "acronym", "native_name", "alternative_names", "kind", "parent", "is_own_organization")}),
        ("Where", {"fields": ("country", "city", "region")}),
        ("Contact details", {"fields": ("website", "email", "phone")}),
        ("Notes and sources", {"fields": ("notes", "sources")}),
        ("Record", {"classes": ("collapse",), "fields": ("created_at", "updated_at")}),
    )


@admin.register(Contact)
class ContactAdmin(NameSearchMixin, BaseAdmin):
    list_display = ("family_name", "given_name", "honorific", "native_name", "current_positions", "email")
    list_display_links = ("family_name", "given_name")
    list_filter = ("positions__organization__kind", "positions__organization__country")
    list_select_related = ()
    search_fields = ("given_name", "family_name", "native_name", "alternative_names", "email")
    autocomplete_fields = ("sources",)
    inlines = [ContactPositionInline]
    fieldsets = (
        (None, {"fields": ("honorific", "given_name", "family_name", "native_name", "alternative_names")}),
        ("Personal contact details", {"fields": ("email", "phone", "notes")}),
        ("Sources", {"fields": ("sources",)}),
        ("Record", {"classes": ("collapse",), "fields": ("created_at", "updated_at")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("positions__organization")

    @admin.display(description="current positions")
    def current_positions(self, obj):
        return "; ".join(str(p) for p in obj.positions.all() if p.is_current)


@admin.register(Position)
class PositionAdmin(BaseAdmin):
    list_display = ("contact", "title", "organization", "department", "start_date", "end_date")
    list_filter = ("organization__kind", "organization__country")
    list_select_related = ("contact", "organization")
    search_fields = ("title", "department", "contact__search_key", "organization__search_key")
    autocomplete_fields = ("contact", "organization", "sources")
    date_hierarchy = "start_date"
