"""Catalogue of service items and the materials they need."""

from __future__ import annotations

from django.db import models

from onewindow.accounts.models import Department
from onewindow.catalog.constants import ItemLevel


class Pack(models.Model):
    """A reform pack loaded into this platform, pinned by the hash of its catalogue files."""

    code = models.SlugField("代码 Code", max_length=60, unique=True)
    version = models.CharField("版本 Version", max_length=20)
    title_zh = models.CharField("名称 Title (zh)", max_length=200)
    title_en = models.CharField("名称 Title (en)", max_length=200)
    content_hash = models.CharField("内容摘要 Content hash", max_length=64)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "改革包 Pack"
        verbose_name_plural = "改革包 Packs"

    def __str__(self) -> str:
        return f"{self.code} {self.version}"


class MaterialType(models.Model):
    code = models.SlugField("代码 Code", max_length=60, unique=True)
    name_zh = models.CharField("名称 Name (zh)", max_length=200)
    name_en = models.CharField("名称 Name (en)", max_length=200)
    accepted_types = models.JSONField(
        "可接受文件类型 Accepted MIME types", default=list, help_text="Empty: PDF, JPEG, PNG."
    )

    class Meta:
        verbose_name = "材料类型 Material type"
        verbose_name_plural = "材料类型 Material types"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name_zh


class ServiceItem(models.Model):
    code = models.SlugField("事项编码 Code", max_length=60, unique=True)
    name_zh = models.CharField("名称 Name (zh)", max_length=200)
    name_en = models.CharField("名称 Name (en)", max_length=200)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="items")
    level = models.CharField("层级 Level", max_length=10, choices=ItemLevel.choices)
    legal_days = models.PositiveIntegerField("法定时限（工作日） Legal limit (working days)")
    promised_days = models.PositiveIntegerField("承诺时限（工作日） Promised limit (working days)")
    fee = models.DecimalField("收费（元） Fee (CNY)", max_digits=10, decimal_places=2, default=0)
    form_schema = models.JSONField("表单 Form schema (JSON Schema)", default=dict)
    regions = models.JSONField("适用地区 Regions (city codes)", default=list)
    process_id = models.CharField(
        "办理流程 Process id",
        max_length=100,
        blank=True,
        help_text="BPMN process (in the pack's processes/) that every case of this item runs.",
    )
    pack = models.ForeignKey(
        Pack, on_delete=models.PROTECT, null=True, blank=True, related_name="items"
    )
    is_active = models.BooleanField("启用 Active", default=True)

    class Meta:
        verbose_name = "事项 Service item"
        verbose_name_plural = "事项 Service items"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name_zh} ({self.code})"


class MaterialRequirement(models.Model):
    """One material an item asks for; `condition` maps form fields to required values
    (all must match; a list means any of its values). Empty condition: always needed."""

    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="requirements")
    material_type = models.ForeignKey(MaterialType, on_delete=models.PROTECT)
    condition = models.JSONField("条件 Condition", default=dict, blank=True)
    is_required = models.BooleanField("必需 Required", default=True)
    note_zh = models.CharField("说明 Note (zh)", max_length=300, blank=True)
    note_en = models.CharField("说明 Note (en)", max_length=300, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "材料要求 Material requirement"
        verbose_name_plural = "材料要求 Material requirements"
        ordering = ["item", "position"]
        constraints = [
            models.UniqueConstraint(fields=["item", "material_type"], name="unique_item_material"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} needs {self.material_type_id}"
