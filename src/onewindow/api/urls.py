"""The NinjaAPI instance: routers, error handlers."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer

from onewindow.api import cases, reference
from onewindow.certificates.api import router as certificates_router
from onewindow.core.errors import DomainError
from onewindow.ledger.api import router as ledger_router
from onewindow.notifications.api import router as notifications_router
from onewindow.portal.errors import CSRF
from onewindow.registries.api import router as registries_router
from onewindow.workflow.api import router as workflow_router


class ReadableJSONRenderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=ReadableJSONRenderer(),
    title="OneWindow API 一窗通办接口",
    version="1",
    description="Versioned JSON API. Errors: `{code, message_zh, message_en, details}`.",
    urls_namespace="api",
)
api.add_router("/", reference.router)
api.add_router("/cases", cases.router)
api.add_router("/ledger/", ledger_router)
api.add_router("/registries", registries_router)
api.add_router("/notifications", notifications_router)
api.add_router("/certificates", certificates_router)
api.add_router("/workflow", workflow_router)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(ValidationError)
def request_invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"field": "/".join(str(p) for p in e.get("loc", [])), "problem": e.get("msg")}
        for e in exc.errors
    ]
    return api.create_response(
        request,
        {
            "code": "request.invalid",
            "message_zh": "请求格式有误",
            "message_en": "Malformed request",
            "details": {"errors": errors},
        },
        status=422,
    )


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request,
        {"code": "auth.required", "message_zh": "请先登录", "message_en": "Please log in"},
        status=401,
    )


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 403 and "csrf" in str(exc).lower():
        error = CSRF
    else:
        error = DomainError("request.refused", "请求被拒绝", str(exc), status=exc.status_code)
    return api.create_response(request, error.as_dict(), status=error.status)
