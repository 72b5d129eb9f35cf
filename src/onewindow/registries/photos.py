"""Photo fingerprints for the local identity check: a 64-bit difference hash (dHash)."""

from __future__ import annotations

import io

from PIL import Image, UnidentifiedImageError

from onewindow.core.errors import ValidationFailed

MAX_PIXELS = 40_000_000


def dhash(photo: bytes) -> str:
    """16 hex digits: for each row of a 9×8 grey thumbnail, is each pixel brighter than its
    right neighbour."""
    try:
        with Image.open(io.BytesIO(photo)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ValidationFailed(
                    "identity.photo_too_large", "照片像素过大", "The photo is too large"
                )
            grey = image.convert("L").resize((9, 8), Image.Resampling.LANCZOS)
            pixels = list(grey.tobytes())  # mode L: one byte per pixel
    except (UnidentifiedImageError, OSError) as exc:
        raise ValidationFailed(
            "identity.photo_unreadable",
            "无法识别照片，请上传 JPEG 或 PNG 图片",
            "The photo cannot be read; upload a JPEG or PNG picture",
        ) from exc
    bits = 0
    for row in range(8):
        for col in range(8):
            left, right = pixels[row * 9 + col], pixels[row * 9 + col + 1]
            bits = bits << 1 | (left > right)
    return f"{bits:016x}"


def similarity(hash_a: str, hash_b: str) -> float:
    """1.0 for equal hashes, about 0.5 for unrelated pictures."""
    distance = bin(int(hash_a, 16) ^ int(hash_b, 16)).count("1")
    return round(1 - distance / 64, 4)
