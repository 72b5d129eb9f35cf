"""Outbox jobs (huey): drain due deliveries when woken, every minute, and at worker start
(a worker that died mid-delivery left leased rows; their leases end and they go again).
Concurrent drains are safe: each claim is a row-level transaction (no job lock needed —
a lock held by a killed worker would outlive it)."""

from __future__ import annotations

import logging

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, on_startup

from onewindow.notifications import delivery

logger = logging.getLogger(__name__)
SOON_SECONDS = 60  # later wake-ups are left to the periodic sweep


def drain() -> None:
    report = delivery.deliver_due()
    if report.attempts:
        logger.info(
            "outbox: %d delivered, %d to retry, %d failed",
            report.delivered,
            report.retried,
            report.failed,
        )
    upcoming = delivery.next_due_at()
    if upcoming is not None:
        wait = (upcoming - timezone.now()).total_seconds()
        if wait < SOON_SECONDS:
            deliver_outbox.schedule(delay=max(wait, 0) + 0.5)


@db_task(name="outbox.deliver")
def deliver_outbox() -> None:
    drain()


@db_periodic_task(crontab(minute="*"), name="outbox.sweep")
def sweep_outbox() -> None:
    drain()


@on_startup()
def recover_after_restart() -> None:
    deliver_outbox()
