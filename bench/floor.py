"""The FLOOR: what the framework costs before any of our code runs.

Each floor view answers with pre-encoded JSON bytes of a requested size, behind the same middleware
and the same authentication as the endpoint it is compared with, so the ratio "endpoint / floor"
isolates the cost of our queries, serializers and templates. Mounted only by bench/urls.py.
"""

from functools import lru_cache

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.views import View
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

MAX_BYTES = 16 * 1024 * 1024


@lru_cache(maxsize=256)
def json_bytes(size: int) -> bytes:
    """A valid JSON document of exactly ``size`` bytes (at least 2: ``{}``), built once per size."""
    frame = b'{"floor":""}'
    if size <= len(frame):
        return b"{}" + b" " * max(0, size - 2)
    return b'{"floor":"' + b"x" * (size - len(frame)) + b'"}'


def floor_response(size: int) -> HttpResponse:
    return HttpResponse(json_bytes(min(size, MAX_BYTES)), content_type="application/json")


class ApiFloorView(APIView):
    """The API's authentication (token or session) and throttling, then the bytes.

    Permission is only "authenticated": the floor has no model to check a view permission on.
    """

    permission_classes = [IsAuthenticated]

    def get(self, request, size: int):
        return floor_response(size)


class WebFloorView(LoginRequiredMixin, View):
    """The web pages' session login, then the bytes."""

    def get(self, request, size: int):
        return floor_response(size)
