"""Base45 (RFC 9285): two bytes become three characters of the QR alphanumeric set.

`encode(bytes) -> str` and `decode(str) -> bytes`; `decode` raises `Base45Error` for a
character outside the 45-character alphabet, a length of 3k+1, or a group whose value is
out of range (a triplet above 65535, a final pair above 255). Both avoid per-character
Python work where they can: the offline verifier decodes every scan.
"""

from __future__ import annotations

import struct

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_INVALID = 255
_VALUES = bytes(ALPHABET.index(chr(i)) if chr(i) in ALPHABET else _INVALID for i in range(256))


class Base45Error(ValueError):
    pass


def encode(data: bytes) -> str:
    full, odd = divmod(len(data), 2)
    out: list[str] = []
    append = out.append
    for n in struct.unpack(f">{full}H", data[: full * 2]):
        rest, c = divmod(n, 45)
        e, d = divmod(rest, 45)
        append(ALPHABET[c] + ALPHABET[d] + ALPHABET[e])
    if odd:
        d, c = divmod(data[-1], 45)
        append(ALPHABET[c] + ALPHABET[d])
    return "".join(out)


def decode(text: str) -> bytes:
    try:
        raw = text.encode("ascii")
    except UnicodeEncodeError as exc:
        raise Base45Error("character outside the Base45 alphabet") from exc
    values = raw.translate(_VALUES)
    if _INVALID in values:
        raise Base45Error("character outside the Base45 alphabet")
    full, tail = divmod(len(values), 3)
    if tail == 1:
        raise Base45Error("a Base45 text cannot have length 3k+1")
    numbers = [
        c + 45 * d + 2025 * e
        for c, d, e in zip(
            values[0 : full * 3 : 3], values[1 : full * 3 : 3], values[2::3], strict=True
        )
    ]
    if numbers and max(numbers) > 0xFFFF:
        raise Base45Error("a Base45 triplet is larger than 65535")
    out = struct.pack(f">{full}H", *numbers)
    if tail == 2:
        last = values[-2] + 45 * values[-1]
        if last > 0xFF:
            raise Base45Error("the final Base45 pair is larger than 255")
        out += bytes((last,))
    return out
