"""The public site faces the internet: each address may ask it PUBLIC_RATE_LIMIT times per period ("120/min"; empty
or 0: no limit), counted in the cache like the API's throttles (shared by every worker with REDIS_URL), by the
address django-axes and the API see (CLIENT_IP_HEADER behind a trusted proxy). One counter per address and window:
a constant cost per request, whatever is asked."""

import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from npc_tracker.security import client_ip

PERIODS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600, "hour": 3600,
           "d": 86400, "day": 86400}


def parse_rate(rate: str | None) -> tuple[int, int] | None:
    """"120/min" → (120, 60); None for no limit. A rate that cannot be read is ImproperlyConfigured: the app checks
    the setting when it starts (public.apps), so a mistake stops the server instead of failing every page."""
    if not rate:
        return None
    count, _slash, period = str(rate).partition("/")
    try:
        limit, seconds = int(count), PERIODS[period.strip().lower()]
    except (ValueError, KeyError):
        raise ImproperlyConfigured(f"PUBLIC_RATE_LIMIT={rate!r}: write N/s, N/min, N/hour or N/day") from None
    return (limit, seconds) if limit > 0 else None


def over_limit(request) -> int | None:
    """Count this request; the seconds to wait when the address is over its limit, else None."""
    rate = parse_rate(getattr(settings, "PUBLIC_RATE_LIMIT", None))
    if rate is None:
        return None
    limit, seconds = rate
    now = time.time()
    window = int(now // seconds)
    key = f"public-rate:{client_ip(request) or '-'}:{window}"
    cache.add(key, 0, timeout=seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=seconds + 1)
        count = 1
    if count <= limit:
        return None
    return max(int((window + 1) * seconds - now), 1)


def rate_limited(too_many):
    """Refuse with `too_many(request, retry_after)` (a 429) over the limit."""
    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            retry_after = over_limit(request)
            if retry_after is not None:
                return too_many(request, retry_after)
            return view(request, *args, **kwargs)
        return wrapped
    return decorate
