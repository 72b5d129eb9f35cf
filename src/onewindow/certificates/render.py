"""The licence (or any certificate) as an HTML page and as a PDF in the official layout style
of a Chinese business licence (营业执照): 统一社会信用代码, 名称, 类型, 法定代表人, 经营范围,
注册资本, 成立日期, 营业期限, 住所, 登记机关, and the verification QR code (a PNG, 35 mm).

PDF text is real text (selectable) set in Noto Serif/Sans CJK SC: Debian's
`fonts-noto-cjk` (`apt-get install fonts-noto-cjk`); `missing_fonts()` says what is missing.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from onewindow.certificates import conf, selectors
from onewindow.certificates.constants import CertificateKind, CertificateStatus
from onewindow.certificates.models import Certificate
from onewindow.certificates.qr import image

FONT_DIRECTORIES = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))
FONT_FILES = ("NotoSerifCJK-Regular.ttc", "NotoSansCJK-Regular.ttc")


def _chinese_date(value: date | None) -> str:
    return f"{value.year}年{value.month:02d}月{value.day:02d}日" if value else "长期"


def licence_context(certificate: Certificate) -> dict[str, Any]:
    if not certificate.payload:
        raise ValueError("a permit carried on a licence has no QR of its own; render the licence")
    details = certificate.details or {}
    established = details.get("established_on", "")
    key = certificate.signing_key
    return {
        "certificate": certificate,
        "type_name": certificate.certificate_type.name_zh,
        "is_licence": certificate.certificate_type.kind == CertificateKind.LICENCE,
        "details": details,
        "established_on": _chinese_date(date.fromisoformat(established)) if established else "",
        "valid_from": _chinese_date(certificate.valid_from),
        "valid_until": _chinese_date(certificate.valid_until),
        "issued_on": _chinese_date(timezone.localdate(certificate.issued_at)),
        "permits": [
            p
            for p in selectors.permits_of(certificate)
            if p.status in (CertificateStatus.VALID, CertificateStatus.SUSPENDED)
        ],
        "qr_data_uri": image.png_data_uri(image.make_code(certificate.payload), scale=8),
        "verify_url": conf.public_base_url() + conf.VERIFY_PATH,
        "algorithm": key.algorithm.upper() if key else "",
        "kid": key.kid if key else "",
    }


def licence_html(certificate: Certificate) -> str:
    return render_to_string("certificates/licence.html", licence_context(certificate))


def licence_pdf(certificate: Certificate) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=licence_html(certificate)).write_pdf())


def missing_fonts() -> list[str]:
    """Font files the PDF needs and this machine lacks (empty when all are installed)."""
    found = {
        path.name
        for directory in FONT_DIRECTORIES
        if directory.is_dir()
        for path in directory.rglob("Noto*CJK*")
    }
    return [f"{name} (apt-get install fonts-noto-cjk)" for name in FONT_FILES if name not in found]
