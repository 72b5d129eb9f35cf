"""A hosted-address row is loaded only if its host is known and the host's Ed25519
signature over the address verifies (the directory is trusted because hosts sign it)."""

from __future__ import annotations

from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.utils import timezone

from onewindow.registries.loaders.fields import RowProblem
from onewindow.registries.models import AddressHost
from onewindow.registries.policies import hosted_address_message, normalise_address


def check_hosted_row(row: dict[str, Any]) -> dict[str, Any]:
    host = AddressHost.objects.filter(uscc=row["host_uscc"]).first()
    if host is None:
        raise RowProblem(
            "load.unknown_host",
            "托管企业未登记，请先导入托管企业",
            "unknown host: load hosts first",
        )
    key = normalise_address(row["address"])
    message = hosted_address_message(
        host_uscc=host.uscc, address_key=key, valid_until=row["valid_until"]
    )
    try:
        Ed25519PublicKey.from_public_bytes(bytes(host.public_key)).verify(row["signature"], message)
    except InvalidSignature as exc:
        raise RowProblem(
            "address.host_signature_invalid",
            "托管企业签名无效",
            "the host signature does not verify",
        ) from exc
    out = {k: v for k, v in row.items() if k != "host_uscc"}
    return {**out, "host": host, "address_key": key, "confirmed_at": timezone.now()}
