"""Commitments (告知承诺) and live-capture photos with the keys that sign them."""

from __future__ import annotations

from django.db import models

from onewindow.supervision.constants import CommitmentStatus


class Commitment(models.Model):
    """A firm's promise, made under 告知承诺, to supply the listed documents by `deadline`
    (the last working day, `working_days` after `committed_on`). The filing granted on the
    promise is revoked when the deadline passes with the commitment still open."""

    subject = models.CharField("流程主体 Process subject", max_length=100, unique=True)
    process_instance = models.BigIntegerField("流程实例 Process instance")
    firm_uscc = models.CharField("统一社会信用代码 USCC", max_length=18, db_index=True)
    firm_name = models.CharField("企业名称 Firm name", max_length=100)
    missing_documents = models.JSONField("待补交材料 Missing documents", default=list)
    committed_on = models.DateField("承诺日期 Committed on")
    working_days = models.PositiveSmallIntegerField("补交时限（工作日） Working days allowed")
    deadline = models.DateField("补交截止日 Deadline")
    status = models.CharField(
        "状态 Status", max_length=12, choices=CommitmentStatus.choices, default="open"
    )
    closed_at = models.DateTimeField("结束时间 Closed at", null=True, blank=True)
    closed_by = models.CharField("结束者 Closed by", max_length=100, blank=True)
    close_reason = models.CharField("结束理由 Reason", max_length=500, blank=True)
    created_at = models.DateTimeField("创建时间 Created at")

    class Meta:
        verbose_name = "告知承诺 Commitment"
        verbose_name_plural = "告知承诺 Commitments"
        indexes = [models.Index(fields=["firm_uscc", "status"])]

    def __str__(self) -> str:
        return f"{self.firm_uscc} {self.status} {self.deadline}"


class CaptureKey(models.Model):
    """An Ed25519 public key of a live-capture app (e.g. the inspection mini-programme's
    signing service); photos signed by an inactive or unknown key are refused."""

    key_id = models.CharField("密钥标识 Key id", max_length=64, unique=True)
    public_key = models.BinaryField("公钥 Ed25519 public key (32 bytes)")
    holder = models.CharField("持有者 Holder", max_length=200)
    is_active = models.BooleanField("有效 Active", default=True)
    registered_at = models.DateTimeField("登记时间 Registered at")
    registered_by = models.CharField("登记者 Registered by", max_length=100)

    class Meta:
        verbose_name = "拍摄端密钥 Capture app key"
        verbose_name_plural = "拍摄端密钥 Capture app keys"

    def __str__(self) -> str:
        return self.key_id


class LivePhoto(models.Model):
    """A photo accepted with a verified live-capture record (水印): who took it, where and
    when, signed by a capture app over the photo's SHA-256."""

    subject = models.CharField("所属 Subject", max_length=100, db_index=True)
    sha256 = models.CharField("照片摘要 SHA-256", max_length=64)
    content = models.BinaryField("照片 Photo")
    media_type = models.CharField("类型 Media type", max_length=40)
    uploader = models.CharField("拍摄人 Uploader", max_length=100)
    latitude = models.FloatField("纬度 Latitude")
    longitude = models.FloatField("经度 Longitude")
    captured_at = models.DateTimeField("拍摄时间 Captured at")
    key = models.ForeignKey(CaptureKey, on_delete=models.PROTECT, related_name="photos")
    record = models.JSONField("水印记录 Live-capture record")
    stored_at = models.DateTimeField("存储时间 Stored at")
    stored_by = models.CharField("上传者 Stored by", max_length=100)

    class Meta:
        verbose_name = "实时拍摄照片 Live photo"
        verbose_name_plural = "实时拍摄照片 Live photos"
        constraints = [
            models.UniqueConstraint(fields=["subject", "sha256"], name="unique_photo_per_subject")
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.sha256[:12]}"
