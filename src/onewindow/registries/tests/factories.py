"""Rows of the sources for tests (each test builds what it checks against)."""

from __future__ import annotations

import io
import random
from datetime import date, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.utils import timezone
from PIL import Image

from onewindow.registries import services
from onewindow.registries.models import PropertyRecord
from onewindow.registries.policies import hosted_address_message, normalise_address

HOST_USCC = "91420100177668591H"  # checksum-valid Wuhan code from shared/data/id_checksums
HOSTED = "湖北省武汉市洪山区关东街道光谷创业街8号3栋301室"


def host_with_address(*, capacity: int = 5, valid_days: int = 365):  # type: ignore[no-untyped-def]
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    services.register_address_host(
        uscc_code=HOST_USCC,
        name="武汉光谷众创空间管理有限公司",
        public_key=public,
        actor="user:admin",
        reason="托管企业入驻",
    )
    valid_until = timezone.localdate() + timedelta(days=valid_days)
    message = hosted_address_message(
        host_uscc=HOST_USCC, address_key=normalise_address(HOSTED), valid_until=valid_until
    )
    row = services.confirm_hosted_address(
        host_uscc=HOST_USCC,
        address=HOSTED,
        valid_until=valid_until,
        signature=key.sign(message),
        capacity=capacity,
        actor="user:host",
        reason="托管企业确认地址",
    )
    return key, row


def property_record(**overrides: object) -> PropertyRecord:
    fields = {
        "certificate_number": "鄂(2023)武汉市东湖新技术开发区不动产权第0012345号",
        "address": "湖北省武汉市洪山区珞南街道珞喻路129号",
        "owner_name": "演示申请人",
        "owner_identifier": "420106199001010028",
        "use": "office",
        "area_m2": 120,
    }
    fields.update(overrides)
    fields["address_key"] = normalise_address(str(fields["address"]))
    return PropertyRecord.objects.create(**fields)


def photo(seed: int, *, size: int = 96, fmt: str = "PNG", quality: int = 90) -> bytes:
    """A face-sized picture of random blocks; the same seed gives the same picture."""
    rng = random.Random(seed)
    image = Image.new("L", (8, 8))
    image.putdata([rng.randrange(256) for _ in range(64)])
    image = image.resize((size, size), Image.Resampling.BILINEAR)
    out = io.BytesIO()
    image.convert("RGB").save(out, fmt, **({"quality": quality} if fmt == "JPEG" else {}))
    return out.getvalue()


def days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)
