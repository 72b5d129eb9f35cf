"""Choices and fixed values of the certificates app."""

from __future__ import annotations

from django.db import models


class CertificateKind(models.TextChoices):
    LICENCE = "licence", "执照 Licence"
    PERMIT = "permit", "许可证 Permit"
    FILING = "filing", "备案凭证 Filing certificate"
    TITLE = "title", "权属证书 Title certificate"


class CertificateStatus(models.TextChoices):
    VALID = "valid", "有效 Valid"
    SUSPENDED = "suspended", "暂停 Suspended"
    REVOKED = "revoked", "撤销 Revoked"
    EXPIRED = "expired", "过期 Expired"


class CertificateEvent(models.TextChoices):
    """Ledger event names (subject + past-tense verb)."""

    ISSUED = "certificate_issued", "签发 Issued"
    REISSUED = "certificate_reissued", "换发二维码 Payload re-signed"
    SUSPENDED = "certificate_suspended", "暂停 Suspended"
    REINSTATED = "certificate_reinstated", "恢复 Reinstated"
    REVOKED = "certificate_revoked", "撤销 Revoked"
    EXPIRED = "certificate_expired", "到期 Expired"


class KeyStatus(models.TextChoices):
    ACTIVE = "active", "在用 Active"
    RETIRED = "retired", "已轮换（仍可验证） Retired (still verifies)"
    REVOKED = "revoked", "已吊销（不再验证） Revoked (no longer verifies)"


class KeyPurpose(models.TextChoices):
    CERTIFICATE = "certificate", "签发证照 Signs certificate payloads"
    LIST = "list", "签发撤销清单 Signs revocation lists"


class KeyEvent(models.TextChoices):
    CREATED = "signing_key_created", "生成 Created"
    RETIRED = "signing_key_retired", "轮换停用 Retired by rotation"
    REVOKED = "signing_key_revoked", "吊销 Revoked"


class VerificationChannel(models.TextChoices):
    PAGE = "page", "公开查询页 Public page"
    API = "api", "接口 API"
