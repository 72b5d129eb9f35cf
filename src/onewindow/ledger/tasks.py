"""Periodic checkpoint job: every minute, sign the tree head if it grew, then let each
active witness whose key is in this installation's key directory co-sign it."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from onewindow.core.errors import DomainError
from onewindow.ledger import keys
from onewindow.ledger.checkpoints import cosign_checkpoint, issue_checkpoint
from onewindow.ledger.models import Witness

logger = logging.getLogger(__name__)


def checkpoint_and_cosign() -> int | None:
    """Issue a checkpoint and co-sign it with local witness keys; returns its tree size."""
    try:
        checkpoint = issue_checkpoint()
    except DomainError as exc:
        logger.warning("ledger checkpoint not issued: %s", exc)
        return None
    for witness in Witness.objects.filter(is_active=True).order_by("pk"):
        if not keys.has_key(witness.name):
            continue
        try:
            cosign_checkpoint(witness_name=witness.name, checkpoint=checkpoint)
        except DomainError as exc:
            logger.error(
                "witness %s refused checkpoint %s: %s", witness.name, checkpoint.tree_size, exc
            )
    return checkpoint.tree_size


@db_periodic_task(crontab(minute="*"), name="ledger.checkpoint")
def periodic_checkpoint() -> None:
    checkpoint_and_cosign()
