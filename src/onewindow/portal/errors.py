"""Error pages: bilingual HTML for people, JSON with a stable code under /api/."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from onewindow.core.errors import DomainError
from onewindow.portal.templatetags.onewindow import is_english

ERRORS = {
    400: ("request.bad", "请求无效", "Bad request"),
    403: ("auth.forbidden", "您无权访问该页面", "You may not open this page"),
    404: ("page.not_found", "未找到该页面或资源", "Page or resource not found"),
    405: ("request.method_not_allowed", "不支持该请求方法", "Method not allowed"),
    500: (
        "server.error",
        "系统出错，请稍后再试；问题已记录",
        "Something went wrong on our side; it has been logged — please try again later",
    ),
}
CSRF = DomainError(
    "auth.csrf_failed",
    "页面已过期或来源不明，请刷新页面后重试",
    "The page expired or came from elsewhere; reload it and try again",
    status=403,
)


def respond(request: HttpRequest, error: DomainError) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            error.as_dict(), status=error.status, json_dumps_params={"ensure_ascii": False}
        )
    context = {
        "error": {
            "code": error.code,
            "message": error.message_en if is_english() else error.message_zh,
        }
    }
    return render(request, "portal/error.html", context, status=error.status)


def _standard(status: int) -> DomainError:
    code, zh, en = ERRORS[status]
    return DomainError(code, zh, en, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return respond(request, _standard(400))


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return respond(request, _standard(403))


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return respond(request, _standard(404))


def server_error(request: HttpRequest) -> HttpResponse:
    return respond(request, _standard(500))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return respond(request, CSRF)


class ApiErrorMiddleware:
    """Under /api/, plain-text or HTML 404/405 answers (unknown route, wrong method) become
    the API's JSON error with a stable code."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code in (404, 405)
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            return respond(request, _standard(response.status_code))
        return response
