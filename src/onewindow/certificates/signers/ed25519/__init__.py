"""Ed25519 (RFC 8032) through `cryptography`; COSE algorithm EdDSA (-8)."""

from __future__ import annotations

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from onewindow.certificates.signers import Algorithm, SignFunction, VerifyFunction

_RAW = serialization.Encoding.Raw


class Ed25519(Algorithm):
    name = "ed25519"
    cose_alg = -8
    label = "Ed25519 (EdDSA)"

    def generate_private_key(self) -> bytes:
        return Ed25519PrivateKey.generate().private_bytes(
            _RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption()
        )

    def public_key(self, private_key: bytes) -> bytes:
        key = Ed25519PrivateKey.from_private_bytes(private_key)
        return key.public_key().public_bytes(_RAW, serialization.PublicFormat.Raw)

    def signer(self, private_key: bytes) -> SignFunction:
        return Ed25519PrivateKey.from_private_bytes(private_key).sign

    def verifier(self, public_key: bytes) -> VerifyFunction:
        key = Ed25519PublicKey.from_public_bytes(public_key)

        def verify(message: bytes, signature: bytes) -> bool:
            try:
                key.verify(signature, message)
            except InvalidSignature:
                return False
            return True

        return verify
