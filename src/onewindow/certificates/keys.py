"""Departments' signing keys: private halves in the key directory, public halves in the
database, every change a ledger entry.

Files: ``$ONEWINDOW_KEY_DIR/certificates/<department>-<kid>.<algorithm>``, created with mode
0600 (the folder 0700), holding the raw private key in base64. A key file readable by group
or others is refused. Private keys never enter the database or the repository.

- `create_signing_key`: a department's first key for a purpose (certificate or list).
- `rotate_signing_key`: a new active key; the old one is retired and still verifies what it
  signed during its validity period (both stay in the trust list).
- `revoke_signing_key`: a compromised key; nothing it signed verifies any more.
- `signer_for(key)`: the sign function of a stored key (cached per process).
"""

from __future__ import annotations

import base64
import os
import re
import stat
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from onewindow.accounts.models import Department
from onewindow.certificates import conf, signers
from onewindow.certificates.constants import KeyEvent, KeyPurpose, KeyStatus
from onewindow.certificates.models import SigningKey
from onewindow.certificates.policies import actor_name
from onewindow.core.errors import Conflict, DomainError, NotFound, ValidationFailed
from onewindow.ledger.services import append_entry

_SAFE = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")
_SIGNERS: dict[str, signers.SignFunction] = {}


def key_file(department_code: str, kid: str, algorithm: str) -> Path:
    if not _SAFE.match(department_code) or not _SAFE.match(algorithm):
        raise ValidationFailed(
            "certificates.bad_key_name",
            "部门代码或算法名不能用作文件名",
            "department code or algorithm is not usable in a file name",
        )
    return conf.certificate_key_dir() / f"{department_code}-{kid}.{algorithm}"


def _write_private_key(path: Path, private_key: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(base64.b64encode(private_key).decode("ascii") + "\n")


def read_private_key(key: SigningKey) -> bytes:
    path = key_file(key.department.code, key.kid, key.algorithm)
    if not path.is_file():
        raise NotFound(
            "certificates.key_missing",
            f"密钥目录中没有密钥 {path.name}",
            f"no private key file {path.name} in the key directory {path.parent}",
        )
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        raise DomainError(
            "certificates.key_file_exposed",
            f"密钥文件 {path.name} 权限过宽，应为 0600",
            f"key file {path.name} is readable by group or others; chmod 600 it",
            status=500,
        )
    private_key = base64.b64decode(path.read_text().strip())
    algorithm = signers.get_algorithm(key.algorithm)
    if algorithm.public_key(private_key) != bytes(key.public_key):
        raise DomainError(
            "certificates.key_mismatch",
            "密钥文件与登记的公钥不符",
            f"key file {path.name} does not match the registered public key",
            status=500,
        )
    return private_key


def signer_for(key: SigningKey) -> signers.SignFunction:
    sign = _SIGNERS.get(key.kid)
    if sign is None:
        sign = signers.get_algorithm(key.algorithm).signer(read_private_key(key))
        _SIGNERS[key.kid] = sign
    return sign


def key_snapshot(key: SigningKey) -> dict[str, Any]:
    return {
        "kid": key.kid,
        "department": key.department.code,
        "algorithm": key.algorithm,
        "purpose": key.purpose,
        "public_key": base64.b64encode(bytes(key.public_key)).decode("ascii"),
        "status": key.status,
        "valid_from": key.valid_from,
        "valid_until": key.valid_until,
        "revoked_at": key.revoked_at,
    }


def _department(code: str) -> Department:
    department = Department.objects.filter(code=code).first()
    if department is None:
        raise NotFound(
            "certificates.unknown_department", f"没有部门 {code}", f"no department {code}"
        )
    return department


def _check_purpose(purpose: str) -> None:
    if purpose not in KeyPurpose.values:
        raise ValidationFailed(
            "certificates.bad_key_purpose",
            "密钥用途无效",
            f"key purpose must be one of {KeyPurpose.values}",
        )


def _new_key(department: Department, algorithm_name: str, purpose: str, actor: str) -> SigningKey:
    algorithm = signers.get_algorithm(algorithm_name)
    private_key = algorithm.generate_private_key()
    public_key = algorithm.public_key(private_key)
    kid = signers.key_id(algorithm.name, public_key).hex()
    _write_private_key(key_file(department.code, kid, algorithm.name), private_key)
    return SigningKey.objects.create(
        department=department,
        kid=kid,
        algorithm=algorithm.name,
        purpose=purpose,
        public_key=public_key,
        status=KeyStatus.ACTIVE,
        valid_from=timezone.now(),
        created_by=actor,
    )


def _record(key: SigningKey, event: str, actor: str, reason: str) -> None:
    snapshot = key_snapshot(key)
    append_entry(
        actor=actor,
        event=event,
        subject=f"signing_key:{key.kid}",
        reason=reason,
        payload=snapshot,
        state=snapshot,
    )


def _active_key(department: Department, purpose: str) -> SigningKey | None:
    return (
        SigningKey.objects.select_for_update()
        .filter(department=department, purpose=purpose, status=KeyStatus.ACTIVE)
        .first()
    )


def create_signing_key(
    *,
    department_code: str,
    actor: Any,
    reason: str,
    algorithm: str = "ed25519",
    purpose: str = KeyPurpose.CERTIFICATE,
) -> SigningKey:
    """The first key of a department for a purpose; `rotate_signing_key` replaces it."""
    _check_purpose(purpose)
    who = actor_name(actor)
    with transaction.atomic():
        department = _department(department_code)
        if _active_key(department, purpose) is not None:
            raise Conflict(
                "certificates.key_exists",
                f"部门 {department_code} 已有在用密钥，请使用轮换",
                f"department {department_code} already has an active {purpose} key; rotate it",
            )
        key = _new_key(department, algorithm, purpose, who)
        _record(key, KeyEvent.CREATED, who, reason)
    return key


def rotate_signing_key(
    *,
    department_code: str,
    actor: Any,
    reason: str,
    algorithm: str | None = None,
    purpose: str = KeyPurpose.CERTIFICATE,
) -> SigningKey:
    """A new active key; the old one is retired (kept in the trust list, still verifies)."""
    _check_purpose(purpose)
    who = actor_name(actor)
    with transaction.atomic():
        department = _department(department_code)
        old = _active_key(department, purpose)
        if old is not None:
            old.status = KeyStatus.RETIRED
            old.valid_until = timezone.now()
            old.save(update_fields=["status", "valid_until"])
            _record(old, KeyEvent.RETIRED, who, reason)
        chosen = algorithm or (old.algorithm if old else "ed25519")
        key = _new_key(department, chosen, purpose, who)
        _record(key, KeyEvent.CREATED, who, reason)
    return key


def revoke_signing_key(*, kid: str, actor: Any, reason: str) -> SigningKey:
    """A compromised key: signatures made with it no longer verify anywhere."""
    who = actor_name(actor)
    with transaction.atomic():
        key = SigningKey.objects.select_for_update().filter(kid=kid).first()
        if key is None:
            raise NotFound("certificates.unknown_key", f"没有密钥 {kid}", f"no signing key {kid}")
        if key.status == KeyStatus.REVOKED:
            raise Conflict("certificates.key_revoked", "密钥已吊销", f"key {kid} is revoked")
        now = timezone.now()
        key.status = KeyStatus.REVOKED
        key.revoked_at = now
        key.valid_until = key.valid_until or now
        key.save(update_fields=["status", "revoked_at", "valid_until"])
        _record(key, KeyEvent.REVOKED, who, reason)
    _SIGNERS.pop(kid, None)
    return key
