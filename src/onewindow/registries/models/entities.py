"""Market entities, the enterprise-names index, industries and issued credit codes."""

from __future__ import annotations

from django.db import models

from onewindow.registries.constants import EntityOrigin, EntityStatus, EntityType, NameStatus


class IndustryCode(models.Model):
    """One node of GB/T 4754-2017, loaded by `onewindow registries load_industries PATH`."""

    code = models.CharField("代码 Code", max_length=4, unique=True)
    name = models.CharField("名称 Name", max_length=100)
    level = models.PositiveSmallIntegerField("层级 Level (1 门类 … 4 小类)")
    parent_code = models.CharField("上级代码 Parent code", max_length=4, blank=True)
    section = models.CharField("门类 Section", max_length=1)

    class Meta:
        verbose_name = "行业分类 Industry (GB/T 4754-2017)"
        verbose_name_plural = "行业分类 Industries (GB/T 4754-2017)"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class MarketEntity(models.Model):
    """A registered company, individual business or cooperative (市场主体)."""

    uscc = models.CharField("统一社会信用代码 USCC", max_length=18, unique=True)
    name = models.CharField("名称 Name", max_length=150, db_index=True)
    entity_type = models.CharField("主体类型 Entity type", max_length=1, choices=EntityType.choices)
    legal_form = models.CharField("组织形式 Legal form", max_length=60, blank=True)
    registered_address = models.CharField("住所 Registered address", max_length=200)
    division_code = models.CharField("住所区划 Division code", max_length=12, blank=True)
    legal_representative = models.CharField("法定代表人 Legal representative", max_length=60)
    legal_representative_id = models.CharField(
        "法定代表人身份号码 Representative's resident ID", max_length=18, blank=True, db_index=True
    )
    status = models.CharField(
        "登记状态 Status", max_length=12, choices=EntityStatus.choices, default=EntityStatus.ACTIVE
    )
    industry_code = models.CharField("行业代码 Industry (GB/T 4754)", max_length=4, blank=True)
    registration_authority = models.CharField("登记机关区划 Registration authority", max_length=6)
    established_on = models.DateField("成立日期 Established on")
    status_changed_on = models.DateField("状态变更日期 Status changed on", null=True, blank=True)
    origin = models.CharField(
        "来源 Origin", max_length=8, choices=EntityOrigin.choices, default=EntityOrigin.LOADED
    )

    class Meta:
        verbose_name = "市场主体 Market entity"
        verbose_name_plural = "市场主体 Market entities"
        ordering = ["uscc"]

    def __str__(self) -> str:
        return f"{self.name} ({self.uscc})"


class EnterpriseName(models.Model):
    """One name in the names index: registered, reserved, or released less than a year ago.

    `region_code` and `industry_key` form the block in which trade names must differ
    (docs/reference/registries.md): the prefecture (or province) the region word names, and
    the GB/T 4754 division (大类) of the industry wording, or ``*`` for a name without one.
    """

    name = models.CharField("企业名称 Name", max_length=150)
    region_word = models.CharField("行政区划 Region word", max_length=40)
    region_code = models.CharField("区划键 Region key", max_length=6)
    trade_name = models.CharField("字号 Trade name", max_length=40)
    trade_pinyin = models.CharField("字号拼音 Trade-name pinyin", max_length=160)
    industry_wording = models.CharField("行业表述 Industry wording", max_length=40, blank=True)
    industry_key = models.CharField("行业键 Industry key", max_length=2)
    organisational_form = models.CharField("组织形式 Organisational form", max_length=30)
    status = models.CharField(
        "状态 Status", max_length=12, choices=NameStatus.choices, default=NameStatus.REGISTERED
    )
    # Keyed by USCC so that bulk loads need not read back generated primary keys.
    entity = models.ForeignKey(
        MarketEntity,
        to_field="uscc",
        db_column="entity_uscc",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="names",
    )
    reserved_until = models.DateTimeField("保留期至 Reserved until", null=True, blank=True)
    released_at = models.DateTimeField("释放时间 Released at", null=True, blank=True)
    created_at = models.DateTimeField("录入时间 Recorded at")

    class Meta:
        verbose_name = "企业名称 Enterprise name"
        verbose_name_plural = "企业名称库 Enterprise names index"
        constraints = [
            models.UniqueConstraint(
                fields=["name"],
                condition=~models.Q(status=NameStatus.RELEASED),
                name="unique_name_in_use",
            )
        ]
        indexes = [models.Index(fields=["name"], name="registries_name_idx")]

    def __str__(self) -> str:
        return self.name


class UsccSequence(models.Model):
    """Per registration authority: the last organisation-code serial issued (never goes back).

    `block` is the two-character prefix of the organisation codes this authority issues
    (GB 11714 body = block + 6 serial characters), assigned by the administrator so that
    authorities never issue the same organisation code.
    """

    authority_division = models.CharField("登记机关区划 Authority division", max_length=6)
    block = models.CharField("号段 Organisation-code block", max_length=2)
    last = models.BigIntegerField("已用序号 Last serial", default=0)

    class Meta:
        verbose_name = "代码号段 USCC serial block"
        verbose_name_plural = "代码号段 USCC serial blocks"
        constraints = [
            models.UniqueConstraint(fields=["authority_division"], name="unique_uscc_authority"),
            models.UniqueConstraint(fields=["block"], name="unique_uscc_block"),
        ]

    def __str__(self) -> str:
        return f"{self.authority_division} {self.block}: {self.last}"


class IssuedUscc(models.Model):
    """Every code this platform issued; kept forever so that no code is issued twice."""

    uscc = models.CharField("统一社会信用代码 USCC", max_length=18, unique=True)
    entity = models.ForeignKey(
        MarketEntity, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    issued_at = models.DateTimeField("赋码时间 Issued at")
    issued_by = models.CharField("操作者 Actor", max_length=200)

    class Meta:
        verbose_name = "已赋代码 Issued USCC"
        verbose_name_plural = "已赋代码 Issued USCCs"

    def __str__(self) -> str:
        return self.uscc
