"""Configuration of the certificates app, each with a default for the embedded setup.

A Django setting wins over the environment variable of the same meaning:

- key directory: `KEY_DIR` / `ONEWINDOW_KEY_DIR` (default `$ONEWINDOW_HOME/keys`); this app's
  private keys live in its `certificates/` sub-folder, one file per key, mode 0600.
- `CERTIFICATE_VERIFY_RATE_LIMIT` / `ONEWINDOW_VERIFY_RATE_LIMIT`: public verifications per
  client address per window, ``count/seconds`` (default ``60/60``).
- `CERTIFICATE_RATE_LIMIT_CACHE`: a Django cache alias shared by all app servers (e.g. Redis);
  empty (default): a counter inside each server process.
- `CERTIFICATE_VERIFICATION_LOG_BATCH` / `ONEWINDOW_VERIFY_LOG_BATCH`: verification log rows
  written together (default 100; 1 under tests: each row at once); rows wait at most
  `CERTIFICATE_VERIFICATION_LOG_SECONDS` (default 1).
- `PUBLIC_BASE_URL`: printed in the QR code's verification address.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings

QR_PREFIX = "OW1:"
VERIFY_PATH = "/v/"
QUERY_PARAMETER = "c"
MAX_INPUT_CHARS = 4096  # a printed QR holds far less; anything longer is refused unread
MAX_COMPRESSED_BYTES = 3000
MAX_PAYLOAD_BYTES = 4096  # zlib output cap: a small input cannot inflate into a large one
REVOCATION_NAMESPACE = "onewindow-revocation-v1"
CLOCK_SKEW_SECONDS = 300
TRUST_LIST_TTL_SECONDS = 30


def key_dir() -> Path:
    configured = getattr(settings, "KEY_DIR", None) or os.environ.get("ONEWINDOW_KEY_DIR")
    return Path(configured) if configured else Path(settings.HOME) / "keys"


def certificate_key_dir() -> Path:
    return key_dir() / "certificates"


def rate_limit() -> tuple[int, int]:
    value = str(
        getattr(settings, "CERTIFICATE_VERIFY_RATE_LIMIT", None)
        or os.environ.get("ONEWINDOW_VERIFY_RATE_LIMIT")
        or "60/60"
    )
    count, _, seconds = value.partition("/")
    return max(int(count), 1), max(int(seconds or 60), 1)


def rate_limit_cache() -> str:
    return str(getattr(settings, "CERTIFICATE_RATE_LIMIT_CACHE", "") or "")


def public_base_url() -> str:
    return str(settings.PUBLIC_BASE_URL).rstrip("/")


def verification_log_batch() -> int:
    configured = getattr(settings, "CERTIFICATE_VERIFICATION_LOG_BATCH", None) or os.environ.get(
        "ONEWINDOW_VERIFY_LOG_BATCH"
    )
    if configured:
        return max(int(configured), 1)
    return 1 if getattr(settings, "TESTING", False) else 100


def verification_log_seconds() -> float:
    return float(getattr(settings, "CERTIFICATE_VERIFICATION_LOG_SECONDS", 1.0))
