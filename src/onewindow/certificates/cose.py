"""COSE_Sign1 (RFC 9052 §4.2) built with cbor2, signed and verified through the signer seam.

`encode_sign1(protected, payload, sign)` returns the tagged structure
``18([bstr .cbor protected, {}, payload, signature])``; `decode_sign1(data)` parses one
(optionally inside the CWT tag 61, as EU DCC codes may be) into a `Sign1` whose
`to_be_signed()` is the ``Sig_structure`` ``["Signature1", protected, h'', payload]``.
Decoding is strict: definite lengths only, no duplicate map keys, a nesting limit, and every
problem raised as `CoseError`, never another exception type.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import cbor2

ALG = 1
KID = 4
TAG_SIGN1 = 18
TAG_CWT = 61
MAX_DEPTH = 8


class CoseError(ValueError):
    pass


def _refuse(decoder: object) -> Any:
    raise cbor2.CBORDecodeError("semantic tag not allowed here")


# Semantic tags cbor2 would turn into objects (dates, bignums, shared references that can
# make cycles ...): none belongs in a certificate payload, so each is refused outright.
_SEMANTIC_TAGS = (0, 1, 2, 3, 4, 5, 25, 28, 29, 30, 35, 36, 37, 100, 256, 258, 260, 261, 1004)
_NO_SEMANTICS = {tag: _refuse for tag in (*_SEMANTIC_TAGS, 1040, 55799)}


def loads_strict(data: bytes) -> Any:
    """One CBOR item with the limits untrusted input needs: definite lengths, no duplicate
    keys, no semantic tags, bounded nesting, nothing after the item. Any failure is a
    `CoseError`."""
    stream = io.BytesIO(data)
    try:
        decoder = cbor2.CBORDecoder(
            stream,
            semantic_decoders=_NO_SEMANTICS,
            max_depth=MAX_DEPTH,
            allow_indefinite=False,
            allow_duplicate_keys=False,
        )
        item = decoder.decode()
    except Exception as exc:  # cbor2 raises several types on hostile input
        raise CoseError(f"not well-formed CBOR: {type(exc).__name__}") from exc
    if stream.tell() != len(data):
        raise CoseError("bytes after the CBOR item")
    return item


@dataclass(frozen=True)
class Sign1:
    protected_bytes: bytes
    protected: Mapping[Any, Any]
    unprotected: Mapping[Any, Any]
    payload: bytes
    signature: bytes

    @property
    def alg(self) -> Any:
        # Verifiers take the algorithm from the trusted key, never from here alone.
        return self.protected.get(ALG, self.unprotected.get(ALG))

    @property
    def kid(self) -> bytes | None:
        """The protected kid wins; the unprotected one is only a hint (RFC 9052 §3.1)."""
        kid = self.protected.get(KID, self.unprotected.get(KID))
        return kid if isinstance(kid, bytes) else None

    def to_be_signed(self) -> bytes:
        return sig_structure(self.protected_bytes, self.payload)


def sig_structure(protected_bytes: bytes, payload: bytes) -> bytes:
    return cbor2.dumps(["Signature1", protected_bytes, b"", payload])


def encode_sign1(
    protected: Mapping[int, Any], payload: bytes, sign: Callable[[bytes], bytes]
) -> bytes:
    protected_bytes = cbor2.dumps(dict(protected), canonical=True)
    signature = sign(sig_structure(protected_bytes, payload))
    return cbor2.dumps(cbor2.CBORTag(TAG_SIGN1, [protected_bytes, {}, payload, signature]))


def decode_sign1(data: bytes) -> Sign1:
    item = loads_strict(data)
    if isinstance(item, cbor2.CBORTag) and item.tag == TAG_CWT:
        item = item.value
    if isinstance(item, cbor2.CBORTag):
        if item.tag != TAG_SIGN1:
            raise CoseError(f"unexpected CBOR tag {item.tag}")
        item = item.value
    if not isinstance(item, list | tuple) or len(item) != 4:
        raise CoseError("COSE_Sign1 must be an array of four items")
    protected_bytes, unprotected, payload, signature = item
    if not isinstance(protected_bytes, bytes) or not isinstance(unprotected, Mapping):
        raise CoseError("COSE_Sign1 headers have the wrong types")
    if not isinstance(payload, bytes) or not isinstance(signature, bytes):
        raise CoseError("COSE_Sign1 payload and signature must be byte strings")
    protected = loads_strict(protected_bytes) if protected_bytes else {}
    if not isinstance(protected, Mapping):
        raise CoseError("the protected header must be a map")
    return Sign1(protected_bytes, protected, unprotected, payload, signature)
