"""Cases, their timeline and their materials."""

from __future__ import annotations

from django.db import models

from onewindow.accounts.models import Applicant, ServiceCentre, User
from onewindow.cases.constants import CaseStatus, DeliveryMethod, IntakeMode
from onewindow.catalog.models import MaterialType, ServiceItem


class Case(models.Model):
    number = models.CharField("办件编号 Case number", max_length=32, unique=True)
    service_item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="cases")
    applicant = models.ForeignKey(Applicant, on_delete=models.PROTECT, related_name="cases")
    submitted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    intake_mode = models.CharField(
        "收件方式 Intake mode", max_length=10, choices=IntakeMode.choices
    )
    intake_centre = models.ForeignKey(
        ServiceCentre,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="intake_cases",
        verbose_name="通办地 Intake centre",
    )
    home_jurisdiction = models.CharField("住所地 Home jurisdiction", max_length=20, db_index=True)
    home_jurisdiction_name = models.CharField("住所地名称 Home jurisdiction name", max_length=60)
    registered_address = models.CharField("住所 Registered address", max_length=200)
    division_code = models.CharField("区划代码 Division code", max_length=12)
    street_code = models.CharField("街道代码 Street code", max_length=12, blank=True)
    form_data = models.JSONField("表单 Form data", default=dict)
    status = models.CharField(
        "状态 Status",
        max_length=12,
        choices=CaseStatus.choices,
        default=CaseStatus.SUBMITTED,
        db_index=True,
    )
    submitted_at = models.DateTimeField("提交时间 Submitted at")
    promised_date = models.DateField("承诺办结日期 Promised completion date")
    legal_date = models.DateField("法定办结日期 Legal completion date")
    decided_at = models.DateTimeField("决定时间 Decided at", null=True, blank=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    delivery_method = models.CharField(
        "送达方式 Delivery method", max_length=10, choices=DeliveryMethod.choices
    )
    delivery_address = models.CharField("邮寄地址 Delivery address", max_length=200, blank=True)
    tracking_number = models.CharField("EMS 运单号 Tracking number", max_length=20, blank=True)
    delivered_at = models.DateTimeField("送达时间 Delivered at", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "办件 Case"
        verbose_name_plural = "办件 Cases"
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["home_jurisdiction", "status", "-submitted_at"]),
            models.Index(fields=["intake_centre", "-submitted_at"]),
        ]

    def __str__(self) -> str:
        return self.number


class CaseEvent(models.Model):
    """One entry of a case's append-only timeline: who did what, when and why."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    name = models.CharField("事件 Event", max_length=40)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    actor_label = models.CharField("操作人 Actor", max_length=120)
    reason = models.TextField("理由 Reason")
    data = models.JSONField(default=dict)
    status_after = models.CharField(max_length=12, choices=CaseStatus.choices)
    created_at = models.DateTimeField(db_index=True)
    ledger_sequence = models.BigIntegerField("存证序号 Ledger sequence", null=True)

    class Meta:
        verbose_name = "办件事件 Case event"
        verbose_name_plural = "办件事件 Case events"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.name}"


class CaseCounter(models.Model):
    """Per-city, per-day counter for readable case numbers."""

    prefix = models.CharField(max_length=4)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "day"], name="unique_counter")]

    def __str__(self) -> str:
        return f"{self.prefix}{self.day:%Y%m%d}: {self.last}"


class Material(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="materials")
    material_type = models.ForeignKey(MaterialType, on_delete=models.PROTECT)
    original_name = models.CharField("原文件名 Original name", max_length=200)
    storage_name = models.CharField(max_length=200, unique=True)
    content_type = models.CharField("文件类型 Content type", max_length=100)
    size = models.PositiveIntegerField("大小 Size (bytes)")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()
    superseded = models.BooleanField("已被替换 Superseded", default=False)

    class Meta:
        verbose_name = "材料 Material"
        verbose_name_plural = "材料 Materials"
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.material_type_id} {self.original_name}"
