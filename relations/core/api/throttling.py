"""API throttles beyond DRF's anonymous and per-user rates."""

from rest_framework.throttling import SimpleRateThrottle


class TokenRateThrottle(SimpleRateThrottle):
    """Password tries at the token endpoint, per client address (RELATIONS_API_TOKEN_RATE), logged in or not.

    The address is REMOTE_ADDR, or behind proxies the one X-Forwarded-For gives (REST_FRAMEWORK["NUM_PROXIES"]).
    """

    scope = "token"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
