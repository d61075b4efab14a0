"""API throttles: DRF's anonymous and per-user rates and the token endpoint's, all counting the same client address.

DRF's own ``get_ident`` believes X-Forwarded-For from anyone (REST_FRAMEWORK["NUM_PROXIES"] counts
hops, whoever sent them); here every throttle asks relations.core.lockout.client_ip, which reads the
header only from RELATIONS_TRUSTED_PROXIES - the address the login limit counts too.
"""

from rest_framework import throttling

from relations.core.lockout import client_ip


class ClientAddressMixin:
    """A throttle that identifies an anonymous client (or a token try) by ``client_ip``."""

    def get_ident(self, request):
        return client_ip(request)


class AnonRateThrottle(ClientAddressMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(ClientAddressMixin, throttling.UserRateThrottle):
    pass


class TokenRateThrottle(ClientAddressMixin, throttling.SimpleRateThrottle):
    """Password tries at the token endpoint, per client address (RELATIONS_API_TOKEN_RATE), logged in or not."""

    scope = "token"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
