"""API rate limits an integrator can follow (issue 13 §7): every answer under /api/ says how many calls are left
(`RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` in seconds), a 429 says when to come back
(`Retry-After`) with the code `throttled`, and calls that fail to authenticate — anonymous ones, bad or revoked
tokens — count against the caller's address like anonymous calls, so guessing tokens is throttled too."""

from rest_framework import throttling

from .security import client_ip

RATE_STATE = "_npc_rate_limit"


class ReportedRateThrottle:
    """Counts by the address django-axes locks (CLIENT_IP_HEADER behind a trusted proxy), and leaves its state on
    the request for the headers; with several throttles the tightest one is reported."""

    def get_ident(self, request):
        return client_ip(request._request) or super().get_ident(request)

    def allow_request(self, request, view):
        allowed = super().allow_request(request, view)
        if getattr(self, "key", None) is not None:  # set only when this throttle applies to the caller
            remaining = max(self.num_requests - len(self.history), 0)
            reset = self.duration - (self.now - self.history[-1]) if self.history else self.duration
            state = (self.num_requests, remaining, max(int(reset), 0))
            current = getattr(request._request, RATE_STATE, None)
            if current is None or remaining < current[1]:
                setattr(request._request, RATE_STATE, state)
        return allowed


class AnonRateThrottle(ReportedRateThrottle, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(ReportedRateThrottle, throttling.UserRateThrottle):
    pass


def failed_authentication_throttled(request, view) -> throttling.BaseThrottle | None:
    """Count a call that failed to authenticate like an anonymous one; the throttle if it is over the limit."""
    throttle = AnonRateThrottle()
    return None if throttle.allow_request(request, view) else throttle


def rate_limit_headers(get_response):
    def middleware(request):
        response = get_response(request)
        state = getattr(request, RATE_STATE, None)
        if state is not None:
            response["RateLimit-Limit"], response["RateLimit-Remaining"], response["RateLimit-Reset"] = map(str, state)
        return response

    return middleware
