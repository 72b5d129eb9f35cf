"""Authentication with login rate limiting, for every login form (portal, admin, API)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from onewindow.accounts import services
from onewindow.core.errors import DomainError


def client_address(request: HttpRequest | None) -> str:
    if request is None:
        return "unknown"
    return str(request.META.get("REMOTE_ADDR") or "unknown")


class RateLimitedModelBackend(ModelBackend):
    """Django's model backend behind the login rate limit: too many recent failures for a
    (user name, address) pair, or from one address, refuse before the password is checked."""

    def authenticate(  # type: ignore[override]
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if username is None or password is None:
            return None
        address = client_address(request)
        try:
            services.check_login_allowed(username=username, address=address)
        except DomainError as exc:
            if request is not None:
                request.login_refusal = exc  # type: ignore[attr-defined]
            raise PermissionDenied(exc.message_en) from exc
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            services.record_login_failure(username=username, address=address)
        return user
