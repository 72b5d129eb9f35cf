"""The public verification page, `/v/?c=<payload>`: what a phone camera opens from the QR.

No login, no JavaScript needed. Shows the result with its reason, the licence, every permit
with its current status, penalties and dishonesty records, with personal data masked.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from onewindow.certificates import conf, services
from onewindow.certificates.constants import VerificationChannel
from onewindow.core.errors import DomainError
from onewindow.portal.templatetags.onewindow import is_english


@require_GET
def verify_page(request: HttpRequest) -> HttpResponse:
    scanned = request.GET.get(conf.QUERY_PARAMETER, "")
    if not scanned:
        return render(request, "certificates/verify.html", {"result": None})
    try:
        outcome = services.verify_public(
            scanned=scanned,
            channel=VerificationChannel.PAGE,
            client_address=str(request.META.get("REMOTE_ADDR") or "unknown"),
        )
    except DomainError as exc:
        message = exc.message_en if is_english() else exc.message_zh
        context = {"result": None, "error": {"code": exc.code, "message": message}}
        return render(request, "certificates/verify.html", context, status=exc.status)
    data = outcome.to_dict()
    response = render(
        request,
        "certificates/verify.html",
        {"result": data, "message": data["message_en" if is_english() else "message_zh"]},
    )
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
