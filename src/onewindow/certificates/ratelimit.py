"""Rate limit of public verifications per client, without keeping the client's address.

The limiter key is a *bucket*: HMAC-SHA256 of the client address under a salt derived from
SECRET_KEY and today's date, truncated — it changes every day and is never stored in the
verification log. Counters live in the Django cache named by `CERTIFICATE_RATE_LIMIT_CACHE`
(shared by all servers, e.g. Redis) or, by default, in each server process (fixed windows;
with N processes a client gets at most N times the limit).
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from datetime import date

from django.conf import settings
from django.core.cache import caches

from onewindow.certificates import conf

_lock = threading.Lock()
_counts: dict[tuple[str, int], int] = {}
_window: list[int] = [0]


def client_bucket(address: str, day: date | None = None) -> str:
    salt = hmac.new(
        settings.SECRET_KEY.encode(),
        f"verify-bucket:{day or date.today()}".encode(),
        hashlib.sha256,
    ).digest()
    return hmac.new(salt, address.encode(), hashlib.sha256).hexdigest()[:20]


def _local_hit(bucket: str, window: int) -> int:
    with _lock:
        if window != _window[0]:
            _counts.clear()
            _window[0] = window
        count = _counts.get((bucket, window), 0) + 1
        _counts[(bucket, window)] = count
        return count


def _cache_hit(alias: str, bucket: str, window: int, seconds: int) -> int:
    cache = caches[alias]
    key = f"ow:verify:{bucket}:{window}"
    cache.add(key, 0, timeout=seconds * 2)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds * 2)
        return 1


def allow(address: str, now: float | None = None) -> bool:
    """Count one verification for this client; False once it is over the limit."""
    limit, seconds = conf.rate_limit()
    window = int((now if now is not None else time.time()) // seconds)
    bucket = client_bucket(address)
    alias = conf.rate_limit_cache()
    count = _cache_hit(alias, bucket, window, seconds) if alias else _local_hit(bucket, window)
    return count <= limit


def reset() -> None:
    with _lock:
        _counts.clear()
