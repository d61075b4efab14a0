"""Failed logins (django-axes): who is paused, for how long, and what they are told.

The limit counts failures per username and client address together (settings.AXES_*), on the web
login, the admin login and the API's token endpoint alike, because all three authenticate through
``axes.backends.AxesStandaloneBackend``. The counts are rows in the database, so every worker on
every host sees the same ones.
"""

import functools
import ipaddress
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


def _address(text: str | None):
    """An IP address from REMOTE_ADDR or an X-Forwarded-For entry; IPv4-mapped IPv6 as IPv4; None for anything else."""
    try:
        address = ipaddress.ip_address((text or "").strip())
    except ValueError:
        return None
    return getattr(address, "ipv4_mapped", None) or address


@functools.lru_cache(maxsize=8)
def _trusted_networks(networks: tuple[str, ...]):
    return tuple(ipaddress.ip_network(network) for network in networks)


def _trusted(address) -> bool:
    return any(address in network for network in _trusted_networks(tuple(settings.RELATIONS_TRUSTED_PROXIES)))


def client_ip(request) -> str | None:
    """The client's address, for the login limit (AXES_CLIENT_IP_CALLABLE) and every API throttle.

    REMOTE_ADDR, unless it is one of RELATIONS_TRUSTED_PROXIES: then X-Forwarded-For is read from the
    right - each entry was appended by the hop to its right - past every trusted proxy, and the first
    address no trusted proxy owns is the client. Whatever a client writes into the header itself lies
    further left and is never reached. When the chain runs out (every entry trusted) or an entry is no
    address, the last trusted hop's view stands: the address it saw, never an earlier, client-written one.
    """
    remote = request.META.get("REMOTE_ADDR")
    client = _address(remote)
    if client is None:
        return remote
    if not _trusted(client):
        return str(client)
    for entry in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        hop = _address(entry)
        if hop is None:
            break
        client = hop
        if not _trusted(hop):
            break
    return str(client)
