"""Ledger (存证账本): a tamper-evident RFC 9162 Merkle log of every state change.

Owns: entries (append-only leaves), perfect-subtree nodes, the head row, checkpoints signed
as C2SP signed notes, department witnesses and their checkpoint and step co-signatures.
Public: `services.append_entry` (call inside your transaction), `services.register_witness`,
`services.issue_checkpoint`, `services.cosign_checkpoint`, `services.cosign_entry`;
`selectors.entries_for_subject`, `selectors.inclusion_proof`, `selectors.consistency_proof`,
`selectors.latest_checkpoint`; `registry.register_subject`; `digest.canonical_digest`;
the `ledger` management command (verify, checkpoint, cosign, prove, keygen, witness-add).
"""
