"""Reform 13 promise, against the real engine and database: each risk level, from the rules
table alone, routes to its inspection path; a photo without a valid live-capture record
(none, a forged or altered signature, an unknown key, another photo's digest, another
uploader, taken too long ago or away from the premises) is refused with a clear error and
nothing is stored; a valid one is stored with a ledger entry."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
from pathlib import Path
from typing import Any

import pytest
import time_machine
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from PIL import Image

from onewindow.core.errors import ValidationFailed
from onewindow.ledger.models import LedgerEntry
from onewindow.supervision import policies, selectors, services
from onewindow.supervision.models import LivePhoto
from onewindow.workflow import services as workflow_services
from onewindow.workflow.models import DecisionRecord, ProcessInstance, TaskItem

pytestmark = pytest.mark.django_db
PACK = Path(__file__).resolve().parents[1]
RECORDS = json.loads((PACK / "demo" / "records.json").read_text(encoding="utf-8"))
CHINA = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 11, 3, 10, 0, tzinfo=CHINA)
SITE = (30.5801, 114.2712)  # 解放大道, 江汉区
LICENCE = "鄂CA0270001"
SUBJECT = f"renewal:{LICENCE}"


def at(moment: dt.datetime):  # type: ignore[no-untyped-def]
    return time_machine.travel(moment, tick=False)


def start(world, **history: Any) -> ProcessInstance:  # type: ignore[no-untyped-def]
    return services.start_pharmacy_renewal(
        licence_number=history.pop("licence", LICENCE),
        pharmacy_name="武汉仁和大药房江汉店",
        uscc="91420103MA4K2L3M4N",
        site=SITE,
        history=history,
        applicant=world.applicant_user,
        home_jurisdiction="420103",
        actor=world.applicant_user,
        reason="申请换发药品经营许可证 Apply to renew the licence",
    )


def step(instance: ProcessInstance, spec: str, actor, data: dict[str, Any]) -> ProcessInstance:  # type: ignore[no-untyped-def]
    item = TaskItem.objects.get(instance=instance, spec_id=spec, status="open")
    return workflow_services.complete_task(item_id=item.pk, actor=actor, reason=spec, data=data)


@pytest.mark.parametrize(
    ("history", "defects", "risk", "open_step"),
    [
        ({"violations": 1}, (0, 0), "high", "inspect_on_site"),
        ({}, (1, 2), "medium", "video_inspection"),
        ({}, (0, 2), "low", None),
    ],
)
def test_each_risk_level_routes_to_its_path(world, history, defects, risk, open_step):
    instance = start(world, **history)
    instance = step(instance, "fill_records", world.applicant_user, RECORDS)
    instance = step(
        instance,
        "pre_review",
        world.approver_jianghan,
        {"pre_review": "complete", "serious_defects": defects[0], "general_defects": defects[1]},
    )
    (record,) = DecisionRecord.objects.filter(instance=instance)
    assert (record.decision_id, record.outputs["risk"]) == ("r13_risk_level", risk)
    assert record.inputs["严重缺陷项数 Serious defects (pre-review)"] == defects[0]
    opened = list(
        TaskItem.objects.filter(instance=instance, status="open").values_list("spec_id", flat=True)
    )
    if open_step is None:
        assert opened == []
        assert (instance.status, instance.variables["licence_status"]) == ("completed", "renewed")
    else:
        assert opened == [open_step]
        assert instance.status == "active"


def jpeg(colour: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, format="JPEG")
    return out.getvalue()


@pytest.fixture
def capture(world):  # type: ignore[no-untyped-def]
    key = Ed25519PrivateKey.generate()
    raw = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    services.register_capture_key(
        key_id="inspect-miniapp-2026",
        public_key=raw,
        holder="武汉市市场监管局 换证小程序",
        actor="test",
        reason="登记拍摄端密钥 Register the capture key",
    )
    with at(NOW):
        start(world)
    return key


def signed(key: Ed25519PrivateKey, photo: bytes, uploader: str, **changes: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "v": 1,
        "key_id": "inspect-miniapp-2026",
        "sha256": hashlib.sha256(photo).hexdigest(),
        "uploader": uploader,
        "latitude": SITE[0] + 0.0003,  # ~33 m away, inside the shop
        "longitude": SITE[1],
        "captured_at": (NOW - dt.timedelta(minutes=2)).isoformat(),
        **changes,
    }
    record["signature"] = base64.b64encode(key.sign(policies.signed_message(record))).decode()
    return record


def upload(world, photo: bytes, record: Any) -> LivePhoto:  # type: ignore[no-untyped-def]
    with at(NOW):
        return services.store_live_photo(
            subject=SUBJECT,
            photo=photo,
            record=record,
            actor=world.applicant_user,
            reason="上传储存养护记录照片 Upload a storage record photo",
        )


def test_a_live_photo_with_a_valid_record_is_stored(world, capture):
    photo = jpeg()
    row = upload(world, photo, signed(capture, photo, f"user:{world.applicant_user.pk}"))
    assert (row.sha256, row.media_type, row.uploader) == (
        hashlib.sha256(photo).hexdigest(),
        "image/jpeg",
        f"user:{world.applicant_user.pk}",
    )
    assert bytes(row.content) == photo
    assert list(selectors.photos_of(SUBJECT)) == [row]
    assert (
        LedgerEntry.objects.filter(
            subject=f"live_photo:{row.pk}", event="live_photo_stored"
        ).count()
        == 1
    )


def tampered(record: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**record, **changes}


REFUSALS = [
    ("no record", lambda k, p, u: None, "supervision.watermark_missing"),
    ("empty record", lambda k, p, u: {}, "supervision.watermark_missing"),
    (
        "place edited after signing",
        lambda k, p, u: tampered(signed(k, p, u), latitude=30.6),
        "supervision.watermark_signature_invalid",
    ),
    (
        "signed by another key",
        lambda k, p, u: signed(Ed25519PrivateKey.generate(), p, u),
        "supervision.watermark_signature_invalid",
    ),
    (
        "unknown key id",
        lambda k, p, u: signed(k, p, u, key_id="home-made-app"),
        "supervision.capture_key_unknown",
    ),
    (
        "record of another photo",
        lambda k, p, u: signed(k, jpeg((0, 0, 255)), u),
        "supervision.watermark_digest_mismatch",
    ),
    (
        "someone else took it",
        lambda k, p, u: signed(k, p, "user:999999"),
        "supervision.watermark_uploader_mismatch",
    ),
    (
        "taken two hours ago",
        lambda k, p, u: signed(k, p, u, captured_at=(NOW - dt.timedelta(hours=2)).isoformat()),
        "supervision.watermark_time_invalid",
    ),
    (
        "taken 2 km away",
        lambda k, p, u: signed(k, p, u, latitude=SITE[0] + 0.018),
        "supervision.watermark_place_mismatch",
    ),
    (
        "incomplete record",
        lambda k, p, u: {"v": 1, "sha256": hashlib.sha256(p).hexdigest()},
        "supervision.watermark_malformed",
    ),
]


@pytest.mark.parametrize(("case", "make", "code"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_a_photo_without_a_valid_live_record_is_refused_and_nothing_stored(
    world, capture, case, make, code
):
    photo = jpeg()
    before = LedgerEntry.objects.count()
    with pytest.raises(ValidationFailed) as err:
        upload(world, photo, make(capture, photo, f"user:{world.applicant_user.pk}"))
    assert err.value.code == code
    assert err.value.message_zh and err.value.message_en
    assert not LivePhoto.objects.exists()
    assert LedgerEntry.objects.count() == before


def test_a_file_that_is_not_a_photo_is_refused(world, capture):
    fake = b"%PDF-1.4 not a photo"
    with pytest.raises(ValidationFailed) as err:
        upload(world, fake, signed(capture, fake, f"user:{world.applicant_user.pk}"))
    assert err.value.code == "supervision.photo_unreadable"
    assert not LivePhoto.objects.exists()
