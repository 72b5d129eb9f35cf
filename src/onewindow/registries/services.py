"""Write operations of the registries app. Keyword-only, explicit actor and reason, one
transaction each, with a ledger entry.

- `issue_uscc`: the next unified social credit code of an authority (never reused).
- `register_entity`: a new market entity with its code and its name (re-checked).
- `reserve_name`: keep a name for an applicant (名称自主申报保留).
- `register_address_host`, `confirm_hosted_address`: the hosted-address directory.
"""

from __future__ import annotations

import base64
from datetime import date, timedelta
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.db import IntegrityError, transaction
from django.utils import timezone

from onewindow.core.errors import Conflict, NotFound, ValidationFailed
from onewindow.ledger.services import append_entry
from onewindow.registries import policies, uscc
from onewindow.registries.constants import EntityOrigin, EntityType, NameStatus
from onewindow.registries.models import (
    AddressHost,
    EnterpriseName,
    HostedAddress,
    IssuedUscc,
    MarketEntity,
    UsccSequence,
)
from onewindow.registries.names import lookup, rules
from onewindow.registries.names.keys import pinyin_key
from onewindow.registries.names.parse import ParsedName, parse_name
from onewindow.registries.names.vocabulary import get_vocabulary
from onewindow.registries.results import ERROR
from onewindow.registries.snapshots import entity_snapshot

RESERVATION_DAYS = 30


def _require_reason(reason: str) -> str:
    if not (reason or "").strip():
        raise ValidationFailed("registry.reason_required", "请填写理由", "A reason is required")
    return reason.strip()


def _sequence_for(division: str) -> UsccSequence:
    row = UsccSequence.objects.select_for_update().filter(authority_division=division).first()
    if row is None:
        taken = set(UsccSequence.objects.values_list("block", flat=True))
        position = 0
        while uscc.block_for(position) in taken:
            position += 1
        row = UsccSequence.objects.create(
            authority_division=division, block=uscc.block_for(position), last=0
        )
    return row


def allocate_serials(division: str, count: int) -> tuple[str, int]:
    """Reserve `count` serials of an authority inside the caller's transaction: returns the
    block and the first serial. The counter only grows, so a serial is never reused."""
    row = _sequence_for(division)
    first = row.last + 1
    row.last += count
    row.save(update_fields=["last"])
    return row.block, first


def issue_uscc(*, authority_division: str, entity_type: str, actor: str, reason: str) -> str:
    """The next code of the registration authority (6-digit GB/T 2260 division)."""
    reason = _require_reason(reason)
    if len(authority_division) != 6 or not authority_division.isdigit():
        raise ValidationFailed(
            "uscc.bad_authority",
            "登记机关区划代码应为6位数字",
            "The registration authority is a 6-digit division code",
            details={"value": authority_division},
        )
    EntityType(entity_type)
    with transaction.atomic():
        while True:
            block, serial = allocate_serials(authority_division, 1)
            code = uscc.compose(
                entity_type=entity_type, division=authority_division, block=block, serial=serial
            )
            # A loaded register may already hold a code of this block: skip, never reuse.
            if not MarketEntity.objects.filter(uscc=code).exists():
                break
        IssuedUscc.objects.create(uscc=code, issued_at=timezone.now(), issued_by=actor)
        append_entry(
            actor=actor,
            event="uscc_issued",
            subject=f"uscc:{code}",
            reason=reason,
            payload={"uscc": code, "authority": authority_division, "serial": serial},
        )
    return code


def name_row(parsed: ParsedName, **fields: Any) -> EnterpriseName:
    """An (unsaved) names-index row for a parsed name."""
    return EnterpriseName(
        name=parsed.name,
        region_word=parsed.region_word,
        region_code=parsed.region_key,
        trade_name=parsed.trade_name,
        trade_pinyin=pinyin_key(parsed.trade_name),
        industry_wording=parsed.industry_wording,
        industry_key=parsed.industry_key,
        organisational_form=parsed.organisational_form,
        created_at=timezone.now(),
        **fields,
    )


def _guard_name(parsed: ParsedName, *, allow_pk: int | None = None) -> None:
    """Refuse a malformed name, or one that conflicts with a name in use (re-checked on the
    write path, whatever the caller checked before)."""
    vocab = get_vocabulary()
    issues = rules.structure_issues(parsed, vocab) + rules.word_issues(parsed.name, vocab)
    errors = [i.code for i in issues if i.severity == ERROR]
    if errors:
        raise ValidationFailed(
            "name.invalid",
            f"名称不符合登记规定：{'、'.join(errors)}",
            f"The name does not meet the naming rules: {', '.join(errors)}",
            details={"issues": errors},
        )
    found = [
        c
        for c in lookup.confirmed_conflicts(parsed, fresh=True)
        if c.existing.record_id != allow_pk
    ]
    if found:
        first = found[0]
        raise Conflict(
            "name.conflict",
            f"名称与“{first.existing.name}”冲突",
            f"The name conflicts with {first.existing.name}",
            details={"code": first.code, "existing_name": first.existing.name},
        )


