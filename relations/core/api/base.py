"""The base of every API viewset: permissions, filters, pagination and CSV come from settings and this class."""

from rest_framework import viewsets

from relations.core.api.detail import kept_plan
from relations.core.api.lean import represent, values_plan
from relations.core.api.preconditions import VersionedReadMixin, VersionedWriteMixin
from relations.core.api.renderers import api_columns
from relations.core.exports import csv_response, stream
from relations.core.services import delete_as

CSV_CHUNK_SIZE = 500


def page_plan(view):
    """``(serializer, plan)`` for a page of the view's list: built once per thread for what the fields
    depend on (the key of API details, relations/core/api/detail.py: serializer class, user and
    permissions, scheme, host...), as rebuilding a serializer's fields costs as much as a page's rows."""

    def build():
        serializer = view.get_serializer()
        return serializer, values_plan(serializer)

    return kept_plan(view, "page_plans", build)


def csv_streaming_response(*, queryset, child, plan, filename: str):
    """Every row of ``queryset`` as ``child`` (a serializer) represents it, streamed as CSV.

    Rows are fetched in chunks, built by ``plan`` (a lean.values_plan) or, without one, from the
    records with their prefetches: the number of queries grows with the number of chunks, not of rows.
    """
    if plan is not None:
        rows = plan.stream(queryset, CSV_CHUNK_SIZE)
    else:
        row = represent(child)
        rows = (row(obj) for obj in stream(queryset, CSV_CHUNK_SIZE))
    # Readable fields only: a write-only field (an agreement's uploaded document) has no column.
    return csv_response(f"{filename}.csv", rows, api_columns([field.field_name for field in child._readable_fields]))


class CSVListMixin:
    """A list that also answers ``?format=csv`` with all matching rows, unpaginated and streamed.

    Pages and CSV rows are built from values() queries by the serializer's ``values_plan`` (see
    lean.py; ``lean_values = False`` turns that off, as the tests do to compare with DRF's output).
    Any id in the path reaches the view (the router's default stops at a dot), so ``/api/x/1.5/``
    is the view's JSON 404 rather than an unmatched URL.
    """

    lookup_value_regex = "[^/]+"
    lean_values = True

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        if request.accepted_renderer.format == "csv":
            child = self.get_serializer()
            return csv_streaming_response(
                queryset=queryset,
                child=child,
                plan=values_plan(child) if self.lean_values else None,
                filename=self.get_queryset().model._meta.verbose_name_plural.replace(" ", "_"),
            )
        serializer, plan = page_plan(self) if self.lean_values else (None, None)
        if plan is None:
            page = self.paginate_queryset(queryset)
            return self.get_paginated_response(self.get_serializer(page, many=True).data)
        page = self.paginate_queryset(plan.queryset(queryset))
        # A method field reads the request from the serializer's context while representing.
        serializer._context = self.get_serializer_context()
        try:
            rows = plan.rows(page)
        finally:
            serializer._context = {}
        return self.get_paginated_response(rows)


class RelationsViewSet(VersionedWriteMixin, CSVListMixin, viewsets.ModelViewSet):
    """Writes go through the serializer's service with the user (for the history); deletes refused with 409
    while other records point to the record (see exceptions.py); ETag and If-Match (see preconditions.py)."""

    def perform_create(self, serializer):
        serializer.save(user=self.request.user)

    def perform_update(self, serializer):
        serializer.save(user=self.request.user)

    def perform_destroy(self, instance):
        delete_as(instance, user=self.request.user)


class RelationsReadOnlyViewSet(VersionedReadMixin, CSVListMixin, viewsets.ReadOnlyModelViewSet):
    pass
