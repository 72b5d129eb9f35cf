"""What every check returns: issues with a stable reason code, a message and a remedy.

A workflow service task (the reform 3 pack) reads `CheckResult.passed` and, on failure,
shows each issue's `message_*` and `remedy_*` to the applicant; `as_dict()` is the JSON
form kept in process data and returned by the API.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Issue:
    code: str  # dotted and stable, e.g. "name.homophone_trade_name"
    message_zh: str
    message_en: str
    remedy_zh: str
    remedy_en: str
    severity: str = ERROR
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
            "remedy_zh": self.remedy_zh,
            "remedy_en": self.remedy_en,
            "details": self.details,
        }


@dataclass(frozen=True)
class CheckResult:
    check: str  # "name", "business_scope", "address", "restrictions", "credit", "identity"
    issues: tuple[Issue, ...] = ()
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return not any(i.severity == ERROR for i in self.issues)

    @property
    def codes(self) -> list[str]:
        return [i.code for i in self.issues]

    def as_dict(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "passed": self.passed,
            "issues": [i.as_dict() for i in self.issues],
            "data": self.data,
        }
