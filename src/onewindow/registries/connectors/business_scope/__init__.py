"""Business-scope wording catalogue (经营范围规范表述): exact lookup and suggestions."""

from __future__ import annotations

from dataclasses import dataclass

from onewindow.registries.connectors.base import Connector


@dataclass(frozen=True)
class ScopeRecord:
    code: str
    wording: str
    kind: str  # "general" | "licensed"
    permit_name: str = ""
    approving_department: str = ""
    department_code: str = ""
    industry_code: str = ""
    legal_basis: str = ""


class ScopeSource(Connector):
    source = "business_scope"

    def lookup(self, wording: str) -> ScopeRecord | None:
        raise NotImplementedError

    def suggest(self, wording: str, limit: int = 3) -> list[ScopeRecord]:
        raise NotImplementedError


from onewindow.registries.connectors.business_scope import http, local  # noqa: E402, F401
