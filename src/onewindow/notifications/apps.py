"""Notifications: the transactional outbox to departments (seal-making, tax, social
security, banks…): subscriptions, events written in the caller's transaction, signed
webhook deliveries retried with backoff, every attempt recorded; idempotency keys.

Public: `services.enqueue_event` (inside your transaction), `services.create_subscription`,
`services.set_subscription_active`, `services.resend_delivery`; `delivery.deliver_due`;
`idempotency.idempotent`; `signing.verify` (for subscribers); `selectors`; the `outbox`
command (deliver, status, schedule). Reference: docs/reference/outbox.md.
"""

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "onewindow.notifications"
    label = "notifications"
    verbose_name = "推送 Notifications"

    def ready(self) -> None:
        from onewindow.ledger.registry import register_subject
        from onewindow.notifications import snapshots

        register_subject(
            "outbox_event", snapshots.event_by_id, snapshots.event_ids, snapshots.event_location
        )
        register_subject(
            "subscription",
            snapshots.subscription_by_id,
            snapshots.subscription_ids,
            snapshots.subscription_location,
        )
