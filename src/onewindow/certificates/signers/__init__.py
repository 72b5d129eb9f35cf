"""The signer seam: one `Algorithm` per signature scheme, one folder per implementation.

`signers/ed25519/` (default, `cryptography`) is always there; `signers/sm2/` (国密 SM2 with
SM3, through the optional `sm2` extra, gmalglib) registers itself only when gmalglib imports.
Tests and deployments may register another implementation with `register_algorithm`.

An algorithm turns raw key bytes into a sign function and a verify function once, so the
verifier can keep them per key id; `key_id` is the first 8 bytes of
SHA-256(algorithm name, ":", public key).
"""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from collections.abc import Callable

from onewindow.core.errors import ValidationFailed

SignFunction = Callable[[bytes], bytes]
VerifyFunction = Callable[[bytes, bytes], bool]


class Algorithm(ABC):
    name: str
    cose_alg: int
    label: str

    @abstractmethod
    def generate_private_key(self) -> bytes: ...

    @abstractmethod
    def public_key(self, private_key: bytes) -> bytes: ...

    @abstractmethod
    def signer(self, private_key: bytes) -> SignFunction: ...

    @abstractmethod
    def verifier(self, public_key: bytes) -> VerifyFunction:
        """A function (message, signature) -> bool that never raises on a bad signature;
        raises ValueError here if the public key itself is malformed."""


def key_id(algorithm: str, public_key: bytes) -> bytes:
    return hashlib.sha256(algorithm.encode() + b":" + public_key).digest()[:8]


_BY_NAME: dict[str, Algorithm] = {}
_BY_COSE: dict[int, Algorithm] = {}


def register_algorithm(algorithm: Algorithm) -> None:
    _BY_NAME[algorithm.name] = algorithm
    _BY_COSE[algorithm.cose_alg] = algorithm


def unregister_algorithm(name: str) -> None:
    algorithm = _BY_NAME.pop(name, None)
    if algorithm is not None:
        _BY_COSE.pop(algorithm.cose_alg, None)


def available() -> list[str]:
    return sorted(_BY_NAME)


def get_algorithm(name: str) -> Algorithm:
    algorithm = _BY_NAME.get(name)
    if algorithm is None:
        raise ValidationFailed(
            "certificates.algorithm_unavailable",
            f"签名算法 {name} 不可用（SM2 需要安装 sm2 扩展：pip install 'onewindow[sm2]'）",
            f"signature algorithm {name} is not available "
            "(SM2 needs the sm2 extra: pip install 'onewindow[sm2]')",
            details={"algorithm": name, "available": available()},
        )
    return algorithm


def algorithm_for_cose(cose_alg: object) -> Algorithm | None:
    return _BY_COSE.get(cose_alg) if isinstance(cose_alg, int) else None


def _register_shipped() -> None:
    from onewindow.certificates.signers.ed25519 import Ed25519

    register_algorithm(Ed25519())
    try:
        from onewindow.certificates.signers.sm2 import SM2
    except ImportError:  # the optional extra is not installed
        return
    register_algorithm(SM2())


_register_shipped()
