"""Background jobs (huey): the due-timer scan every 15 s and a precise wake-up per timer.

The periodic task runs once a minute (huey's resolution) and schedules three more scans
15, 30 and 45 s later, so a due timer waits at most ~15 s for a scan even if its precise
wake-up was lost (worker restart); `wake` fires an instance at its due time."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from onewindow.workflow.timing import fire_due, fire_due_timers

logger = logging.getLogger(__name__)
SCAN_EVERY_SECONDS = 15


@db_task(name="workflow.scan_due")
def scan_due() -> None:
    report = fire_due_timers()
    if report.instances:
        logger.info(
            "due scan: %d instances, %d fired, %d failed",
            report.instances,
            report.fired,
            report.failed,
        )


@db_periodic_task(crontab(minute="*"), name="workflow.scan_due_every_minute")
def scan_due_every_minute() -> None:
    scan_due.call_local()
    for delay in range(SCAN_EVERY_SECONDS, 60, SCAN_EVERY_SECONDS):
        scan_due.schedule(delay=delay)


@db_task(name="workflow.wake")
def wake(instance_id: int) -> None:
    fire_due(instance_id=instance_id)
