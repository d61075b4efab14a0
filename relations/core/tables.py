"""The table base shared by every list page (django-tables2)."""

import django_tables2 as tables
from django.db.models import QuerySet

from relations.core.api.pagination import stable_order

PAGE_SIZES = (25, 50, 100)


class RecordTable(tables.Table):
    """A list page's table.

    Columns sort through the same ``ordering`` parameter as the FilterSet (and the API), so a
    sorted list is one URL everywhere; only columns whose name is one of the FilterSet's
    ordering choices are declared orderable. The page size is one of PAGE_SIZES, whatever the URL says.
    """

    class Meta:
        abstract = True
        orderable = False
        order_by_field = "ordering"
        per_page = PAGE_SIZES[0]
        template_name = "core/table.html"
        attrs = {"class": "records"}

    def before_render(self, request):
        # Every cell repeats its column's header (data-label, for the phone layout). Work each
        # translated header out once per table rather than once per cell (a model-field look-up
        # and a catalogue look-up each time).
        super().before_render(request)
        for bound_column in self.columns:
            bound_column.column.verbose_name = str(bound_column.header)

    def paginate(self, *args, per_page=None, **kwargs):
        if per_page not in PAGE_SIZES:
            per_page = PAGE_SIZES[0]
        # Pages of a total order: rows that tie on every sort key neither repeat nor go missing.
        if isinstance(self.data.data, QuerySet):
            self.data.data = stable_order(self.data.data)
        return super().paginate(*args, per_page=per_page, **kwargs)
