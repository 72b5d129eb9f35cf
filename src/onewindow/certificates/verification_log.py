"""The verification log writer: one row per public verification, written in batches.

Public scans are the platform's most frequent request; a synchronous INSERT and commit per
scan cost more than the verification itself. Rows are kept in a per-process buffer and
written with one multi-row INSERT when `verification_log_batch()` rows are waiting or the
oldest has waited `verification_log_seconds()` (a timer thread), and at interpreter exit. A crash
loses at most that window of log rows, never a certificate change (those are synchronous,
in the ledger). A batch size of 1 (the default under tests) writes each row at once.
"""

from __future__ import annotations

import atexit
import logging
import threading

from django.db import DatabaseError, connection

from onewindow.certificates import conf
from onewindow.certificates.models import VerificationLog

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_rows: list[VerificationLog] = []
_timer: list[threading.Timer] = []


def record(row: VerificationLog) -> None:
    batch = conf.verification_log_batch()
    if batch <= 1:
        row.save()
        return
    with _lock:
        _rows.append(row)
        due = len(_rows) >= batch
        if not due and not _timer:
            timer = threading.Timer(conf.verification_log_seconds(), _flush_from_timer)
            timer.daemon = True
            _timer.append(timer)
            timer.start()
    if due:
        flush()


def flush() -> int:
    """Write the waiting rows now; returns how many were written."""
    with _lock:
        rows = _rows[:]
        _rows.clear()
    if not rows:
        return 0
    try:
        VerificationLog.objects.bulk_create(rows)
    except DatabaseError:
        logger.exception("%d verification log rows could not be written", len(rows))
        return 0
    return len(rows)


def _flush_from_timer() -> None:
    with _lock:
        _timer.clear()
    try:
        flush()
    finally:
        connection.close()  # this thread's own connection


def reset() -> None:
    """Drop waiting rows and the timer (tests)."""
    with _lock:
        for timer in _timer:
            timer.cancel()
        _timer.clear()
        _rows.clear()


def pending() -> int:
    with _lock:
        return len(_rows)


atexit.register(flush)
