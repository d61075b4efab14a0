"""Optimistic concurrency on the API: an ETag on every record read or written, If-Match on writes.

A detail GET and every write answer carry the record's version as a strong ``ETag``
(relations/core/concurrency.py). A PUT, PATCH or DELETE that sends ``If-Match`` is carried
out only if one of its tags is the record's current version (or it is a bare ``*``); otherwise the
answer is 412 Precondition Failed, nothing is saved, and the body gives the current version.
The check and the save run in one transaction with the record reloaded and its row locked
(``SELECT ... FOR UPDATE`` where the database has it; SQLite's write transactions take the whole
database), so of two clients that read the same version and both write, the second is refused,
and every write - with If-Match, ``*`` or none - starts from the row as committed when it got the
lock: a PATCH never writes back an older value of a field it did not send.

Without ``If-Match`` a write is unconditional, as it was before ETags existed: existing
clients and scripts keep working, and a client opts into the protection by sending the tag
it read. A weak tag (``W/"..."``) never matches (RFC 9110's strong comparison), nor does a quoted
``"*"`` (an ordinary tag, not the wildcard). A body in another format than JSON (``?format=csv``)
has its own tag, ``"<version>-csv"``: writes take and answer JSON, so they compare with the JSON tag.

A write that PostgreSQL aborts because another write locked the same rows in the other order (a
deadlock: relations/core/concurrency.py) runs once more from the start - the record fetched again,
the serializer rebuilt from the request - and answers as that second attempt does (often 200; 412
when the other write moved the version named by If-Match). Aborted twice, it answers 409 (exceptions.py).
"""

from django.db import router, transaction
from django.http import Http404
from django.utils.translation import gettext
from rest_framework import status
from rest_framework.exceptions import APIException, NotFound
from rest_framework.response import Response

from relations.core.api.detail import NOT_COMPILED, fetch_detail, represent_detail
from relations.core.concurrency import (
    StaleRecordError,
    check_loaded_version,
    etag,
    parse_if_match,
    reload_locked,
    retry_on_write_conflict,
)

# Stands in for an If-Match header that names no strong tag: it is never a version, so never matches.
NO_STRONG_TAG = "W/"


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"

    def __init__(self, *, record: str, current: str):
        super().__init__(
            {
                "detail": gettext(
                    "This %(record)s changed since you read it, so your change was not saved (nothing was "
                    "overwritten). Its current version is %(version)s: read it again, then send your change "
                    "with If-Match set to its new ETag."
                )
                % {"record": record, "version": current},
                "current_version": current,
            }
        )
        self.current = current


def lock_and_check(request, instance) -> None:
    """Reload ``instance`` with its row locked, then raise PreconditionFailed unless If-Match names its version.

    Call inside the transaction that then writes. The reload happens with or without If-Match: the
    write starts from the row as it is once locked, not as get_object() read it before, so a PATCH
    does not put back a field that someone else changed in between. No If-Match: nothing is checked.
    """
    if not reload_locked(instance):  # deleted since get_object() found it
        raise NotFound
    header = request.headers.get("If-Match")
    if header is None:
        return
    try:
        check_loaded_version(instance, parse_if_match(header) or [NO_STRONG_TAG])
    except StaleRecordError as error:
        raise PreconditionFailed(record=str(instance._meta.verbose_name), current=error.current) from error


class VersionedReadMixin:
    """A detail GET carries the record's ETag.

    Without a query string (the usual case) it takes the lean path: the list's filters, which given no
    parameter filter nothing, are skipped, and the body is built by relations/core/api/detail.py without
    rebuilding the serializer's fields (tests/test_api_detail_lean.py checks both against DRF's way). A
    query string can change which record is found (the filters) and the URLs in the body (DRF keeps
    ``?format=`` in them), so it takes DRF's own way.
    """

    def _lean(self) -> bool:
        return self.action == "retrieve" and not self.request.query_params

    def filter_queryset(self, queryset):
        return queryset if self._lean() else super().filter_queryset(queryset)

    def get_object(self):
        # The record and its nested lists by queries compiled once (detail.py), when the id allows it.
        instance = fetch_detail(self) if self._lean() else NOT_COMPILED
        if instance is NOT_COMPILED:
            return super().get_object()
        if instance is None:  # as get_object_or_404 says it
            raise Http404(f"No {self.queryset.model._meta.object_name} matches the given query.")
        self.check_object_permissions(self.request, instance)
        return instance

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        data = represent_detail(self, instance) if self._lean() else self.get_serializer(instance).data
        return Response(data, headers={"ETag": etag(instance, request.accepted_renderer.format)})


class VersionedWriteMixin(VersionedReadMixin):
    """Writes answer with the new ETag and honour If-Match; check and write in one transaction, run again once
    if the database aborts it as a deadlock's victim."""

    def _using(self):
        return router.db_for_write(self.get_queryset().model)

    def _atomic(self):
        return transaction.atomic(using=self._using())

    def create(self, request, *args, **kwargs):
        def write():
            # One transaction, so that an attempt the database aborts leaves nothing behind for the retry.
            with self._atomic():
                serializer = self.get_serializer(data=request.data)
                serializer.is_valid(raise_exception=True)
                self.perform_create(serializer)
            return serializer

        serializer = retry_on_write_conflict(write, using=self._using())
        headers = {**self.get_success_headers(serializer.data),
                   "ETag": etag(serializer.instance, request.accepted_renderer.format)}
        return Response(serializer.data, status=status.HTTP_201_CREATED, headers=headers)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)

        def write():
            with self._atomic():
                instance = self.get_object()
                # Before validation: a stale write is refused whatever it contains.
                lock_and_check(request, instance)
                serializer = self.get_serializer(instance, data=request.data, partial=partial)
                serializer.is_valid(raise_exception=True)
                self.perform_update(serializer)
            return instance, serializer

        instance, serializer = retry_on_write_conflict(write, using=self._using())
        if getattr(instance, "_prefetched_objects_cache", None):
            # As DRF does: the prefetched relations are stale after the write.
            instance._prefetched_objects_cache = {}
        return Response(serializer.data, headers={"ETag": etag(serializer.instance, request.accepted_renderer.format)})

    def destroy(self, request, *args, **kwargs):
        def write():
            with self._atomic():
                instance = self.get_object()
                lock_and_check(request, instance)
                self.perform_destroy(instance)

        retry_on_write_conflict(write, using=self._using())
        return Response(status=status.HTTP_204_NO_CONTENT)
