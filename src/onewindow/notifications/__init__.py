"""Notifications (推送): the transactional outbox to departments and idempotency keys.

Owns: subscriptions, outbox events, deliveries (one per event and subscription), delivery
attempts, idempotency keys of incoming requests.

Public: `services.enqueue_event` (inside the caller's transaction), `create_subscription`,
`set_subscription_active`, `resend_delivery`; `delivery.deliver_due`; `idempotency.idempotent`;
`signing.verify` for subscribers; `selectors`; `tasks` (huey); the `outbox` command;
`api.router` (/notifications). Reference: docs/reference/outbox.md; decisions:
docs/adr/0009-transactional-outbox.md.
"""
