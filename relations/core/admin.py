from django.conf import settings
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from relations.core.models import Framework, Source, Topic

admin.site.site_header = f"Relations — {settings.RELATIONS_OFFICE_NAME}"
admin.site.site_title = "Relations admin"
admin.site.index_title = "Data entry"


class BaseAdmin(SimpleHistoryAdmin):
    """Common ground for every Relations admin: history, timestamps shown read-only."""

    readonly_fields = ("created_at", "updated_at")
    list_per_page = 100
    show_full_result_count = False


@admin.register(Source)
class SourceAdmin(BaseAdmin):
    list_display = ("title", "kind", "publisher", "agency", "published_on", "language")
    list_filter = ("kind", "language", "publisher")
    list_select_related = ()
    search_fields = ("title", "publisher", "agency", "summary", "url")
    date_hierarchy = "published_on"
    autocomplete_fields = ()


@admin.register(Topic)
class TopicAdmin(BaseAdmin):
    list_display = ("name", "slug")
    list_filter = ()
    list_select_related = ()
    search_fields = ("name", "description")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ()


@admin.register(Framework)
class FrameworkAdmin(BaseAdmin):
    list_display = ("name", "url")
    list_filter = ()
    list_select_related = ()
    search_fields = ("name", "description")
    autocomplete_fields = ()


class NameSearchMixin:
    """Admin search (and autocomplete) that also matches the record's normalised search key,
    so "Al-Sada", "Alsada" and a Cyrillic spelling find the same record."""

    def get_search_results(self, request, queryset, search_term):
        from relations.core.filters import search_key_filter

        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            results = results | search_key_filter(queryset, search_term)
        return results, may_have_duplicates
