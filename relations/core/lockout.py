"""Failed logins (django-axes): who is paused, for how long, and what they are told.

The limit counts failures per username and client address together (settings.AXES_*), on the web
login, the admin login and the API's token endpoint alike, because all three authenticate through
``axes.backends.AxesStandaloneBackend``. The counts are rows in the database, so every worker on
every host sees the same ones.
"""

import math

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import ngettext


def cool_off_minutes() -> int:
    return max(1, math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60))


def lockout_message() -> str:
    minutes = cool_off_minutes()
    return ngettext(
        "Too many failed login attempts. Logging in is paused for this account from your address; "
        "try again in %(minutes)d minute.",
        "Too many failed login attempts. Logging in is paused for this account from your address; "
        "try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """The web and admin logins' answer while paused: a page saying when to try again, 429."""
    response = render(
        request, "registration/locked_out.html", {"message": lockout_message()},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    response["Retry-After"] = str(cool_off_minutes() * 60)
    return response


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or behind RELATIONS_PROXY_COUNT proxies the address the
    outermost one saw, counted from the right of X-Forwarded-For (a client can prepend anything)."""
    count = settings.RELATIONS_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count and forwarded:
        addresses = [address.strip() for address in forwarded.split(",") if address.strip()]
        if addresses:
            return addresses[-min(count, len(addresses))]
    return request.META.get("REMOTE_ADDR")
