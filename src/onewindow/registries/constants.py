"""Choices of the registries app (stored values never change once published)."""

from django.db import models


class Source(models.TextChoices):
    """The kinds of shared data the platform queries (one connector seam each)."""

    MARKET_ENTITIES = "market_entities", "市场主体 Market entities"
    ENTERPRISE_NAMES = "enterprise_names", "企业名称库 Enterprise names index"
    BUSINESS_SCOPE = "business_scope", "经营范围规范表述 Business-scope wording"
    HOSTED_ADDRESSES = "hosted_addresses", "托管住所名录 Hosted-address directory"
    HOUSING = "housing", "房屋产权 Housing property records"
    RESTRICTIONS = "restrictions", "黑名单与限制 Restriction lists"
    CREDIT = "credit", "信用等级 Credit ratings"
    IDENTITY = "identity", "身份核验 Identity verification"


class EntityType(models.TextChoices):
    """GB 32100 character 2 under registration authority 9 (市场监管)."""

    ENTERPRISE = "1", "企业 Enterprise"
    INDIVIDUAL_BUSINESS = "2", "个体工商户 Individual business"
    COOPERATIVE = "3", "农民专业合作社 Farmers' cooperative"


class EntityStatus(models.TextChoices):
    ACTIVE = "active", "存续 Active"
    DEREGISTERED = "deregistered", "注销 Deregistered"
    REVOKED = "revoked", "吊销 Licence revoked"


class EntityOrigin(models.TextChoices):
    LOADED = "loaded", "外部导入 Loaded from a source register"
    ISSUED = "issued", "本平台登记 Registered on this platform"


class NameStatus(models.TextChoices):
    REGISTERED = "registered", "已登记 Registered"
    RESERVED = "reserved", "保留期内 Reserved"
    RELEASED = "released", "已注销或变更 Released (deregistered or changed)"


class ScopeKind(models.TextChoices):
    GENERAL = "general", "一般项目 General"
    LICENSED = "licensed", "许可项目 Licensed"


class PropertyUse(models.TextChoices):
    RESIDENTIAL = "residential", "住宅 Residential"
    COMMERCIAL = "commercial", "商业 Commercial"
    OFFICE = "office", "办公 Office"
    INDUSTRIAL = "industrial", "工业 Industrial"
    WAREHOUSE = "warehouse", "仓储 Warehouse"
    OTHER = "other", "其他 Other"


class ListKind(models.TextChoices):
    BLACKLIST = "blacklist", "严重违法失信名单 Blacklist"
    DISHONEST_DEBTOR = "dishonest_debtor", "失信被执行人 Dishonest debtor"
    RESTRICTED_REGISTRATION = "restricted_registration", "限制登记 Restricted registration"


class IdentifierKind(models.TextChoices):
    RESIDENT_ID = "resident_id", "公民身份号码 Resident ID"
    USCC = "uscc", "统一社会信用代码 USCC"


class CreditGrade(models.TextChoices):
    A = "A", "A 诚信 Trustworthy"
    B = "B", "B 基本诚信 Basically trustworthy"
    C = "C", "C 失信 Untrustworthy"
    D = "D", "D 严重失信 Seriously untrustworthy"


class ExchangeOutcome(models.TextChoices):
    FOUND = "found", "有结果 Found"
    NOT_FOUND = "not_found", "无结果 Not found"
    ERROR = "error", "失败 Error"


class LoadStatus(models.TextChoices):
    QUEUED = "queued", "排队中 Queued"
    RUNNING = "running", "导入中 Running"
    FINISHED = "finished", "已完成 Finished"
    FAILED = "failed", "失败 Failed"
