"""Local copies of other departments' data: scope wording, addresses, lists, identities."""

from __future__ import annotations

from django.db import models

from onewindow.registries.constants import (
    CreditGrade,
    IdentifierKind,
    ListKind,
    PropertyUse,
    ScopeKind,
)


class ScopeEntry(models.Model):
    """One standard business-scope wording (经营范围规范表述), general or licensed."""

    code = models.CharField("条目代码 Code", max_length=20, unique=True)
    wording = models.CharField("规范表述 Wording", max_length=120, unique=True)
    kind = models.CharField("类别 Kind", max_length=10, choices=ScopeKind.choices)
    permit_name = models.CharField("许可证件 Permit", max_length=120, blank=True)
    approving_department = models.CharField(
        "审批部门 Approving department", max_length=120, blank=True
    )
    department_code = models.CharField("部门代码 Department code", max_length=40, blank=True)
    industry_code = models.CharField("行业代码 Industry (GB/T 4754)", max_length=4, blank=True)
    legal_basis = models.CharField("依据 Legal basis", max_length=300, blank=True)
    source_note = models.CharField("来源 Source", max_length=300, blank=True)
    is_active = models.BooleanField("有效 Active", default=True)

    class Meta:
        verbose_name = "经营范围表述 Scope entry"
        verbose_name_plural = "经营范围表述 Scope entries"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.wording


class AddressHost(models.Model):
    """A company that hosts registered addresses (托管企业) and signs each one it offers."""

    uscc = models.CharField("统一社会信用代码 USCC", max_length=18, unique=True)
    name = models.CharField("名称 Name", max_length=150)
    public_key = models.BinaryField("签名公钥 Ed25519 public key", max_length=32)
    is_active = models.BooleanField("有效 Active", default=True)

    class Meta:
        verbose_name = "托管企业 Address host"
        verbose_name_plural = "托管企业 Address hosts"

    def __str__(self) -> str:
        return self.name


class HostedAddress(models.Model):
    """An address a host offers for cluster registration, confirmed by the host's signature."""

    host = models.ForeignKey(AddressHost, on_delete=models.PROTECT, related_name="addresses")
    address = models.CharField("地址 Address", max_length=200)
    address_key = models.CharField("地址键 Normalised address", max_length=200, unique=True)
    capacity = models.PositiveIntegerField("可容纳主体数 Capacity", default=1)
    occupied = models.PositiveIntegerField("已登记主体数 Occupied", default=0)
    valid_until = models.DateField("有效期至 Valid until")
    signature = models.BinaryField("托管企业签名 Host signature", max_length=64)
    confirmed_at = models.DateTimeField("确认时间 Confirmed at")

    class Meta:
        verbose_name = "托管住所 Hosted address"
        verbose_name_plural = "托管住所名录 Hosted-address directory"

    def __str__(self) -> str:
        return self.address


class PropertyRecord(models.Model):
    """A housing property record (不动产权) from the housing department."""

    certificate_number = models.CharField(
        "不动产权证号 Certificate number", max_length=60, unique=True
    )
    address = models.CharField("坐落 Address", max_length=200)
    address_key = models.CharField("地址键 Normalised address", max_length=200, db_index=True)
    owner_name = models.CharField("权利人 Owner", max_length=150)
    owner_identifier = models.CharField("权利人证件号 Owner's ID", max_length=18, blank=True)
    use = models.CharField("用途 Use", max_length=12, choices=PropertyUse.choices)
    area_m2 = models.DecimalField("面积 Area (m²)", max_digits=10, decimal_places=2, null=True)

    class Meta:
        verbose_name = "房屋产权 Property record"
        verbose_name_plural = "房屋产权 Property records"

    def __str__(self) -> str:
        return self.certificate_number


class ListEntry(models.Model):
    """A person or entity on a blacklist, the dishonest-debtor list or a restriction list."""

    kind = models.CharField("名单 List", max_length=24, choices=ListKind.choices)
    identifier_kind = models.CharField(
        "证件类型 Identifier kind", max_length=12, choices=IdentifierKind.choices
    )
    identifier = models.CharField("证件号 Identifier", max_length=18, db_index=True)
    name = models.CharField("名称 Name", max_length=150)
    reason = models.CharField("事由 Reason", max_length=300)
    authority = models.CharField("决定机关 Authority", max_length=150)
    document_number = models.CharField("文书号 Document number", max_length=80, blank=True)
    listed_on = models.DateField("列入日期 Listed on")
    expires_on = models.DateField("届满日期 Expires on", null=True, blank=True)
    removed_on = models.DateField("移出日期 Removed on", null=True, blank=True)

    class Meta:
        verbose_name = "名单条目 List entry"
        verbose_name_plural = "黑名单与限制 Restriction list entries"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "identifier", "document_number"], name="unique_list_entry"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.name}"


class CreditRating(models.Model):
    identifier_kind = models.CharField(
        "证件类型 Identifier kind", max_length=12, choices=IdentifierKind.choices
    )
    identifier = models.CharField("证件号 Identifier", max_length=18, unique=True)
    grade = models.CharField("信用等级 Grade", max_length=1, choices=CreditGrade.choices)
    rated_on = models.DateField("评定日期 Rated on")
    authority = models.CharField("评定机关 Authority", max_length=150)

    class Meta:
        verbose_name = "信用等级 Credit rating"
        verbose_name_plural = "信用等级 Credit ratings"

    def __str__(self) -> str:
        return f"{self.identifier} {self.grade}"


class VerifiedIdentity(models.Model):
    """A person whose identity and reference photo a verification service has confirmed.

    `photo_hash` is a 64-bit difference hash of the reference photo (hex); the photo itself
    is not kept here.
    """

    resident_id = models.CharField("公民身份号码 Resident ID", max_length=18, unique=True)
    name = models.CharField("姓名 Name", max_length=60)
    photo_hash = models.CharField("照片特征 Photo hash", max_length=16)
    verified_on = models.DateField("核验日期 Verified on")

    class Meta:
        verbose_name = "已核验身份 Verified identity"
        verbose_name_plural = "已核验身份 Verified identities"

    def __str__(self) -> str:
        return self.name
