"""Write operations of supervision. Keyword-only, explicit actor and reason, one transaction,
ledger entries inside it.

* `start_promise_application` — reform 5: look up the firm's credit grade and restriction
  entries (registries, logged data exchange) and its commitment history, then start the
  pack's `r05_promise_then_produce` process (subject `promise:<reference>`).
* `start_pharmacy_renewal` — reform 13: start `r13_pharmacy_licence_renewal` with the
  filing and supervision history (subject `renewal:<licence number>`).
* `register_capture_key` — trust a capture app's Ed25519 public key.
* `store_live_photo` — accept a photo only with a valid signed live-capture record.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from onewindow.accounts.models import User
from onewindow.catalog.services import default_packs_root
from onewindow.core.errors import Conflict, NotFound, ValidationFailed
from onewindow.core.middleware import current_request_id
from onewindow.ledger.services import append_entry
from onewindow.registries.exchange import QueryContext
from onewindow.registries.person_checks import check_credit, check_restrictions
from onewindow.supervision import constants, policies, selectors
from onewindow.supervision.models import CaptureKey, LivePhoto
from onewindow.supervision.process import PROMISE_SUBJECT, sync_commitment
from onewindow.supervision.snapshots import photo_snapshot
from onewindow.workflow import selectors as workflow_selectors
from onewindow.workflow import services as workflow_services
from onewindow.workflow.models import ProcessInstance

R05_PACK = "r05_promise_then_produce"
R13_PACK = "r13_pharmacy_licence_renewal"
HISTORY_YEARS = 3
PHOTO_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png"}


def _name(actor: User | str) -> str:
    return f"user:{actor.pk}" if isinstance(actor, User) else str(actor)


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("supervision.reason_required", "请填写理由", "A reason is required")
    return reason


def _pack(code: str) -> Path:
    return default_packs_root() / code


def credit_facts(uscc: str, *, actor: User | str, reference: str) -> dict[str, Any]:
    """The DMN inputs about the firm: credit grade, restriction entries in force, broken
    commitments in the last three years."""
    context = QueryContext(
        requester=_name(actor),
        purpose="告知承诺信用核查 Credit check for a commitment (告知承诺)",
        legal_basis="《优化营商环境条例》第四十条；国办发〔2020〕42号 告知承诺制",
        reference=reference,
    )
    credit = check_credit(identifier=uscc, context=context)
    restrictions = check_restrictions(usccs=[uscc], context=context)
    today = timezone.localdate()
    since = today.replace(year=today.year - HISTORY_YEARS)
    return {
        "credit_grade": credit.data.get("grade"),
        "restricted": any(i.severity == "error" for i in restrictions.issues),
        "broken_commitments": selectors.broken_commitments(uscc, since=since),
    }


@transaction.atomic
def start_promise_application(
    *,
    reference: str,
    firm_uscc: str,
    firm_name: str,
    submitted_documents: Sequence[str],
    applicant: User,
    home_jurisdiction: str,
    actor: User | str,
    reason: str,
) -> ProcessInstance:
    """Reform 5: scope change (add medical devices) and class-I device filing, together."""
    reason = _reason(reason)
    subject = f"{PROMISE_SUBJECT}:{reference}"
    if workflow_selectors.instance_of(subject) is not None:
        raise Conflict(
            "supervision.application_exists",
            f"申请 {reference} 已存在",
            f"Application {reference} already exists",
        )
    data = {
        "reference": reference,
        "firm_uscc": firm_uscc,
        "firm_name": firm_name,
        "submitted_documents": list(submitted_documents),
        "applicant_user": applicant.pk,
        "home_jurisdiction": home_jurisdiction,
        **credit_facts(firm_uscc, actor=actor, reference=reference),
    }
    instance = workflow_services.start_process(
        process_id="r05_promise_then_produce",
        actor=actor,
        reason=reason,
        subject=subject,
        business_key=reference,
        data=data,
        pack_dir=_pack(R05_PACK),
    )
    sync_commitment(subject, instance, actor=_name(actor), reason=reason)
    return instance


@transaction.atomic
def start_pharmacy_renewal(
    *,
    licence_number: str,
    pharmacy_name: str,
    uscc: str,
    site: tuple[float, float],
    history: Mapping[str, Any],
    applicant: User,
    home_jurisdiction: str,
    actor: User | str,
    reason: str,
) -> ProcessInstance:
    """Reform 13: `history` holds `filing_abnormal` (bool), `violations` and
    `inspection_findings` (counts over the licence period) from the supervision records."""
    reason = _reason(reason)
    data = {
        "licence_number": licence_number,
        "pharmacy_name": pharmacy_name,
        "uscc": uscc,
        "site_latitude": site[0],
        "site_longitude": site[1],
        "filing_abnormal": bool(history.get("filing_abnormal", False)),
        "violations": int(history.get("violations", 0)),
        "inspection_findings": int(history.get("inspection_findings", 0)),
        "applicant_user": applicant.pk,
        "home_jurisdiction": home_jurisdiction,
    }
    return workflow_services.start_process(
        process_id="r13_pharmacy_licence_renewal",
        actor=actor,
        reason=reason,
        subject=f"renewal:{licence_number}",
        business_key=licence_number,
        data=data,
        pack_dir=_pack(R13_PACK),
    )


@transaction.atomic
def register_capture_key(
    *, key_id: str, public_key: bytes, holder: str, actor: User | str, reason: str
) -> CaptureKey:
    reason = _reason(reason)
    if len(public_key) != 32:
        raise ValidationFailed(
            "supervision.capture_key_invalid",
            "拍摄端公钥须为 32 字节 Ed25519 公钥",
            "A capture key must be a 32-byte Ed25519 public key",
        )
    key = CaptureKey.objects.create(
        key_id=key_id,
        public_key=public_key,
        holder=holder,
        registered_at=timezone.now(),
        registered_by=_name(actor),
    )
    append_entry(
        actor=_name(actor),
        event="capture_key_registered",
        subject=f"capture_key:{key.key_id}",
        reason=reason,
        payload={"key_id": key_id, "holder": holder, "public_key": public_key.hex()},
        request_id=current_request_id(),
    )
    return key


def _refuse(refusal: policies.Refusal, details: dict[str, Any]) -> ValidationFailed:
    return ValidationFailed(refusal.code, refusal.message_zh, refusal.message_en, details=details)


def _site_of(subject: str) -> tuple[float, float]:
    instance = workflow_selectors.instance_of(subject)
    values = instance.variables if instance is not None else {}
    if "site_latitude" not in values:
        raise NotFound(
            "supervision.subject_not_found",
            f"未找到 {subject} 的经营场所位置",
            f"No premises location is known for {subject}",
        )
    return float(values["site_latitude"]), float(values["site_longitude"])


def _media_type(photo: bytes) -> str:
    try:
        with Image.open(io.BytesIO(photo)) as image:
            image.verify()
            kind = image.format or ""
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        kind = ""
    if kind not in PHOTO_TYPES:
        raise ValidationFailed(
            "supervision.photo_unreadable",
            "上传的文件不是可识别的 JPEG 或 PNG 照片",
            "The upload is not a readable JPEG or PNG photo",
        )
    return PHOTO_TYPES[kind]


def check_live_photo(
    *, subject: str, photo: bytes, record: Any, uploader: str, now: dt.datetime
) -> tuple[str, CaptureKey]:
    """Verify the photo and its signed live-capture record; returns (media type, key).
    Raises a `ValidationFailed` naming the first problem."""
    if not photo or len(photo) > constants.PHOTO_MAX_BYTES:
        raise ValidationFailed(
            "supervision.photo_size",
            "照片为空或超过 10 MB",
            "The photo is empty or larger than 10 MB",
        )
    media_type = _media_type(photo)
    problem = policies.record_shape_problem(record)
    if problem is not None:
        raise _refuse(problem, {"subject": subject})
    key = selectors.active_key(str(record["key_id"]))
    if key is None:
        raise ValidationFailed(
            "supervision.capture_key_unknown",
            "水印记录的签名密钥未登记或已停用",
            "The watermark record is signed by an unknown or retired capture key",
            details={"key_id": str(record["key_id"])[:64]},
        )
    if not policies.signature_valid(bytes(key.public_key), record):
        raise ValidationFailed(
            "supervision.watermark_signature_invalid",
            "水印记录签名无效（记录被篡改或非实时拍摄端生成）",
            "The watermark record's signature is invalid (altered, or not from a capture app)",
            details={"key_id": key.key_id},
        )
    problem = policies.capture_problem(
        record,
        digest=hashlib.sha256(photo).hexdigest(),
        uploader=uploader,
        site=_site_of(subject),
        now=now,
        max_age_seconds=constants.PHOTO_MAX_AGE_SECONDS,
        skew_seconds=constants.PHOTO_CLOCK_SKEW_SECONDS,
        max_distance_metres=constants.PHOTO_MAX_DISTANCE_METRES,
    )
    if problem is not None:
        raise _refuse(problem, {"subject": subject, "key_id": key.key_id})
    return media_type, key


@transaction.atomic
def store_live_photo(
    *, subject: str, photo: bytes, record: Any, actor: User, reason: str
) -> LivePhoto:
    """Store a photo for `subject` (e.g. `renewal:<licence>`) taken live by `actor` at the
    premises: the record must be signed by a registered capture key over this photo's
    SHA-256, name the actor as uploader, be captured within the allowed time before upload
    and within the allowed distance of the premises. Anything else is refused and nothing
    is stored."""
    reason = _reason(reason)
    now = timezone.now()
    uploader = _name(actor)
    media_type, key = check_live_photo(
        subject=subject, photo=photo, record=record, uploader=uploader, now=now
    )
    digest = hashlib.sha256(photo).hexdigest()
    if LivePhoto.objects.filter(subject=subject, sha256=digest).exists():
        raise Conflict(
            "supervision.photo_exists",
            "该照片已上传",
            "This photo has already been uploaded",
            details={"sha256": digest},
        )
    row = LivePhoto.objects.create(
        subject=subject,
        sha256=digest,
        content=photo,
        media_type=media_type,
        uploader=uploader,
        latitude=float(record["latitude"]),
        longitude=float(record["longitude"]),
        captured_at=policies.parse_time(record["captured_at"]),
        key=key,
        record=dict(record),
        stored_at=now,
        stored_by=uploader,
    )
    state = photo_snapshot(row)
    append_entry(
        actor=uploader,
        event="live_photo_stored",
        subject=f"live_photo:{row.pk}",
        reason=reason,
        payload=state,
        request_id=current_request_id(),
        state=state,
    )
    return row
