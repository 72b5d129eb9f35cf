"""Pure rules of supervision (no ORM, no I/O): the live-capture record a capture app signs,
its checks against the photo, the uploader, the place and the time, and the deadline of a
commitment on the working-day calendar.

The record (水印记录) is a JSON object::

    {"v": 1, "key_id": "...", "sha256": "<hex of the photo>", "uploader": "user:42",
     "latitude": 30.58, "longitude": 114.27, "captured_at": "2026-09-30T10:00:00+08:00",
     "signature": "<base64 Ed25519 signature over signed_message(record)>"}

The capture app signs every field but `signature` as canonical JSON (sorted keys, no
spaces, UTF-8), prefixed with a domain tag so the signature means nothing elsewhere.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

DOMAIN_TAG = b"onewindow live-capture v1\n"
RECORD_FIELDS = ("v", "key_id", "sha256", "uploader", "latitude", "longitude", "captured_at")


@dataclass(frozen=True)
class Refusal:
    """Why a photo is refused: a stable code and the message in Chinese and English."""

    code: str
    message_zh: str
    message_en: str


def signed_message(record: Mapping[str, Any]) -> bytes:
    fields = {name: record[name] for name in RECORD_FIELDS}
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return DOMAIN_TAG + canonical.encode("utf-8")


def record_shape_problem(record: Any) -> Refusal | None:
    if not isinstance(record, Mapping) or not record:
        return Refusal(
            "supervision.watermark_missing",
            "照片缺少实时拍摄水印记录",
            "The photo has no live-capture watermark record",
        )
    absent = [f for f in (*RECORD_FIELDS, "signature") if f not in record]
    if absent or record.get("v") != 1:
        return Refusal(
            "supervision.watermark_malformed",
            f"水印记录不完整或版本不符：{', '.join(absent) or 'v'}",
            f"The watermark record is incomplete or of another version: {', '.join(absent) or 'v'}",
        )
    try:
        float(record["latitude"]), float(record["longitude"])
        parse_time(record["captured_at"])
    except (TypeError, ValueError):
        return Refusal(
            "supervision.watermark_malformed",
            "水印记录的地点或时间格式有误",
            "The place or time in the watermark record is malformed",
        )
    return None


def parse_time(value: Any) -> dt.datetime:
    moment = dt.datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        raise ValueError("captured_at needs a UTC offset")
    return moment


def signature_valid(public_key: bytes, record: Mapping[str, Any]) -> bool:
    try:
        signature = base64.b64decode(str(record["signature"]), validate=True)
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, signed_message(record))
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True


def distance_metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * 6_371_008.8 * math.asin(min(1.0, math.sqrt(a)))


def capture_problem(
    record: Mapping[str, Any],
    *,
    digest: str,
    uploader: str,
    site: tuple[float, float],
    now: dt.datetime,
    max_age_seconds: int,
    skew_seconds: int,
    max_distance_metres: float,
) -> Refusal | None:
    """What is wrong with a signed record for this photo, uploader, site and moment."""
    if str(record["sha256"]).lower() != digest:
        return Refusal(
            "supervision.watermark_digest_mismatch",
            "水印记录与照片内容不符（照片被替换或修改）",
            "The watermark record does not match the photo (replaced or edited)",
        )
    if str(record["uploader"]) != uploader:
        return Refusal(
            "supervision.watermark_uploader_mismatch",
            "水印记录中的拍摄人与上传人不一致",
            "The person in the watermark record is not the uploader",
        )
    age = (now - parse_time(record["captured_at"])).total_seconds()
    if age < -skew_seconds or age > max_age_seconds:
        return Refusal(
            "supervision.watermark_time_invalid",
            f"照片不是实时拍摄（须在上传前 {max_age_seconds // 60} 分钟内拍摄）",
            f"The photo is not live (it must be taken within {max_age_seconds // 60} minutes "
            "before upload)",
        )
    away = distance_metres(float(record["latitude"]), float(record["longitude"]), *site)
    if away > max_distance_metres:
        return Refusal(
            "supervision.watermark_place_mismatch",
            f"拍摄地点距经营场所 {away:.0f} 米，超出 {max_distance_metres:.0f} 米",
            f"The photo was taken {away:.0f} m from the premises (limit "
            f"{max_distance_metres:.0f} m)",
        )
    return None


def deadline_of(calendar: Any, committed_on: dt.date, working_days: int) -> dt.date:
    """The last day to supply the documents: the n-th working day after the commitment day
    (that day not counted), as the process's `working_days(n, start=committed_on)` timer."""
    return calendar.add_working_days(committed_on, working_days)  # type: ignore[no-any-return]
