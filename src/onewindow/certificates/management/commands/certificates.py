"""`onewindow certificates keygen|rotate|revoke-key|trust-list|revocations|render|expire|fonts`

keygen --department CODE [--algorithm ed25519|sm2] [--purpose certificate|list]
    create the department's first key (private key file 0600 in the key directory)
rotate --department CODE [--algorithm A] [--purpose P] --reason TEXT
    new active key; the old one is retired and still verifies
revoke-key KID --reason TEXT        a compromised key: nothing it signed verifies
trust-list [--out FILE]             export the trust list (prints its SHA-256 fingerprint)
revocations [--out FILE]            export the signed revocation list
render NUMBER --out FILE.pdf|.html  the licence as PDF or HTML
expire                              mark certificates past their end date as expired
fonts                               say which Chinese fonts the PDF needs and lacks
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from onewindow.certificates import render, selectors, services, trust
from onewindow.certificates.public import signed_revocation_list
from onewindow.core.errors import DomainError

ACTOR = "system:cli"


class Command(BaseCommand):
    help = "Certificate keys, trust and revocation lists, rendering, expiry."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        for name in ("keygen", "rotate"):
            command = sub.add_parser(name)
            command.add_argument("--department", required=True)
            command.add_argument("--algorithm", default=None, choices=["ed25519", "sm2"])
            command.add_argument(
                "--purpose", default="certificate", choices=["certificate", "list"]
            )
            command.add_argument("--reason", default="")
        revoke = sub.add_parser("revoke-key")
        revoke.add_argument("kid")
        revoke.add_argument("--reason", required=True)
        for name in ("trust-list", "revocations"):
            sub.add_parser(name).add_argument("--out")
        rendering = sub.add_parser("render")
        rendering.add_argument("number")
        rendering.add_argument("--out", required=True)
        sub.add_parser("expire")
        sub.add_parser("fonts")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, "_" + options["action"].replace("-", "_"))(options)
        except DomainError as exc:
            raise CommandError(f"[{exc.code}] {exc.message_zh} / {exc.message_en}") from exc

    def _keygen(self, options: dict[str, Any]) -> None:
        key = services.create_signing_key(
            department_code=options["department"],
            algorithm=options["algorithm"] or "ed25519",
            purpose=options["purpose"],
            actor=ACTOR,
            reason=options["reason"] or "部门签名密钥初始化 initial department key",
        )
        self.stdout.write(f"{key.kid} {key.algorithm} {key.purpose} {key.department.code}")

    def _rotate(self, options: dict[str, Any]) -> None:
        if not options["reason"]:
            raise CommandError("--reason is required for a rotation")
        key = services.rotate_signing_key(
            department_code=options["department"],
            algorithm=options["algorithm"],
            purpose=options["purpose"],
            actor=ACTOR,
            reason=options["reason"],
        )
        self.stdout.write(f"{key.kid} {key.algorithm} {key.purpose} {key.department.code}")

    def _revoke_key(self, options: dict[str, Any]) -> None:
        key = services.revoke_signing_key(kid=options["kid"], actor=ACTOR, reason=options["reason"])
        self.stdout.write(f"{key.kid} revoked")

    def _write(self, document: dict[str, Any], out: str | None) -> None:
        text = trust.dumps(document)
        if out:
            Path(out).write_text(text, encoding="utf-8")
            self.stdout.write(f"{out} sha256={trust.fingerprint(document)}")
        else:
            self.stdout.write(text)

    def _trust_list(self, options: dict[str, Any]) -> None:
        self._write(selectors.trust_list_document(), options["out"])

    def _revocations(self, options: dict[str, Any]) -> None:
        self._write(signed_revocation_list(), options["out"])

    def _render(self, options: dict[str, Any]) -> None:
        certificate = selectors.certificate_by_number(options["number"])
        if certificate is None:
            raise CommandError(f"no certificate {options['number']}")
        out = Path(options["out"])
        if out.suffix.lower() == ".pdf":
            missing = render.missing_fonts()
            if missing:
                raise CommandError("missing fonts: " + ", ".join(missing))
            out.write_bytes(render.licence_pdf(certificate))
        else:
            out.write_text(render.licence_html(certificate), encoding="utf-8")
        self.stdout.write(str(out))

    def _expire(self, options: dict[str, Any]) -> None:
        expired = services.expire_certificates(actor=ACTOR)
        self.stdout.write(json.dumps({"expired": expired}, ensure_ascii=False))

    def _fonts(self, options: dict[str, Any]) -> None:
        missing = render.missing_fonts()
        self.stdout.write("ok" if not missing else "missing: " + ", ".join(missing))
        if missing:
            raise SystemExit(1)
