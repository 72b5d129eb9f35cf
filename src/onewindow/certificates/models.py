"""Certificate types and certificates (licences, permits), their status history, the
departments' signing keys (public part only) and the log of public verifications."""

from __future__ import annotations

from django.db import models

from onewindow.accounts.models import Applicant, Department
from onewindow.certificates.constants import (
    CertificateKind,
    CertificateStatus,
    KeyPurpose,
    KeyStatus,
    VerificationChannel,
)


class CertificateType(models.Model):
    """A kind of certificate (营业执照, 食品经营许可证 ...); `short_code` names it in QR codes."""

    code = models.SlugField("代码 Code", max_length=40, unique=True)
    short_code = models.CharField("二维码代码 QR code", max_length=4, unique=True)
    kind = models.CharField("类别 Kind", max_length=10, choices=CertificateKind.choices)
    name_zh = models.CharField("名称 Name (zh)", max_length=60)
    name_en = models.CharField("名称 Name (en)", max_length=120)
    number_prefix = models.CharField("编号前缀 Number prefix", max_length=8, blank=True)
    validity_years = models.PositiveSmallIntegerField(
        "有效期（年） Validity (years)",
        null=True,
        blank=True,
        help_text="空表示长期 Empty: long-term",
    )
    default_department_code = models.CharField(
        "默认发证部门 Default issuing department", max_length=40, blank=True
    )
    carried_on_licence = models.BooleanField(
        "载于执照二维码 Carried on the licence QR", default=False
    )
    is_active = models.BooleanField("启用 Active", default=True)

    class Meta:
        verbose_name = "证照类型 Certificate type"
        verbose_name_plural = "证照类型 Certificate types"
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return self.name_zh


class SigningKey(models.Model):
    """A department's signing key: the public half and its validity period. The private half
    lives only in the key directory (`ONEWINDOW_KEY_DIR`), in the file named by `file_name`."""

    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    kid = models.CharField("密钥标识 Key id", max_length=16, unique=True)
    algorithm = models.CharField("算法 Algorithm", max_length=20)
    purpose = models.CharField("用途 Purpose", max_length=12, choices=KeyPurpose.choices)
    public_key = models.BinaryField("公钥 Public key")
    status = models.CharField(
        "状态 Status", max_length=10, choices=KeyStatus.choices, default=KeyStatus.ACTIVE
    )
    valid_from = models.DateTimeField("启用时间 Valid from")
    valid_until = models.DateTimeField("停用时间 Valid until", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间 Revoked at", null=True, blank=True)
    created_by = models.CharField("创建人 Created by", max_length=200)

    class Meta:
        verbose_name = "签名密钥 Signing key"
        verbose_name_plural = "签名密钥 Signing keys"
        ordering = ["department__code", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "purpose"],
                condition=models.Q(status="active"),
                name="one_active_key_per_department_purpose",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kid} ({self.algorithm}, {self.status})"


class Certificate(models.Model):
    """An electronic licence, permit or other certificate (电子证照). Permits carried on a
    licence point to it with `licence`; the licence's signed payload lists them."""

    number = models.CharField("证照编号 Number", max_length=40, unique=True)
    certificate_type = models.ForeignKey(
        CertificateType, on_delete=models.PROTECT, related_name="certificates"
    )
    licence = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="permits",
        verbose_name="所属执照 Carried on licence",
    )
    holder_name = models.CharField("持证主体 Holder name", max_length=150)
    holder_code = models.CharField("统一社会信用代码 USCC", max_length=18, db_index=True)
    applicant = models.ForeignKey(
        Applicant, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    case_number = models.CharField("办件编号 Case number", max_length=32, blank=True)
    issuing_department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name="发证部门 Issuer"
    )
    authority_name = models.CharField("发证机关 Issuing authority", max_length=100)
    scope = models.TextField("经营范围/许可范围 Scope", blank=True)
    details = models.JSONField("登记事项 Registered particulars", default=dict, blank=True)
    valid_from = models.DateField("有效期自 Valid from")
    valid_until = models.DateField("有效期至 Valid until", null=True, blank=True)
    status = models.CharField(
        "状态 Status",
        max_length=10,
        choices=CertificateStatus.choices,
        default=CertificateStatus.VALID,
        db_index=True,
    )
    issued_at = models.DateTimeField("签发时间 Issued at")
    issued_by = models.CharField("签发人 Issued by", max_length=200)
    signing_key = models.ForeignKey(
        SigningKey, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    payload = models.TextField("二维码内容 QR payload", blank=True)
    payload_sha256 = models.CharField("证照哈希 Certificate hash", max_length=64, blank=True)
    payload_version = models.PositiveIntegerField("二维码版本 Payload version", default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "电子证照 Certificate"
        verbose_name_plural = "电子证照 Certificates"
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"{self.number} {self.holder_name}"


class CertificateStatusChange(models.Model):
    """One row of a certificate's status history (issue included), with its ledger entry."""

    certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, related_name="status_changes"
    )
    event = models.CharField("事件 Event", max_length=40)
    from_status = models.CharField("原状态 From", max_length=10, blank=True)
    to_status = models.CharField("新状态 To", max_length=10, choices=CertificateStatus.choices)
    actor = models.CharField("操作人 Actor", max_length=200)
    reason = models.TextField("理由 Reason")
    changed_at = models.DateTimeField("时间 At", db_index=True)
    ledger_sequence = models.BigIntegerField("存证序号 Ledger sequence")

    class Meta:
        verbose_name = "证照状态变更 Status change"
        verbose_name_plural = "证照状态变更 Status changes"
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.event} {self.from_status or '-'} -> {self.to_status}"


class CertificateCounter(models.Model):
    """Last sequence number used per number prefix and year."""

    prefix = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="unique_certificate_counter")
        ]

    def __str__(self) -> str:
        return f"{self.prefix} {self.year}: {self.last}"


class VerificationLog(models.Model):
    """One public verification. Nothing about the verifier is kept: no address, no agent."""

    checked_at = models.DateTimeField("时间 At", db_index=True)
    channel = models.CharField("渠道 Channel", max_length=6, choices=VerificationChannel.choices)
    is_valid = models.BooleanField("结果 Valid")
    reason = models.CharField("原因代码 Reason code", max_length=40)
    kid = models.CharField("密钥标识 Key id", max_length=16, blank=True)
    certificate_number = models.CharField("证照编号 Number", max_length=40, blank=True)
    input_length = models.PositiveIntegerField("输入长度 Input length")

    class Meta:
        verbose_name = "核验记录 Verification"
        verbose_name_plural = "核验记录 Verifications"
        ordering = ["-checked_at"]

    def __str__(self) -> str:
        return f"{self.checked_at:%Y-%m-%d %H:%M:%S} {self.reason}"
