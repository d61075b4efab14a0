from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from relations.contacts.admin_duplicates import DuplicatesAdminMixin
from relations.contacts.duplicates import (
    contact_duplicate_pairs,
    contact_matches,
    organization_duplicate_pairs,
    organization_matches,
)
from relations.contacts.models import Contact, Organization, Position
from relations.contacts.resources import ContactResource, OrganizationResource
from relations.contacts.services import contact_merge, organization_merge
from relations.core.admin import BaseAdmin, NameSearchMixin
from relations.core.import_export import RelationsImportExportMixin


class PositionInline(admin.TabularInline):
    model = Position
    extra = 0
    fields = ("contact", "organization", "title", "department", "start_date", "end_date")
    autocomplete_fields = ("contact", "organization")


class ContactPositionInline(PositionInline):
    verbose_name = _("position")
    verbose_name_plural = _("positions (a position with no end date is current)")


class OrganizationPositionInline(PositionInline):
    verbose_name = _("person")
    verbose_name_plural = _("people (positions held here)")


@admin.register(Organization)
class OrganizationAdmin(DuplicatesAdminMixin, RelationsImportExportMixin, NameSearchMixin, BaseAdmin):
    resource_classes = [OrganizationResource]
    list_display = ("name", "acronym", "kind", "country", "city", "region", "parent", "is_own_organization")
    list_filter = ("kind", "region", "is_own_organization", "country")
    list_select_related = ("parent",)
    search_fields = ("name", "acronym", "native_name", "alternative_names")
    autocomplete_fields = ("parent", "sources")
    inlines = [OrganizationPositionInline]
    duplicate_matches = staticmethod(
        lambda data: organization_matches(
            name=data.get("name") or "",
            acronym=data.get("acronym") or "",
            native_name=data.get("native_name") or "",
            email=data.get("email") or "",
            country=data.get("country") or "",
        )
    )
    duplicate_pairs = staticmethod(organization_duplicate_pairs)
    merge_service = staticmethod(organization_merge)
    merge_related = (
        (_("positions"), "positions"),
        (_("attendance"), "participations"),
        (_("agreements as party"), "agreement_parties"),
        (_("signatures on its behalf"), "agreement_signatures"),
        (_("events hosted"), "hosted_events"),
        (_("member bodies"), "children"),
    )
    fieldsets = (
        (None, {"fields": ("name", "acronym", "native_name", "alternative_names", "kind", "parent", "is_own_organization")}),
        (_("Where"), {"fields": ("country", "city", "region")}),
        (_("Contact details"), {"fields": ("website", "email", "phone")}),
        (_("Notes and sources"), {"fields": ("notes", "sources")}),
        (_("Record"), {"classes": ("collapse",), "fields": ("created_at", "updated_at")}),
    )


@admin.register(Contact)
class ContactAdmin(DuplicatesAdminMixin, RelationsImportExportMixin, NameSearchMixin, BaseAdmin):
    resource_classes = [ContactResource]
    list_display = ("family_name", "given_name", "honorific", "native_name", "current_positions", "email")
    list_display_links = ("family_name", "given_name")
    list_filter = ("positions__organization__kind", "positions__organization__country")
    list_select_related = ()
    search_fields = ("given_name", "family_name", "native_name", "alternative_names", "email")
    autocomplete_fields = ("sources",)
    inlines = [ContactPositionInline]
    duplicate_matches = staticmethod(
        lambda data: contact_matches(
            given_name=data.get("given_name") or "",
            family_name=data.get("family_name") or "",
            native_name=data.get("native_name") or "",
            email=data.get("email") or "",
        )
    )
    duplicate_pairs = staticmethod(contact_duplicate_pairs)
    merge_service = staticmethod(contact_merge)
    merge_related = ((_("positions"), "positions"), (_("events attended"), "participations"), (_("signatures"), "signatures"))
    fieldsets = (
        (None, {"fields": ("honorific", "given_name", "family_name", "native_name", "alternative_names")}),
        (_("Personal contact details"), {"fields": ("email", "phone", "notes")}),
        (_("Sources"), {"fields": ("sources",)}),
        (_("Record"), {"classes": ("collapse",), "fields": ("created_at", "updated_at")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("positions__organization")

    @admin.display(description=_("current positions"))
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
