"""Pure delivery rules: the retry schedule (exponential backoff with a deterministic
jitter, capped, for the retry window) and what counts as a successful answer."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

JITTER = 0.1  # delays are stretched by up to 10 %, so retries of many deliveries spread


def jitter_for(delivery_id: int, attempts: int) -> float:
    """A fraction in [0, JITTER), the same for the same delivery and attempt."""
    digest = hashlib.sha256(f"{delivery_id}:{attempts}".encode()).digest()
    return JITTER * int.from_bytes(digest[:4], "big") / 2**32


def backoff(attempts: int, *, first: float, cap: float, jitter: float = 0.0) -> timedelta:
    """Delay after the `attempts`-th failed attempt: first, 2·first, 4·first … ≤ cap."""
    seconds = min(first * 2 ** max(attempts - 1, 0), cap)
    return timedelta(seconds=seconds * (1 + jitter))


def next_attempt_at(
    *,
    now: datetime,
    first_attempt_at: datetime,
    attempts: int,
    first: float,
    cap: float,
    window: timedelta,
    jitter: float = 0.0,
) -> datetime | None:
    """When to try again after a failure: after the backoff delay, but no later than the end
    of the retry window (a last attempt is made right at its end); None once it is over."""
    end = first_attempt_at + window
    if now >= end:
        return None
    return min(now + backoff(attempts, first=first, cap=cap, jitter=jitter), end)


def schedule(*, first: float, cap: float, window: timedelta) -> list[timedelta]:
    """Offsets from the first attempt of every attempt a never-answering endpoint gets."""
    start = datetime(2000, 1, 1)
    offsets, attempts = [timedelta(0)], 1
    while True:
        when = next_attempt_at(
            now=start + offsets[-1],
            first_attempt_at=start,
            attempts=attempts,
            first=first,
            cap=cap,
            window=window,
        )
        if when is None:
            return offsets
        offsets.append(when - start)
        attempts += 1


def succeeded(status_code: int) -> bool:
    return 200 <= status_code < 300
