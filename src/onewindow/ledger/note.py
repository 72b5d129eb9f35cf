"""C2SP signed notes, tlog checkpoints and Ed25519 cosignatures (pure, no database).

- signed-note: text ending in a newline, a blank line, then lines
  ``— <key name> base64(key ID || signature)``; key ID =
  ``SHA-256(name || 0x0A || type || public key)[:4]``; type 0x01 is Ed25519 over the text.
- tlog-cosignature/v1: type 0x04, signature = ``u64 timestamp || Ed25519`` over
  ``"cosignature/v1\\ntime <ts>\\n" || checkpoint text``.
- tlog-checkpoint: text = origin, tree size, base64 root hash (+ optional extension lines).
- Keys use the Go `golang.org/x/mod/sumdb/note` encodings: signer key
  ``PRIVATE+KEY+<name>+<hex id>+base64(0x01 || seed)`` and verifier key
  ``<name>+<hex id>+base64(type || public key)``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import struct
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

ED25519 = 0x01
COSIGNATURE_V1 = 0x04
DASH = "\u2014"
MAX_SIGNATURES = 64
_NAME = re.compile(r"^[^\s+]+$")


class NoteError(ValueError):
    """A malformed note or key, or a signature that does not verify."""


def check_name(name: str) -> str:
    if not _NAME.match(name):
        raise NoteError(f"invalid key name {name!r}: non-empty, no spaces, no '+'")
    return name


def key_id(name: str, signature_type: int, public_key: bytes) -> bytes:
    digest = hashlib.sha256(name.encode() + b"\n" + bytes([signature_type]) + public_key)
    return digest.digest()[:4]


def _b64decode(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise NoteError(f"invalid base64 {text[:20]!r}") from exc


def _raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


@dataclass(frozen=True)
class Verifier:
    """A trusted public key: name, type (0x01 note or 0x04 cosignature) and key bytes."""

    name: str
    signature_type: int
    public_key: bytes

    @property
    def key_id(self) -> bytes:
        return key_id(self.name, self.signature_type, self.public_key)

    @classmethod
    def from_vkey(cls, vkey: str) -> Verifier:
        parts = vkey.strip().split("+", 2)
        if len(parts) != 3 or len(parts[1]) != 8:
            raise NoteError("verifier key must be <name>+<hex id>+<base64 key>")
        name, hex_id, material = check_name(parts[0]), parts[1], _b64decode(parts[2])
        if len(material) != 33 or material[0] not in (ED25519, COSIGNATURE_V1):
            raise NoteError("verifier key is not an Ed25519 note or cosignature key")
        verifier = cls(name, material[0], material[1:])
        if verifier.key_id.hex() != hex_id.lower():
            raise NoteError("verifier key id does not match its name and key")
        return verifier

    def vkey(self) -> str:
        material = base64.b64encode(bytes([self.signature_type]) + self.public_key).decode()
        return f"{self.name}+{self.key_id.hex()}+{material}"

    def message(self, text: bytes, signature: bytes) -> tuple[bytes, bytes]:
        """Split a signature into (signed message, raw Ed25519 signature)."""
        if self.signature_type == COSIGNATURE_V1:
            if len(signature) != 72:
                raise NoteError("cosignature must be 8 timestamp bytes + 64 signature bytes")
            (timestamp,) = struct.unpack(">Q", signature[:8])
            return cosignature_message(text, timestamp), signature[8:]
        return text, signature

    def verify(self, text: bytes, signature: bytes) -> None:
        message, raw = self.message(text, signature)
        try:
            verify_ed25519(self.public_key, message, raw)
        except NoteError as exc:
            raise NoteError(f"signature by {self.name} does not verify") from exc


def verify_ed25519(public_key: bytes, message: bytes, signature: bytes) -> None:
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
    except (InvalidSignature, ValueError) as exc:
        raise NoteError("signature does not verify") from exc


def cosignature_message(text: bytes, timestamp: int) -> bytes:
    return b"cosignature/v1\ntime %d\n" % timestamp + text


@dataclass(frozen=True)
class Signer:
    """An Ed25519 private key with its key name (kept only in the key directory)."""

    name: str
    private_key: Ed25519PrivateKey = field(repr=False)

    @classmethod
    def generate(cls, name: str) -> Signer:
        return cls(check_name(name), Ed25519PrivateKey.generate())

    @classmethod
    def from_skey(cls, skey: str) -> Signer:
        parts = skey.strip().split("+", 4)
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
            raise NoteError("signer key must be PRIVATE+KEY+<name>+<hex id>+<base64 key>")
        material = _b64decode(parts[4])
        if len(material) != 33 or material[0] != ED25519:
            raise NoteError("signer key is not an Ed25519 key")
        signer = cls(check_name(parts[2]), Ed25519PrivateKey.from_private_bytes(material[1:]))
        if signer.verifier().key_id.hex() != parts[3].lower():
            raise NoteError("signer key id does not match its name and key")
        return signer

    def skey(self) -> str:
        seed = self.private_key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        material = base64.b64encode(bytes([ED25519]) + seed).decode()
        return f"PRIVATE+KEY+{self.name}+{self.verifier().key_id.hex()}+{material}"

    @property
    def public_key(self) -> bytes:
        return _raw_public(self.private_key.public_key())

    def verifier(self, signature_type: int = ED25519) -> Verifier:
        return Verifier(self.name, signature_type, self.public_key)

    def sign(self, text: bytes) -> bytes:
        return self.private_key.sign(text)

    def signature_line(self, text: bytes) -> str:
        """Signed-note line for an Ed25519 (0x01) signature over `text`."""
        blob = self.verifier().key_id + self.sign(text)
        return f"{DASH} {self.name} {base64.b64encode(blob).decode()}\n"

    def cosignature_line(self, text: bytes, timestamp: int) -> str:
        """tlog-cosignature/v1 line (0x04) over checkpoint `text` at POSIX `timestamp`."""
        signature = self.sign(cosignature_message(text, timestamp))
        blob = self.verifier(COSIGNATURE_V1).key_id + struct.pack(">Q", timestamp) + signature
        return f"{DASH} {self.name} {base64.b64encode(blob).decode()}\n"


@dataclass(frozen=True)
class Signature:
    name: str
    key_id: bytes
    signature: bytes

    def line(self) -> str:
        return f"{DASH} {self.name} {base64.b64encode(self.key_id + self.signature).decode()}\n"


def parse_note(note: str) -> tuple[str, list[Signature]]:
    """Split a signed note into its text and its signature lines."""
    if any(ord(c) < 0x20 and c != "\n" for c in note):
        raise NoteError("note contains control characters")
    split = note.rfind("\n\n")
    if split < 0 or not note.endswith("\n"):
        raise NoteError("note has no signature block")
    text, block = note[: split + 1], note[split + 2 :]
    signatures = []
    for line in block.splitlines():
        prefix, _, rest = line.partition(" ")
        name, _, encoded = rest.partition(" ")
        if prefix != DASH or not name or not encoded or " " in encoded:
            raise NoteError(f"malformed signature line {line[:40]!r}")
        blob = _b64decode(encoded)
        if len(blob) < 5:
            raise NoteError("signature too short")
        signatures.append(Signature(check_name(name), blob[:4], blob[4:]))
    if not signatures or len(signatures) > MAX_SIGNATURES:
        raise NoteError("note must carry between 1 and 64 signatures")
    return text, signatures


def open_note(note: str, verifiers: list[Verifier]) -> tuple[str, list[Verifier]]:
    """Verify a note: every signature by a known key must verify, and at least one must exist.

    Returns the text and the verifiers whose signatures verified; unknown signatures are
    ignored, as the spec requires.
    """
    text, signatures = parse_note(note)
    known = {(v.name, v.key_id): v for v in verifiers}
    verified = []
    for signature in signatures:
        verifier = known.get((signature.name, signature.key_id))
        if verifier is None:
            continue
        verifier.verify(text.encode(), signature.signature)
        verified.append(verifier)
    if not verified:
        raise NoteError("no signature from a known key")
    return text, verified


@dataclass(frozen=True)
class CheckpointBody:
    origin: str
    tree_size: int
    root_hash: bytes
    extensions: tuple[str, ...] = ()

    def text(self) -> str:
        lines = [self.origin, str(self.tree_size), base64.b64encode(self.root_hash).decode()]
        return "\n".join([*lines, *self.extensions]) + "\n"


def parse_checkpoint(text: str) -> CheckpointBody:
    lines = text.split("\n")
    if len(lines) < 4 or lines[-1] != "" or any(not line for line in lines[:-1]):
        raise NoteError("checkpoint must have origin, size and root lines")
    origin, size, root = lines[0], lines[1], lines[2]
    if not size.isdigit() or (size != "0" and size.startswith("0")):
        raise NoteError(f"invalid tree size {size!r}")
    root_hash = _b64decode(root)
    if len(root_hash) != 32:
        raise NoteError("root hash must be 32 bytes")
    return CheckpointBody(origin, int(size), root_hash, tuple(lines[3:-1]))
