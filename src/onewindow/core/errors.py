"""Domain errors: a stable machine code plus a Chinese and an English message.

Raise `DomainError` (or a subclass) from services and policies; the API turns it into
``{"code": ..., "message_zh": ..., "message_en": ..., "details": ...}`` with its HTTP status,
and portal pages show the message in the user's language. Codes never change once published;
`docs/reference/errors.md` lists them.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status = 400

    def __init__(
        self,
        code: str,
        message_zh: str,
        message_en: str,
        *,
        details: Any = None,
        status: int | None = None,
    ) -> None:
        super().__init__(f"[{code}] {message_en}")
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en
        self.details = details
        if status is not None:
            self.status = status

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "code": self.code,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
        }
        if self.details is not None:
            data["details"] = self.details
        return data

    def message(self, language: str | None) -> str:
        return self.message_en if (language or "").startswith("en") else self.message_zh


class ValidationFailed(DomainError):
    status = 422


class NotFound(DomainError):
    status = 404


class PermissionDenied(DomainError):
    status = 403


class Conflict(DomainError):
    status = 409
