"""App configuration: ledger subjects and the workflow subject handler of `promise:`."""

from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "onewindow.supervision"
    label = "supervision"
    verbose_name = "事中事后监管 Supervision"

    def ready(self) -> None:
        from onewindow.ledger.registry import register_subject
        from onewindow.supervision import snapshots
        from onewindow.supervision.process import PROMISE_SUBJECT, PromiseHandler
        from onewindow.workflow.hooks import register_subject_handler

        register_subject(
            "commitment",
            snapshots.commitment_by_id,
            snapshots.commitment_ids,
            snapshots.commitment_location,
        )
        register_subject(
            "live_photo", snapshots.photo_by_id, snapshots.photo_ids, snapshots.photo_location
        )
        register_subject_handler(PROMISE_SUBJECT, PromiseHandler())
