"""The retry schedule: exponential, capped, jittered within 10 %, at least 24 hours."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from onewindow.notifications import policies

FIRST, CAP, WINDOW = 5.0, 7200.0, timedelta(hours=26)


def test_backoff_doubles_then_caps():
    delays = [policies.backoff(n, first=FIRST, cap=CAP).total_seconds() for n in range(1, 14)]
    assert delays == [5, 10, 20, 40, 80, 160, 320, 640, 1280, 2560, 5120, 7200, 7200]


def test_a_silent_endpoint_is_tried_for_more_than_24_hours():
    offsets = policies.schedule(first=FIRST, cap=CAP, window=WINDOW)
    assert len(offsets) == 24
    assert offsets[-2] == timedelta(seconds=10235 + 11 * 7200)  # 24 h 50 min 35 s
    assert offsets[-1] == WINDOW  # a last attempt right at the end of the 26 hours


def test_no_retry_after_the_window():
    start = datetime(2026, 12, 3, tzinfo=UTC)
    late = start + timedelta(hours=25, minutes=30)
    assert (
        policies.next_attempt_at(
            now=late, first_attempt_at=start, attempts=22, first=FIRST, cap=CAP, window=WINDOW
        )
        == start + WINDOW
    )
    assert (
        policies.next_attempt_at(
            now=start + WINDOW,
            first_attempt_at=start,
            attempts=23,
            first=FIRST,
            cap=CAP,
            window=WINDOW,
        )
        is None
    )
    early = start + timedelta(hours=1)
    assert policies.next_attempt_at(
        now=early, first_attempt_at=start, attempts=3, first=FIRST, cap=CAP, window=WINDOW
    ) == early + timedelta(seconds=20)


@given(st.integers(min_value=1, max_value=10_000), st.integers(min_value=1, max_value=60))
def test_jitter_is_deterministic_and_below_ten_percent(delivery_id, attempts):
    jitter = policies.jitter_for(delivery_id, attempts)
    assert jitter == policies.jitter_for(delivery_id, attempts)
    assert 0 <= jitter < 0.1
    delay = policies.backoff(attempts, first=FIRST, cap=CAP, jitter=jitter).total_seconds()
    assert min(FIRST * 2 ** (attempts - 1), CAP) <= delay < 1.1 * CAP


@given(st.integers(min_value=1, max_value=59))
def test_delays_never_shrink(attempts):
    now = policies.backoff(attempts, first=FIRST, cap=CAP)
    assert policies.backoff(attempts + 1, first=FIRST, cap=CAP) >= now


def test_only_2xx_is_success():
    assert [policies.succeeded(c) for c in (199, 200, 204, 299, 300, 410, 500)] == [
        False, True, True, True, False, False, False,
    ]  # fmt: skip
