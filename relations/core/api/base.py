"""The base of every API viewset: permissions, filters, pagination and CSV come from settings and this class."""

from rest_framework import viewsets

from relations.core.api.lean import represent
from relations.core.api.preconditions import VersionedReadMixin, VersionedWriteMixin
from relations.core.api.renderers import api_columns
from relations.core.exports import csv_response, stream
from relations.core.services import delete_as

CSV_CHUNK_SIZE = 500


def csv_streaming_response(*, queryset, serializer, filename: str):
    """Every row of ``queryset`` serialized by ``serializer`` (a many=True serializer), streamed as CSV.

    Rows are fetched in chunks; each chunk runs the queryset's prefetches once, so the number of
    queries grows with the number of chunks, not of rows.
    """
    child = serializer.child
    row = represent(child)
    rows = (row(obj) for obj in stream(queryset, CSV_CHUNK_SIZE))
    # Readable fields only: a write-only field (an agreement's uploaded document) has no column.
    return csv_response(f"{filename}.csv", rows, api_columns([field.field_name for field in child._readable_fields]))


class CSVListMixin:
    """A list that also answers ``?format=csv`` with all matching rows, unpaginated and streamed.

    Any id in the path reaches the view (the router's default stops at a dot), so ``/api/x/1.5/``
    is the view's JSON 404 rather than an unmatched URL.
    """

    lookup_value_regex = "[^/]+"

    def list(self, request, *args, **kwargs):
        if request.accepted_renderer.format == "csv":
            queryset = self.filter_queryset(self.get_queryset())
            return csv_streaming_response(
                queryset=queryset,
                serializer=self.get_serializer(queryset, many=True),
                filename=self.get_queryset().model._meta.verbose_name_plural.replace(" ", "_"),
            )
        return super().list(request, *args, **kwargs)


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
