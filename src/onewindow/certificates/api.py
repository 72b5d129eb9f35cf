"""Certificates API under /api/v1/certificates.

Public (no login, rate limited per client): ``POST /verify`` (``{"payload": ...}``) and
``GET /verify?c=...`` answer 200 with a `VerificationOut` for any input — a bad or forged
payload is ``valid: false`` with a reason code, never an error status; 429
``certificates.rate_limited``. ``GET /trust-list`` (issuer keys) and ``GET /revocations``
(the signed revocation list) are public too.

For the holder (owner of the applicant) and staff of the issuing department: ``GET
/{number}``, ``GET /{number}/licence.pdf``, ``GET /{number}/licence.html``. For approvers and
supervisors of the issuing department (administrators: any): ``POST /{number}/suspend``,
``/reinstate``, ``/revoke`` with ``{"reason": ...}``.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.security import django_auth

from onewindow.accounts.models import User
from onewindow.api.schemas import ErrorOut
from onewindow.certificates import render, selectors, services
from onewindow.certificates.access import certificate_for_manager, certificate_for_reader
from onewindow.certificates.constants import VerificationChannel
from onewindow.certificates.models import Certificate
from onewindow.certificates.public import revocation_list_document
from onewindow.certificates.qr.payload import verification_url
from onewindow.certificates.schemas import CertificateOut, ReasonIn, VerificationOut, VerifyIn

router = Router(tags=["certificates"])
PUBLIC_ERRORS = {429: ErrorOut, 503: ErrorOut}
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def verification_response(request: HttpRequest, scanned: str) -> HttpResponse:
    """The answer of both verify routes; also used by the lean WSGI path (`fastpath`)."""
    outcome = services.verify_public(
        scanned=scanned, channel=VerificationChannel.API, client_address=client_address(request)
    )
    # Every scan comes here: the document is built by `to_dict` in the shape of
    # VerificationOut (tests compare them) and sent as is, without a second validation.
    body = json.dumps(outcome.to_dict(), ensure_ascii=False)
    return HttpResponse(body, content_type="application/json; charset=utf-8")


@router.post("/verify", response={200: VerificationOut, **PUBLIC_ERRORS}, auth=None)
def verify(request: HttpRequest, body: VerifyIn) -> HttpResponse:
    """Verify a scanned licence QR (public)."""
    return verification_response(request, body.payload)


@router.get("/verify", response={200: VerificationOut, **PUBLIC_ERRORS}, auth=None)
def verify_query(request: HttpRequest, c: str = "") -> HttpResponse:
    """Verify a scanned licence QR given as the `c` query parameter (public)."""
    return verification_response(request, c)


@router.get("/trust-list", response=dict[str, Any], auth=None)
def trust_list(request: HttpRequest) -> dict[str, Any]:
    """Issuer public keys with validity periods, and certificate type names (public)."""
    return selectors.trust_list_document()


@router.get("/revocations", response={200: dict[str, Any], **PUBLIC_ERRORS}, auth=None)
def revocations(request: HttpRequest) -> dict[str, Any]:
    """The signed list of hashed ids of revoked and suspended certificates (public)."""
    return revocation_list_document(client_address=client_address(request))


def _out(certificate: Certificate) -> dict[str, Any]:
    return {
        "number": certificate.number,
        "type": certificate.certificate_type.code,
        "type_name_zh": certificate.certificate_type.name_zh,
        "holder_name": certificate.holder_name,
        "holder_code": certificate.holder_code,
        "licence": certificate.licence.number if certificate.licence else None,
        "issuing_department": certificate.issuing_department.code,
        "authority_name": certificate.authority_name,
        "scope": certificate.scope,
        "valid_from": certificate.valid_from.isoformat(),
        "valid_until": certificate.valid_until.isoformat() if certificate.valid_until else None,
        "status": certificate.status,
        "payload_version": certificate.payload_version,
        "certificate_hash": certificate.payload_sha256,
        "verification_url": verification_url(certificate.payload) if certificate.payload else "",
        "permits": [p.number for p in selectors.permits_of(certificate)],
        "history": [
            {
                "event": h.event,
                "from_status": h.from_status,
                "to_status": h.to_status,
                "actor": h.actor,
                "reason": h.reason,
                "changed_at": h.changed_at.isoformat(),
                "ledger_sequence": h.ledger_sequence,
            }
            for h in selectors.status_history(certificate)
        ],
    }


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@router.get("/{number}", response={200: CertificateOut, **ERRORS}, auth=django_auth)
def certificate_detail(request: HttpRequest, number: str) -> dict[str, Any]:
    return _out(certificate_for_reader(_user(request), number))


@router.get("/{number}/licence.pdf", response={200: None, **ERRORS}, auth=django_auth)
def licence_pdf(request: HttpRequest, number: str) -> HttpResponse:
    certificate = certificate_for_reader(_user(request), number, printable=True)
    response = HttpResponse(render.licence_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{certificate.number}.pdf"'
    return response


@router.get("/{number}/licence.html", response={200: None, **ERRORS}, auth=django_auth)
def licence_html(request: HttpRequest, number: str) -> HttpResponse:
    certificate = certificate_for_reader(_user(request), number, printable=True)
    return HttpResponse(render.licence_html(certificate), content_type="text/html; charset=utf-8")


def _change(request: HttpRequest, number: str, body: ReasonIn, verb: Any) -> dict[str, Any]:
    user = _user(request)
    certificate = certificate_for_manager(user, number)
    return _out(verb(certificate=certificate, actor=user, reason=body.reason))


@router.post("/{number}/suspend", response={200: CertificateOut, **ERRORS}, auth=django_auth)
def suspend(request: HttpRequest, number: str, body: ReasonIn) -> dict[str, Any]:
    return _change(request, number, body, services.suspend_certificate)


@router.post("/{number}/reinstate", response={200: CertificateOut, **ERRORS}, auth=django_auth)
def reinstate(request: HttpRequest, number: str, body: ReasonIn) -> dict[str, Any]:
    return _change(request, number, body, services.reinstate_certificate)


@router.post("/{number}/revoke", response={200: CertificateOut, **ERRORS}, auth=django_auth)
def revoke(request: HttpRequest, number: str, body: ReasonIn) -> dict[str, Any]:
    return _change(request, number, body, services.revoke_certificate)
