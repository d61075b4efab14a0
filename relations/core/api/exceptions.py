"""Every API error is JSON: DRF's handler, plus protected deletes (409), writes the database aborted because of
another write at the same moment (409), model validation (400) and the rest (500)."""

import logging

from django.core import signals
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import OperationalError
from django.db.models import ProtectedError, RestrictedError
from django.http import JsonResponse
from django.utils.translation import gettext
from django.views import defaults
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from relations.core.api.preconditions import PreconditionFailed
from relations.core.concurrency import WriteConflictError, is_write_conflict, write_conflict_message
from relations.core.services import NestedValidationError

logger = logging.getLogger("relations.api")

MAX_BLOCKING_LISTED = 50


def blocking_records(objects) -> list[dict]:
    """What still points to a record, as JSON: the kind, the id and the name of each."""
    return [
        {"model": obj._meta.label_lower, "type": str(obj._meta.verbose_name), "id": obj.pk, "name": str(obj)}
        for obj in list(objects)[:MAX_BLOCKING_LISTED]
    ]


def _field_errors(error) -> dict:
    """A model ValidationError as DRF's {field: [messages]}, non-field errors under DRF's usual key."""
    detail = as_serializer_error(error)
    if NON_FIELD_ERRORS in detail:
        detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
    return detail


def nested_errors(error: NestedValidationError) -> dict:
    """{field: [...], "signatories": [{}, {"organization": [...]}]}: one entry per submitted row."""
    detail = _field_errors(error.record) if error.record is not None else {}
    for name, rows in error.items.items():
        detail[name] = [_field_errors(row) if row is not None else {} for row in rows]
    return detail


def exception_handler(exc, context):
    request = context.get("request")
    if isinstance(exc, ProtectedError | RestrictedError):
        objects = list(exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects)
        response = Response(
            {
                "detail": gettext(
                    "This record cannot be deleted: other records still point to it. Remove or change them first."
                ),
                "blocking_count": len(objects),
                "blocking": blocking_records(objects),
            },
            status=status.HTTP_409_CONFLICT,
        )
    elif isinstance(exc, WriteConflictError) or (isinstance(exc, OperationalError) and is_write_conflict(exc)):
        # A deadlock's victim aborted again after its retry (preconditions.py), or one reaching here another way.
        logger.warning("A write was aborted by the database because of another write", exc_info=exc)
        response = Response({"detail": write_conflict_message()}, status=status.HTTP_409_CONFLICT)
    else:
        if isinstance(exc, NestedValidationError):
            exc = ValidationError(nested_errors(exc))
        elif isinstance(exc, DjangoValidationError):
            exc = ValidationError(_field_errors(exc))
        response = drf_exception_handler(exc, context)
        if isinstance(exc, PreconditionFailed):
            response["ETag"] = f'"{exc.current}"'
        if response is None:
            logger.error("Unhandled error in the API", exc_info=exc)
            if request is not None:
                # Lets the test client re-raise the error, as Django does for its own 500 pages.
                signals.got_request_exception.send(sender=None, request=request._request)
            response = Response(
                {"detail": gettext("An unexpected error happened on the server; it has been logged.")},
                status=status.HTTP_500_INTERNAL_SERVER_ERROR,
            )
    # Errors are JSON even when the client asked for CSV.
    if request is not None and getattr(getattr(request, "accepted_renderer", None), "format", "json") != "json":
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = JSONRenderer.media_type
    return response


# Django's own 404 and 500 pages are HTML; under /api/ a client gets JSON there too
# (a path no route matches, an error outside the views). Installed in relations/urls.py.
def page_not_found(request, exception):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": gettext("Not found.")}, status=status.HTTP_404_NOT_FOUND)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": gettext("An unexpected error happened on the server; it has been logged.")},
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    return defaults.server_error(request)
