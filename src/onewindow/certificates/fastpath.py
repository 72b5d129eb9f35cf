"""A lean WSGI path for the public verification API, the platform's most frequent request.

`with_fast_verification(django_app)` wraps the Django WSGI application (see
`onewindow.conf.wsgi`): ``GET /api/v1/certificates/verify?c=…`` and ``POST
/api/v1/certificates/verify`` with a well-formed ``{"payload": "…"}`` body are answered by
`LeanVerifyHandler`; every other request, and every request it is not sure about (another
method, a script prefix, a body that is not that JSON object, a large body), goes to Django
unchanged, which also keeps serving the route itself (and its OpenAPI description) through
django-ninja.

Why: measured on this 2-core machine, Django's full stack (URL resolving over every route,
ninja's parameter machinery, sessions, authentication, CSRF, messages) cost more server CPU
per request than the verification itself. The lean handler is still Django's own request
handling — `WSGIRequest`, the request signals (database connections are recycled the same
way), exception-to-response conversion (bilingual JSON 400/500 pages), error logging — and
the same middleware as `settings.MIDDLEWARE` minus the ones a public, cookie-less, CSRF-exempt
JSON endpoint does not use (`SKIPPED_MIDDLEWARE`); so security headers (CSP, nosniff,
X-Frame-Options, Referrer-Policy, COOP, HSTS), host validation, the HTTPS redirect, the
request id and the language headers are exactly the site's. The answer comes from the same
function as the ninja view (`api.verification_response`: `services.verify_public` — rate limit,
trust list, status lookup, batched log — and the same JSON), and the 429 from the API's own
exception handler, so the bytes are the same (tests compare them).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from io import BytesIO
from typing import Any

from django.conf import settings
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpRequest, HttpResponse
from django.utils.module_loading import import_string

from onewindow.core.errors import DomainError

VERIFY_PATH = "/api/v1/certificates/verify"
# Bodies up to this size are looked at here; a larger one (a valid QR text is < 1 KB, and a
# payload over 4,096 characters is refused unread anyway) goes to Django as it came.
MAX_FAST_BODY_BYTES = 64 * 1024
_SCANNED = "onewindow.verify.scanned"
_PAYLOAD_MAX_CHARS = 1_000_000  # schemas.VerifyIn.payload max_length: longer is ninja's 422
SKIPPED_MIDDLEWARE = frozenset(
    {
        "whitenoise.middleware.WhiteNoiseMiddleware",  # static files only
        "django.contrib.sessions.middleware.SessionMiddleware",  # no session is read
        "django.middleware.csrf.CsrfViewMiddleware",  # the route is CSRF-exempt (auth=None)
        "django.contrib.auth.middleware.AuthenticationMiddleware",  # no user is read
        "django.contrib.messages.middleware.MessageMiddleware",  # nothing is shown
        # Turns Django's HTML 404/405 under /api/ into JSON: this path answers neither.
        "onewindow.portal.errors.ApiErrorMiddleware",
    }
)

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def _verify_view(request: HttpRequest) -> HttpResponse:
    from onewindow.api.urls import api
    from onewindow.certificates.api import verification_response

    # GET: as ninja reads `c: str = ""` (the last value when repeated).
    scanned = request.META[_SCANNED] if request.method == "POST" else request.GET.get("c", "")
    try:
        return verification_response(request, scanned)
    except DomainError as exc:  # the rate limit: answered by the API's own handler
        return api.on_exception(request, exc)


class LeanVerifyHandler(WSGIHandler):
    """Django's WSGI handler with a fixed view and the site's middleware minus
    `SKIPPED_MIDDLEWARE`, in the site's order."""

    def load_middleware(self, is_async: bool = False) -> None:
        handler: Callable[[HttpRequest], Any] = convert_exception_to_response(_verify_view)
        for path in reversed(settings.MIDDLEWARE):
            if path in SKIPPED_MIDDLEWARE:
                continue
            handler = convert_exception_to_response(import_string(path)(handler))
        self._middleware_chain = handler
        # BaseHandler's hooks for view/template/exception middleware: none here.
        self._view_middleware: list[Any] = []
        self._template_response_middleware: list[Any] = []
        self._exception_middleware: list[Any] = []


def _payload(environ: dict[str, Any]) -> str | None:
    """The `payload` of a small, well-formed JSON body, or None (then Django answers, with
    ninja's own 400/422 for what is wrong). Leaves a fresh copy of the body in the environ."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if not 0 < length <= MAX_FAST_BODY_BYTES:
        return None
    body = environ["wsgi.input"].read(length)
    environ["wsgi.input"] = BytesIO(body)
    try:
        document = json.loads(body)  # as ninja's parser: json.loads(request.body)
    except ValueError:
        return None
    payload = document.get("payload") if isinstance(document, dict) else None
    if not isinstance(payload, str) or len(payload) > _PAYLOAD_MAX_CHARS:
        return None
    try:
        payload.encode("utf-8")  # lone surrogates: pydantic refuses them (422)
    except UnicodeEncodeError:
        return None
    return payload


def with_fast_verification(django_app: WSGIApp) -> WSGIApp:
    """`django_app` with the public verification API answered by `LeanVerifyHandler`
    (unless the setting `CERTIFICATE_VERIFY_FAST_PATH` is False)."""
    if not getattr(settings, "CERTIFICATE_VERIFY_FAST_PATH", True):
        return django_app
    lean = LeanVerifyHandler()

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if environ.get("PATH_INFO") != VERIFY_PATH or environ.get("SCRIPT_NAME"):
            return django_app(environ, start_response)
        method = environ.get("REQUEST_METHOD")
        if method == "GET":
            return lean(environ, start_response)
        if method == "POST":
            payload = _payload(environ)
            if payload is not None:
                environ[_SCANNED] = payload
                return lean(environ, start_response)
        return django_app(environ, start_response)

    return application
