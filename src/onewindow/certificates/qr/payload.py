"""The licence QR payload, in the style of the EU Digital COVID Certificate:

    CBOR claims -> COSE_Sign1 -> zlib -> Base45 -> "OW1:" prefix -> verification URL

Claims (a CWT, RFC 8392): 1 iss (department code), 6 iat (seconds), and the private claim
-70001, a map: 1 format (1), 2 number, 3 type, 4 holder name, 5 holder code (USCC),
6 valid from, 7 valid until (absent: long-term), 8 permits, 9 payload version. Each permit is a
map: 1 type, 2 number, 3 valid from, 4 valid until. Dates are days since 1970-01-01. No
personal data beyond the holder's registered name and code.

The URL is `<PUBLIC_BASE_URL>/v/?c=OW1:...` with ' ', '%' and '+' percent-escaped, so the
whole payload stays in the QR alphanumeric set (11 bits per 2 characters) and a phone
camera opens the public verification page.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import unquote, urlsplit

import cbor2
from segno.consts import MODE_ALPHANUMERIC, MODE_BYTE

from onewindow.certificates import conf
from onewindow.certificates.cose import CoseError, Sign1, decode_sign1, loads_strict
from onewindow.certificates.qr import base45

CLAIM_ISSUER = 1
CLAIM_ISSUED_AT = 6
CLAIM_LICENCE = -70001
FORMAT = 1
EPOCH = date(1970, 1, 1)
MAX_PERMITS = 40
_URL_ESCAPES = {" ": "%20", "%": "%25", "+": "%2B"}


class PayloadError(ValueError):
    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(detail or reason)
        self.reason = reason


@dataclass(frozen=True)
class PermitClaim:
    type_code: str
    number: str
    valid_from: date
    valid_until: date | None


@dataclass(frozen=True)
class LicenceClaims:
    number: str
    type_code: str
    holder_name: str
    holder_code: str
    valid_from: date
    valid_until: date | None
    permits: tuple[PermitClaim, ...]
    issuer: str
    issued_at: int
    version: int


def _days(value: date) -> int:
    return (value - EPOCH).days


def _date(days: object) -> date:
    if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= 200_000:
        raise PayloadError("payload.claims_invalid", "a date must be a day number")
    return EPOCH + timedelta(days=days)


def claims_to_cbor(claims: LicenceClaims) -> bytes:
    licence: dict[int, Any] = {
        1: FORMAT,
        2: claims.number,
        3: claims.type_code,
        4: claims.holder_name,
        5: claims.holder_code,
        6: _days(claims.valid_from),
        8: [_permit_map(p) for p in claims.permits],
        9: claims.version,
    }
    if claims.valid_until is not None:
        licence[7] = _days(claims.valid_until)
    document = {
        CLAIM_ISSUER: claims.issuer,
        CLAIM_ISSUED_AT: claims.issued_at,
        CLAIM_LICENCE: licence,
    }
    return cbor2.dumps(document, canonical=True)


def _permit_map(permit: PermitClaim) -> dict[int, Any]:
    out: dict[int, Any] = {1: permit.type_code, 2: permit.number, 3: _days(permit.valid_from)}
    if permit.valid_until is not None:
        out[4] = _days(permit.valid_until)
    return out


def _text(value: object, limit: int) -> str:
    if not isinstance(value, str) or not 0 < len(value) <= limit:
        raise PayloadError("payload.claims_invalid", "a text field is missing or too long")
    return value


def _optional_date(mapping: Mapping[Any, Any], key: int) -> date | None:
    return _date(mapping[key]) if key in mapping else None


def _permit(item: object) -> PermitClaim:
    if not isinstance(item, Mapping):
        raise PayloadError("payload.claims_invalid", "a permit must be a map")
    return PermitClaim(
        _text(item.get(1), 8), _text(item.get(2), 40), _date(item.get(3)), _optional_date(item, 4)
    )


def claims_from_cbor(data: bytes) -> LicenceClaims:
    try:
        document = loads_strict(data)
    except CoseError as exc:
        raise PayloadError("payload.claims_invalid", str(exc)) from exc
    if not isinstance(document, Mapping) or not isinstance(document.get(CLAIM_LICENCE), Mapping):
        raise PayloadError("payload.claims_invalid", "no licence claim")
    licence = document[CLAIM_LICENCE]
    permits = licence.get(8, [])
    issued_at = document.get(CLAIM_ISSUED_AT)
    version = licence.get(9)
    if licence.get(1) != FORMAT or not isinstance(permits, list | tuple):
        raise PayloadError("payload.claims_invalid", "unknown format or no permit list")
    if len(permits) > MAX_PERMITS:
        raise PayloadError("payload.claims_invalid", "unknown format or too many permits")
    for number in (issued_at, version):
        if not isinstance(number, int) or isinstance(number, bool) or not 0 <= number < 2**37:
            raise PayloadError("payload.claims_invalid", "issue time and version are integers")
    return LicenceClaims(
        number=_text(licence.get(2), 40),
        type_code=_text(licence.get(3), 8),
        holder_name=_text(licence.get(4), 150),
        holder_code=_text(licence.get(5), 18),
        valid_from=_date(licence.get(6)),
        valid_until=_optional_date(licence, 7),
        permits=tuple(_permit(p) for p in permits),
        issuer=_text(document.get(CLAIM_ISSUER), 40),
        issued_at=int(issued_at),  # type: ignore[arg-type]
        version=int(version),  # type: ignore[arg-type]
    )


def pack(sign1_bytes: bytes) -> str:
    """COSE bytes -> the QR text `OW1:<base45(zlib(cose))>`."""
    return conf.QR_PREFIX + base45.encode(zlib.compress(sign1_bytes, 9))


def verification_url(text: str, base_url: str | None = None) -> str:
    escaped = "".join(_URL_ESCAPES.get(ch, ch) for ch in text)
    return (
        f"{base_url or conf.public_base_url()}{conf.VERIFY_PATH}?{conf.QUERY_PARAMETER}={escaped}"
    )


def url_segments(text: str, base_url: str | None = None) -> list[tuple[str, int]]:
    """The verification URL as QR segments: the address in byte mode, the payload in
    alphanumeric mode (segno picks one mode per segment)."""
    url = verification_url(text, base_url)
    head, _, tail = url.partition("?" + conf.QUERY_PARAMETER + "=")
    return [(f"{head}?{conf.QUERY_PARAMETER}=", MODE_BYTE), (tail, MODE_ALPHANUMERIC)]


def extract_text(scanned: str) -> str:
    """The `OW1:` text from what a scanner returns: the bare text or the verification URL."""
    value = scanned.strip()
    if value.lower().startswith(("http://", "https://")):
        query = urlsplit(value).query
        for part in query.split("&"):
            name, _, raw = part.partition("=")
            if name == conf.QUERY_PARAMETER:
                # Not unquote_plus: '+' is a Base45 character, escaped as %2B by us.
                return unquote(raw)
        return ""
    return value


def unpack(text: str) -> Sign1:
    """`OW1:` text -> parsed COSE_Sign1; every failure is a `PayloadError` with a reason."""
    if not text.startswith(conf.QR_PREFIX):
        raise PayloadError("payload.prefix_unknown")
    try:
        compressed = base45.decode(text[len(conf.QR_PREFIX) :])
    except base45.Base45Error as exc:
        raise PayloadError("payload.base45_invalid", str(exc)) from exc
    if len(compressed) > conf.MAX_COMPRESSED_BYTES:
        raise PayloadError("input.too_large")
    try:
        inflater = zlib.decompressobj()
        data = inflater.decompress(compressed, conf.MAX_PAYLOAD_BYTES)
        if inflater.unconsumed_tail or not inflater.eof or inflater.unused_data:
            raise PayloadError("payload.zlib_invalid", "truncated, trailing bytes or too large")
    except zlib.error as exc:
        raise PayloadError("payload.zlib_invalid", str(exc)) from exc
    try:
        return decode_sign1(data)
    except CoseError as exc:
        raise PayloadError("payload.cose_invalid", str(exc)) from exc
