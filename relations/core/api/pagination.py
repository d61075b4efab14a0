from django import forms
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import IntegerField, QuerySet, Subquery
from django.db.models.query import ValuesIterable
from rest_framework import pagination
from rest_framework.exceptions import ValidationError

from relations.core.api import statements

MAX_PAGE_SIZE = 200
# Past this many rows an OFFSET overflows the databases' 64-bit integers (a 500 from SQLite and
# PostgreSQL alike, found by the API fuzz step); no list is that long, so such a page is past the end.
MAX_OFFSET = 2**62


class PageParametersForm(forms.Form):
    page = forms.IntegerField(min_value=1, required=False)
    page_size = forms.IntegerField(min_value=1, max_value=MAX_PAGE_SIZE, required=False)


class MatchCount(Subquery):
    """The number of rows of a queryset, as a scalar subquery. It does not depend on the outer row, so
    SQLite and PostgreSQL compute it once per query; unlike ``COUNT(*) OVER ()``, it leaves the page
    query free to stop after the page's rows (on an index of the ordering) instead of reading, sorting
    and counting every match with all its columns."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) matches)"
    output_field = IntegerField()

    def __init__(self, queryset):
        super().__init__(queryset.order_by().values("pk"))


def stable_order(queryset: QuerySet) -> QuerySet:
    """``queryset`` in its own order, with the primary key as the last key if it is not there yet.

    Pages are slices (LIMIT/OFFSET) of that order: where rows tie on every sort key (two people of the
    same name, two events of one day and title) a database may return the tied rows in another order
    for each page, so that one row shows on two pages and another on none. PostgreSQL does; the key
    makes every order total. An ordering already ending with the primary key is left as it is.
    """
    query, meta = queryset.query, queryset.model._meta
    ordering = list(query.order_by) or (list(meta.ordering) if query.default_ordering else [])
    if ordering and isinstance(ordering[-1], str) and ordering[-1].lstrip("-") in ("pk", meta.pk.name, meta.pk.attname):
        return queryset
    return queryset.order_by(*ordering, "pk")


class OneQueryPaginator(Paginator):
    """A paginator whose page query also counts the matches (``MatchCount``): no separate COUNT.

    Only a page with no rows (an empty list, or a number past the end) asks for the count apart.
    The page's rows may be records or values() dicts. The order is made total (``stable_order``).
    """

    def __init__(self, object_list, *args, **kwargs):
        if isinstance(object_list, QuerySet):
            object_list = stable_order(object_list)
        super().__init__(object_list, *args, **kwargs)

    def page(self, number):
        if not isinstance(self.object_list, QuerySet):
            return super().page(number)
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"])
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        bottom = (number - 1) * self.per_page
        if bottom > MAX_OFFSET:
            raise EmptyPage(self.error_messages["no_results"])
        page = self.object_list.annotate(_matches=MatchCount(self.object_list))[bottom : bottom + self.per_page]
        rows = statements.values(page) if page._iterable_class is ValuesIterable else list(page)
        if rows:
            first = rows[0]
            # Paginator.count is a cached_property
            self.__dict__["count"] = first.pop("_matches") if isinstance(first, dict) else first._matches
            for row in rows[1:] if isinstance(first, dict) else ():
                del row["_matches"]
        return self._get_page(rows, self.validate_number(number), self)


class PageNumberPagination(pagination.PageNumberPagination):
    """``?page=`` and ``?page_size=`` (1 to 200); a malformed value is a 400 naming the parameter.

    The page and the number of matches come from one query (``OneQueryPaginator``).
    """

    django_paginator_class = OneQueryPaginator

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    last_page_strings = ()

    def paginate_queryset(self, queryset, request, view=None):
        form = PageParametersForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=MAX_PAGE_SIZE, default=self.page_size)
        return parameters
