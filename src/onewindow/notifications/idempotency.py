"""Idempotency keys of incoming requests: the same key with the same request acts once.

    with idempotent(scope="cases.submit", key=request_key, request=payload) as call:
        if call.replayed:
            return call.result            # what the first request produced
        case = submit_case(...)
        call.result = {"case": case.number}

The key row is written in the same transaction as the work, so a failed attempt leaves no
key behind and can be retried; a concurrent duplicate waits for the first and replays it.
The same key with a different request is refused (`idempotency.key_reused`, 409).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from onewindow.core.errors import Conflict, ValidationFailed
from onewindow.notifications.models import IdempotencyKey

MAX_KEY_LENGTH = 200


@dataclass
class IdempotentCall:
    replayed: bool
    result: dict[str, Any] | None = field(default=None)


def request_digest(request: Any) -> str:
    canonical = json.dumps(
        request, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _replay(row: IdempotencyKey, digest: str) -> IdempotentCall:
    if row.request_digest != digest:
        raise Conflict(
            "idempotency.key_reused",
            "该幂等键已用于另一请求",
            "This idempotency key was used for a different request",
            details={"scope": row.scope, "key": row.key},
        )
    return IdempotentCall(replayed=True, result=dict(row.result))


@contextmanager
def idempotent(*, scope: str, key: str, request: Any) -> Iterator[IdempotentCall]:
    if not key or len(key) > MAX_KEY_LENGTH:
        raise ValidationFailed(
            "idempotency.bad_key",
            f"幂等键应为1至{MAX_KEY_LENGTH}个字符",
            f"An idempotency key has 1 to {MAX_KEY_LENGTH} characters",
        )
    digest = request_digest(request)
    with transaction.atomic():
        existing = IdempotencyKey.objects.select_for_update().filter(scope=scope, key=key).first()
        if existing is not None:
            yield _replay(existing, digest)
            return
        try:
            with transaction.atomic():
                row = IdempotencyKey.objects.create(
                    scope=scope, key=key, request_digest=digest, created_at=timezone.now()
                )
        except IntegrityError:
            # A concurrent request with this key committed first: replay it.
            yield _replay(IdempotencyKey.objects.get(scope=scope, key=key), digest)
            return
        call = IdempotentCall(replayed=False)
        yield call
        if call.result is None:
            raise ValidationFailed(
                "idempotency.no_result",
                "幂等请求未记录结果",
                "The idempotent block did not set call.result",
            )
        row.result = call.result
        row.save(update_fields=["result"])
