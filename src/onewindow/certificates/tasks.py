"""Daily job: certificates past their end date become expired (ledger entry each)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from onewindow.certificates import services


@db_periodic_task(crontab(hour="0", minute="5"), name="certificates.expire")
def expire_certificates() -> None:
    services.expire_certificates(actor="system:scheduler")
