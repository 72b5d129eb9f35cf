"""`onewindow outbox deliver|status|schedule`.

deliver [--limit N]   send due deliveries now (what the worker does), print what happened
status                deliveries by status, and the failures an administrator should see
schedule              the retry schedule of an endpoint that never answers
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from onewindow.notifications import conf, delivery, policies, selectors


class Command(BaseCommand):
    help = "Outbox to departments: deliver now, status, retry schedule."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        deliver = sub.add_parser("deliver", help="send due deliveries now")
        deliver.add_argument("--limit", type=int, default=None)
        sub.add_parser("status", help="deliveries by status and the failures")
        sub.add_parser("schedule", help="the retry schedule")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"do_{options['action']}")(options)

    def do_deliver(self, options: dict[str, Any]) -> None:
        report = delivery.deliver_due(limit=options["limit"])
        self.stdout.write(
            f"{len(report.attempts)} attempts: {report.delivered} delivered, "
            f"{report.retried} to retry, {report.failed} failed"
        )

    def do_status(self, options: dict[str, Any]) -> None:
        for status, count in sorted(selectors.counts_by_status().items()):
            self.stdout.write(f"{status}: {count}")
        for row in selectors.failed_deliveries()[:50]:
            self.stdout.write(
                f"  failed #{row.pk} {row.event.event_type} {row.subject} → "
                f"{row.subscription.department.code}: {row.last_error}"
            )

    def do_schedule(self, options: dict[str, Any]) -> None:
        offsets = policies.schedule(
            first=conf.get("FIRST_RETRY_SECONDS"),
            cap=conf.get("MAX_RETRY_SECONDS"),
            window=timedelta(hours=conf.get("RETRY_WINDOW_HOURS")),
        )
        for number, offset in enumerate(offsets, start=1):
            self.stdout.write(f"attempt {number:2d} at +{offset}")
