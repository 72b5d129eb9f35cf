"""The key directory: one private key file per key name, created 0600, never overwritten.

``<dir>/<name>.key`` holds the signer key (``PRIVATE+KEY+...``) and ``<dir>/<name>.pub`` the
verifier key; a ``/`` in the key name becomes ``_`` in the file name.
"""

from __future__ import annotations

import os
from pathlib import Path

from onewindow.core.errors import DomainError, NotFound
from onewindow.ledger import conf
from onewindow.ledger.note import NoteError, Signer, Verifier, check_name


def _stem(name: str) -> str:
    return check_name(name).replace("/", "_")


def key_path(name: str) -> Path:
    return conf.key_dir() / f"{_stem(name)}.key"


def generate_key(name: str) -> tuple[Path, Verifier]:
    """Create a new Ed25519 key file (mode 0600) and its .pub; refuse to overwrite."""
    try:
        signer = Signer.generate(name)
    except NoteError as exc:
        raise DomainError("ledger.bad_key_name", "密钥名无效", str(exc)) from exc
    directory = conf.key_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = key_path(name)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exc:
        raise DomainError(
            "ledger.key_exists",
            f"密钥 {name} 已存在",
            f"key {name} already exists",
            status=409,
        ) from exc
    with os.fdopen(fd, "w") as handle:
        handle.write(signer.skey() + "\n")
    path.with_suffix(".pub").write_text(signer.verifier().vkey() + "\n")
    return path, signer.verifier()


def load_signer(name: str) -> Signer:
    path = key_path(name)
    if not path.is_file():
        raise NotFound(
            "ledger.key_missing",
            f"密钥目录中没有密钥 {name}",
            f"no private key {name} in the key directory (run: ledger keygen {name})",
        )
    signer = Signer.from_skey(path.read_text())
    if signer.name != name:
        raise DomainError(
            "ledger.key_mismatch",
            "密钥文件名与密钥名不符",
            f"key file {path.name} holds key {signer.name}",
        )
    return signer


def has_key(name: str) -> bool:
    try:
        return key_path(name).is_file()
    except NoteError:
        return False


def load_verifier(name: str) -> Verifier:
    """The note (0x01) verifier key of `name`, from its .pub or its private key."""
    pub = key_path(name).with_suffix(".pub")
    if pub.is_file():
        return Verifier.from_vkey(pub.read_text())
    return load_signer(name).verifier()
