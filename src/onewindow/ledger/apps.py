"""Tamper-evident ledger (存证): RFC 9162 Merkle log, signed checkpoints, department co-signing.

Public API: `services.append_entry` (and witness/checkpoint services), `selectors`
(entries_for_subject, inclusion_proof, consistency_proof, latest_checkpoint),
`registry.register_subject`, `digest.canonical_digest`; the `ledger` management command.
"""

from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "onewindow.ledger"
    label = "ledger"
    verbose_name = "存证账本 Ledger"

    def ready(self) -> None:
        from onewindow.ledger import subjects
        from onewindow.ledger.registry import register_subject

        register_subject(
            "witness",
            subjects.witness_snapshot_by_name,
            subjects.witness_names,
            subjects.witness_location,
        )
