"""Outbox settings: a Django setting ``OUTBOX_<NAME>`` wins over the environment variable
``ONEWINDOW_OUTBOX_<NAME>``, which wins over the default.

RETRY_WINDOW_HOURS (26)     keep retrying a delivery this long after its first attempt
FIRST_RETRY_SECONDS (5)     delay after the first failure; doubled after each failure
MAX_RETRY_SECONDS (7200)    longest delay between two attempts
LEASE_MARGIN_SECONDS (30)   a claimed delivery is leased for its timeout plus this margin;
                            a worker that dies holding it frees it when the lease ends
"""

from __future__ import annotations

import os

from django.conf import settings

DEFAULTS = {
    "RETRY_WINDOW_HOURS": 26.0,
    "FIRST_RETRY_SECONDS": 5.0,
    "MAX_RETRY_SECONDS": 7200.0,
    "LEASE_MARGIN_SECONDS": 30.0,
}


def get(name: str) -> float:
    value = getattr(settings, f"OUTBOX_{name}", None)
    if value is None:
        value = os.environ.get(f"ONEWINDOW_OUTBOX_{name}") or DEFAULTS[name]
    return float(value)
