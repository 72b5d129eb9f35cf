"""Uploaded materials: size cap, content sniffing (never trust the name or the declared type),
storage outside the web root under a random name, removal if the transaction fails."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import filetype
from django.conf import settings
from django.utils import timezone

from onewindow.core.errors import ValidationFailed

DEFAULT_TYPES = ("application/pdf", "image/jpeg", "image/png")
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


@dataclass(frozen=True)
class IncomingMaterial:
    material_code: str
    filename: str
    content: bytes


@dataclass(frozen=True)
class CheckedMaterial:
    material_code: str
    filename: str
    content: bytes
    content_type: str
    sha256: str


def read_capped(stream: IO[bytes], filename: str) -> bytes:
    """Read an upload, refusing it as soon as it passes the cap."""
    cap = settings.MAX_UPLOAD_BYTES
    data = stream.read(cap + 1)
    if len(data) > cap:
        raise too_large(filename, cap)
    return data


def too_large(filename: str, cap: int) -> ValidationFailed:
    return ValidationFailed(
        "material.too_large",
        f"文件“{filename}”超过 {cap // (1024 * 1024)} MB 上限",
        f"File '{filename}' exceeds the {cap // (1024 * 1024)} MB limit",
        details={"file": filename, "max_bytes": cap},
        status=413,
    )


def check(incoming: IncomingMaterial, accepted: list[str] | tuple[str, ...]) -> CheckedMaterial:
    cap = settings.MAX_UPLOAD_BYTES
    if len(incoming.content) > cap:
        raise too_large(incoming.filename, cap)
    if not incoming.content:
        raise ValidationFailed(
            "material.empty",
            f"文件“{incoming.filename}”为空",
            f"File '{incoming.filename}' is empty",
            details={"file": incoming.filename},
        )
    kind = filetype.guess(incoming.content[:8192])
    sniffed = kind.mime if kind else "application/octet-stream"
    allowed = tuple(accepted) or DEFAULT_TYPES
    if sniffed not in allowed:
        raise ValidationFailed(
            "material.type_mismatch",
            f"文件“{incoming.filename}”的内容是 {sniffed}，不是允许的类型 {', '.join(allowed)}",
            f"File '{incoming.filename}' contains {sniffed}, not one of {', '.join(allowed)}",
            details={"file": incoming.filename, "detected": sniffed, "allowed": list(allowed)},
            status=415,
        )
    name = Path(incoming.filename).name[:200] or "upload"
    return CheckedMaterial(
        incoming.material_code,
        name,
        incoming.content,
        sniffed,
        hashlib.sha256(incoming.content).hexdigest(),
    )


def store(material: CheckedMaterial) -> str:
    """Write the file under STORAGE_PATH and return its storage name (relative path)."""
    now = timezone.now()
    relative = f"{now:%Y/%m}/{uuid.uuid4().hex}.{EXTENSIONS.get(material.content_type, 'bin')}"
    path = Path(settings.STORAGE_PATH) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "xb") as handle:
        handle.write(material.content)
    return relative


def remove(storage_names: list[str]) -> None:
    for name in storage_names:
        (Path(settings.STORAGE_PATH) / name).unlink(missing_ok=True)


def open_stored(storage_name: str) -> IO[bytes]:
    root = Path(settings.STORAGE_PATH).resolve()
    path = (root / storage_name).resolve()
    if root not in path.parents:
        raise ValidationFailed("material.bad_path", "非法路径", "Invalid material path")
    return open(path, "rb")
