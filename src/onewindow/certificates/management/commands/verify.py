"""`onewindow verify <QR text | URL | image path> --trust-list FILE [--revocations FILE]`

Offline verification of a licence QR: reads the text, or decodes the QR code in a PNG/JPEG
photo (zxing-cpp), checks it against the trust list file and, if given, the signed revocation
list file. Uses no network and no database. Prints the result (``--json`` for JSON) and exits
0 when valid, 1 when not valid, 2 when the trust or revocation list cannot be used.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from onewindow.certificates import revocations, trust
from onewindow.certificates.qr.image import read_texts
from onewindow.certificates.verification import Result, verify_text

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".bmp", ".gif", ".tif", ".tiff"}


class Command(BaseCommand):
    help = "Verify a licence QR offline against a trust list (and a revocation list)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("qr", help="QR text (OW1:... or the URL) or a PNG/JPEG file")
        parser.add_argument("--trust-list", required=True, help="trust list JSON file")
        parser.add_argument("--revocations", help="signed revocation list JSON file")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")
        parser.add_argument("--language", default="zh", choices=["zh", "en"])

    def _scanned(self, value: str) -> str:
        path = Path(value)
        if path.suffix.lower() in IMAGE_SUFFIXES and path.is_file():
            texts = read_texts(path)
            if not texts:
                raise SystemExit(self._fail("no QR code found in the image / 图片中没有二维码"))
            return texts[0]
        return value

    def _fail(self, text: str) -> int:
        self.stderr.write(text)
        return 2

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            trust_list = trust.loads(Path(options["trust_list"]).read_bytes())
            listed = None
            if options["revocations"]:
                listed = revocations.loads(Path(options["revocations"]).read_bytes(), trust_list)
        except (OSError, trust.TrustListError, revocations.RevocationListError) as exc:
            raise SystemExit(self._fail(f"cannot use the list: {exc}")) from exc
        result = verify_text(self._scanned(options["qr"]), trust_list, listed)
        data = result.to_dict(trust_list)
        data["revocation_list_checked"] = listed is not None
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(self._text(result, data, options["language"]))
        if not result.is_valid:
            raise SystemExit(1)

    def _text(self, result: Result, data: dict[str, Any], language: str) -> str:
        en = language == "en"
        lines = [
            ("VALID" if en else "有效") if result.is_valid else ("NOT VALID" if en else "无效"),
            f"{data['message_en' if en else 'message_zh']} [{result.reason}]",
        ]
        licence = data.get("licence")
        if licence:
            lines += [
                f"{licence['type_name_en' if en else 'type_name_zh']} {licence['number']}",
                f"{licence['holder_name']} {licence['holder_code']}",
                f"{'valid' if en else '有效期'} {licence['valid_from']} – "
                f"{licence['valid_until'] or ('long-term' if en else '长期')}",
                f"{'issuer' if en else '签发'} {data['issuer']['department']} key {data['kid']}",
            ]
            for permit in data.get("permits", []):
                name = permit["type_name_en" if en else "type_name_zh"]
                lines.append(f"  - {name} {permit['number']} → {permit['status']}")
        if not data["revocation_list_checked"]:
            lines.append(
                "(no revocation list given: revocations not checked)"
                if en
                else "（未提供撤销清单：未检查撤销状态）"
            )
        return "\n".join(lines)
