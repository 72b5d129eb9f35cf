"""Certificate test fixtures: a temporary key directory, the market-supervision department
with a certificate key and a list key, and a licence issued with five permits."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from onewindow.accounts import services as account_services
from onewindow.certificates import (
    keys,
    public,
    ratelimit,
    records,
    services,
    signers,
    verification_log,
)
from onewindow.certificates.cose import encode_sign1
from onewindow.certificates.models import Certificate
from onewindow.certificates.qr import base45
from onewindow.certificates.qr.payload import LicenceClaims, PermitClaim, claims_to_cbor, pack
from onewindow.certificates.services import PermitRequest

ISSUED_AT = datetime(2026, 12, 3, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
KEYS_CREATED_AT = datetime(2026, 1, 5, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
USCC = "91420600MA4K0A0A18"
OTHER_USCC = "91420500MA4K0B0B2E"
FIVE_PERMITS = (
    PermitRequest("food-trading", scope="预包装食品销售；热食类食品制售"),
    PermitRequest("food-production", scope="糕点；饮料"),
    PermitRequest("industrial-product", scope="食品相关产品（食品用塑料包装）"),
    PermitRequest("special-equipment", scope="压力容器安装"),
    PermitRequest("metrology", scope="电子计价秤检定"),
)
DETAILS = {
    "company_type": "有限责任公司（自然人投资或控股）",
    "legal_representative": "王建国",
    "registered_capital": "壹佰万圆整",
    "established_on": "2026-12-01",
    "address": "湖北省襄阳市樊城区长虹北路8号",
}


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    """Per-process caches (signers, trust list, rate counters) must not leak between tests."""
    yield
    keys._SIGNERS.clear()
    public.forget_trust()
    ratelimit.reset()
    records.reset_public_records_provider()
    verification_log.reset()


@pytest.fixture
def key_dir(tmp_path: Path, settings: Any) -> Path:
    settings.KEY_DIR = str(tmp_path / "keys")
    settings.CERTIFICATE_VERIFY_RATE_LIMIT = "1000/60"
    return tmp_path / "keys"


@pytest.fixture
def departments(db: None) -> None:
    account_services.load_reference_data()


@pytest.fixture
def samr_keys(key_dir: Path, departments: None) -> dict[str, Any]:
    with time_machine.travel(KEYS_CREATED_AT, tick=True):
        return make_samr_keys()


def make_samr_keys() -> dict[str, Any]:
    return {
        "certificate": services.create_signing_key(
            department_code="samr", actor="user:admin", reason="部门签名密钥初始化"
        ),
        "list": services.create_signing_key(
            department_code="samr", actor="user:admin", reason="撤销清单密钥", purpose="list"
        ),
    }


def issue_licence(at: datetime = ISSUED_AT, **overrides: Any) -> Certificate:
    arguments: dict[str, Any] = {
        "actor": "system:workflow",
        "reason": "一照通：营业执照与许可同时签发",
        "holder_name": "襄阳市汉江源食品科技有限公司",
        "holder_code": USCC,
        "department_code": "samr",
        "authority_name": "襄阳市市场监督管理局",
        "region_code": "420600",
        "scope": "食品销售；食品生产；食品用塑料包装容器工具制品生产",
        "details": DETAILS,
        "permits": FIVE_PERMITS,
        "valid_from": date(2026, 12, 3),
    }
    arguments.update(overrides)
    with time_machine.travel(at, tick=True):
        return services.issue_licence_with_permits(**arguments)


@pytest.fixture
def licence(samr_keys: dict[str, Any]) -> Certificate:
    return issue_licence()


def cose_bytes(text: str) -> bytes:
    """The signed COSE_Sign1 inside a QR text (`OW1:` + Base45 of zlib)."""
    return zlib.decompress(base45.decode(text.removeprefix("OW1:")))


def claims(**overrides: Any) -> LicenceClaims:
    values: dict[str, Any] = {
        "number": "BL42060020260000001",
        "type_code": "BL",
        "holder_name": "襄阳市汉江源食品科技有限公司",
        "holder_code": USCC,
        "valid_from": date(2026, 12, 3),
        "valid_until": None,
        "permits": (
            PermitClaim("FT", "JY42060020260000001", date(2026, 12, 3), date(2031, 12, 2)),
        ),
        "issuer": "samr",
        "issued_at": int(ISSUED_AT.timestamp()),
        "version": 1,
    }
    values.update(overrides)
    return LicenceClaims(**values)


def forge(
    private_key: bytes, kid: bytes, payload: LicenceClaims | bytes, algorithm: str = "ed25519"
) -> str:
    """A QR text signed with any private key (an attacker's, another issuer's, a stolen one)."""
    scheme = signers.get_algorithm(algorithm)
    data = payload if isinstance(payload, bytes) else claims_to_cbor(payload)
    return pack(encode_sign1({1: scheme.cose_alg, 4: kid}, data, scheme.signer(private_key)))
