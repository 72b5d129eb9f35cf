"""`onewindow ledger verify|checkpoint|cosign|prove|keygen|witness-add`.

verify [--checkpoint FILE [--proofs BUNDLE]] [--entries-only] [--rows] [--key VKEY]
    OK, or one line per problem with its location; exit status 1 on problems.
checkpoint            issue (if the tree grew) and print the signed note
cosign --witness NAME co-sign the latest checkpoint with a department key
prove --sequence N [--size M] [--from-size K]   print a proof bundle (JSON)
keygen NAME           create an Ed25519 key file (0600) in the key directory
witness-add NAME --department CODE [--display-name TEXT]   register a key as a witness
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from onewindow.core.errors import DomainError
from onewindow.ledger import audit, conf, keys, selectors, services
from onewindow.ledger.note import NoteError, Verifier
from onewindow.ledger.report import Report
from onewindow.ledger.verify import verify_log, verify_rows


class Command(BaseCommand):
    help = "Tamper-evident ledger: verify, checkpoint, cosign, prove, keygen, witness-add."
    # An audit tool must run even when an unrelated part of the project fails its checks.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="recompute and check the log")
        verify.add_argument("--checkpoint", help="trusted checkpoint file (signed note)")
        verify.add_argument("--proofs", help="proof bundle from `ledger prove` (offline)")
        verify.add_argument("--entries-only", action="store_true", help="skip the row check")
        verify.add_argument("--rows", action="store_true", help="only check rows vs ledger")
        verify.add_argument("--key", help="platform verifier key (string or file)")
        verify.add_argument(
            "--witness-key",
            action="append",
            default=[],
            help="witness verifier key to check co-signatures (offline)",
        )
        sub.add_parser("checkpoint", help="issue and print a checkpoint")
        cosign = sub.add_parser("cosign", help="co-sign the latest checkpoint")
        cosign.add_argument("--witness", required=True)
        prove = sub.add_parser("prove", help="print an inclusion proof bundle")
        prove.add_argument("--sequence", type=int, required=True)
        prove.add_argument("--size", type=int)
        prove.add_argument("--from-size", type=int)
        keygen = sub.add_parser("keygen", help="create a key in the key directory")
        keygen.add_argument("name")
        witness = sub.add_parser("witness-add", help="register a key as a department witness")
        witness.add_argument("name")
        witness.add_argument("--department", required=True)
        witness.add_argument("--display-name", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"].replace("-", "_")
        try:
            getattr(self, f"do_{action}")(options)
        except DomainError as exc:
            raise CommandError(f"[{exc.code}] {exc.message_en}") from exc
        except NoteError as exc:
            raise CommandError(str(exc)) from exc

    def _log_key(self, value: str | None) -> Verifier | None:
        if value:
            text = Path(value).read_text() if Path(value).is_file() else value
            return Verifier.from_vkey(text)
        try:
            return keys.load_verifier(conf.origin())
        except DomainError:
            return None

    def do_verify(self, options: dict[str, Any]) -> None:
        log_key = self._log_key(options["key"])
        if options["checkpoint"]:
            report = self._verify_checkpoint(options, log_key)
        elif options["rows"]:
            report = verify_rows()
        else:
            report = verify_log(log_key=log_key)
            if not options["entries_only"]:
                report.merge(verify_rows())
        for line in report.lines():
            self.stdout.write(line)
        if not report.ok:
            raise CommandError(f"ledger verify found {len(report.problems)} problem(s)")

    def _verify_checkpoint(self, options: dict[str, Any], log_key: Verifier | None) -> Report:
        if log_key is None:
            raise CommandError("a platform verifier key is needed: --key or the key directory")
        note = Path(options["checkpoint"]).read_text()
        if options["proofs"]:
            bundle = json.loads(Path(options["proofs"]).read_text())
            witnesses = [
                Verifier.from_vkey(Path(k).read_text() if Path(k).is_file() else k)
                for k in options["witness_key"]
            ]
            return audit.verify_bundle(note, log_key, bundle, witnesses)
        return audit.verify_with_checkpoint(note, log_key)

    def do_checkpoint(self, options: dict[str, Any]) -> None:
        checkpoint = services.issue_checkpoint()
        self.stdout.write(selectors.checkpoint_note(checkpoint), ending="")

    def do_cosign(self, options: dict[str, Any]) -> None:
        cosignature = services.cosign_checkpoint(witness_name=options["witness"])
        self.stdout.write(selectors.checkpoint_note(cosignature.checkpoint), ending="")

    def do_prove(self, options: dict[str, Any]) -> None:
        bundle = audit.proof_bundle(
            sequence=options["sequence"], tree_size=options["size"], from_size=options["from_size"]
        )
        self.stdout.write(json.dumps(bundle, ensure_ascii=False, indent=2))

    def do_keygen(self, options: dict[str, Any]) -> None:
        path, verifier = keys.generate_key(options["name"])
        self.stdout.write(f"private key: {path}\nverifier key: {verifier.vkey()}")

    def do_witness_add(self, options: dict[str, Any]) -> None:
        verifier = keys.load_verifier(options["name"])
        witness = services.register_witness(
            department_code=options["department"],
            name=options["name"],
            display_name=options["display_name"],
            public_key=verifier.public_key,
            actor="cli:ledger",
            reason="witness key registered from the command line",
        )
        self.stdout.write(
            f"witness {witness.name} ({witness.department_code}) "
            f"cosignature key id {witness.key_id}"
        )
