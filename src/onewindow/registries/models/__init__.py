"""Registries models: the local copies of shared data, issued codes and the exchange log."""

from onewindow.registries.models.entities import (
    EnterpriseName,
    IndustryCode,
    IssuedUscc,
    MarketEntity,
    UsccSequence,
)
from onewindow.registries.models.exchange import ExchangeRecord, LoadJob
from onewindow.registries.models.sources import (
    AddressHost,
    CreditRating,
    HostedAddress,
    ListEntry,
    PropertyRecord,
    ScopeEntry,
    VerifiedIdentity,
)

__all__ = [
    "AddressHost",
    "CreditRating",
    "EnterpriseName",
    "ExchangeRecord",
    "HostedAddress",
    "IndustryCode",
    "IssuedUscc",
    "ListEntry",
    "LoadJob",
    "MarketEntity",
    "PropertyRecord",
    "ScopeEntry",
    "UsccSequence",
    "VerifiedIdentity",
]