def reserve_name(
    *, name: str, actor: str, reason: str, days: int = RESERVATION_DAYS
) -> EnterpriseName:
    reason = _require_reason(reason)
    parsed = parse_name(name)
    with transaction.atomic():
        _guard_name(parsed)
        until = timezone.now() + timedelta(days=days)
        try:
            with transaction.atomic():
                row = name_row(parsed, status=NameStatus.RESERVED, reserved_until=until)
                row.save()
        except IntegrityError as exc:
            raise Conflict("name.conflict", "该名称已被使用", "The name is already in use") from exc
        transaction.on_commit(lookup.mark_stale)
        append_entry(
            actor=actor,
            event="enterprise_name_reserved",
            subject=f"enterprise_name:{row.pk}",
            reason=reason,
            payload={"name": row.name, "reserved_until": until.isoformat()},
        )
    return row


def register_entity(
    *,
    name: str,
    entity_type: str,
    registered_address: str,
    legal_representative: str,
    legal_representative_id: str,
    industry_code: str,
    authority_division: str,
    actor: str,
    reason: str,
    legal_form: str = "",
    division_code: str = "",
) -> MarketEntity:
    """Register a new entity: issue its code, record it and its name (a reservation of the
    same name becomes the registered name), in one transaction."""
    reason = _require_reason(reason)
    parsed = parse_name(name)
    with transaction.atomic():
        reserved = EnterpriseName.objects.filter(
            name=parsed.name, status=NameStatus.RESERVED
        ).first()
        _guard_name(parsed, allow_pk=reserved.pk if reserved else None)
        code = issue_uscc(
            authority_division=authority_division,
            entity_type=entity_type,
            actor=actor,
            reason=reason,
        )
        entity = MarketEntity.objects.create(
            uscc=code,
            name=parsed.name,
            entity_type=entity_type,
            legal_form=legal_form,
            registered_address=registered_address,
            division_code=division_code,
            legal_representative=legal_representative,
            legal_representative_id=legal_representative_id,
            industry_code=industry_code,
            registration_authority=authority_division,
            established_on=timezone.localdate(),
            origin=EntityOrigin.ISSUED,
        )
        IssuedUscc.objects.filter(uscc=code).update(entity=entity)
        if reserved is not None:
            EnterpriseName.objects.filter(pk=reserved.pk).update(
                status=NameStatus.REGISTERED, entity=entity, reserved_until=None
            )
        else:
            name_row(parsed, status=NameStatus.REGISTERED, entity=entity).save()
        transaction.on_commit(lookup.mark_stale)
        state = entity_snapshot(entity)
        append_entry(
            actor=actor,
            event="market_entity_registered",
            subject=f"market_entity:{code}",
            reason=reason,
            payload=state,
            state=state,
        )
    return entity


def register_address_host(
    *, uscc_code: str, name: str, public_key: bytes, actor: str, reason: str
) -> AddressHost:
    reason = _require_reason(reason)
    try:
        Ed25519PublicKey.from_public_bytes(public_key)
    except ValueError as exc:
        raise ValidationFailed(
            "address_host.bad_key",
            "公钥应为32字节Ed25519公钥",
            "An Ed25519 public key has 32 bytes",
        ) from exc
    with transaction.atomic():
        host, _ = AddressHost.objects.update_or_create(
            uscc=uscc_code, defaults={"name": name, "public_key": public_key, "is_active": True}
        )
        append_entry(
            actor=actor,
            event="address_host_registered",
            subject=f"address_host:{uscc_code}",
            reason=reason,
            payload={
                "uscc": uscc_code,
                "name": name,
                "public_key": base64.b64encode(public_key).decode(),
            },
        )
    return host


def confirm_hosted_address(
    *,
    host_uscc: str,
    address: str,
    valid_until: date,
    signature: bytes,
    actor: str,
    reason: str,
    capacity: int = 1,
) -> HostedAddress:
    """Record an address the host signed (`policies.hosted_address_message`)."""
    reason = _require_reason(reason)
    host = AddressHost.objects.filter(uscc=host_uscc, is_active=True).first()
    if host is None:
        raise NotFound("address_host.not_found", "未找到托管企业", "No such address host")
    key = policies.normalise_address(address)
    message = policies.hosted_address_message(
        host_uscc=host_uscc, address_key=key, valid_until=valid_until
    )
    try:
        Ed25519PublicKey.from_public_bytes(bytes(host.public_key)).verify(signature, message)
    except InvalidSignature as exc:
        raise ValidationFailed(
            "address.host_signature_invalid",
            "托管企业的电子签名无效",
            "The host's signature does not verify",
        ) from exc
    with transaction.atomic():
        row, _ = HostedAddress.objects.update_or_create(
            address_key=key,
            defaults={
                "host": host,
                "address": address.strip(),
                "capacity": capacity,
                "valid_until": valid_until,
                "signature": signature,
                "confirmed_at": timezone.now(),
            },
        )
        append_entry(
            actor=actor,
            event="hosted_address_confirmed",
            subject=f"hosted_address:{row.pk}",
            reason=reason,
            payload={
                "host": host_uscc,
                "address_key": key,
                "valid_until": valid_until.isoformat(),
                "signature": base64.b64encode(signature).decode(),
            },
        )
    return row
