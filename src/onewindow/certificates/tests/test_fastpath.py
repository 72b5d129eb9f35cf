"""The lean WSGI path for the verification API answers byte for byte what the ninja route
answers (status, JSON body, headers), applies the same rate limit, writes the same log rows,
and hands everything it does not serve to Django."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.test import RequestFactory
from django.urls import resolve

from onewindow.certificates import fastpath, services, verification_log
from onewindow.certificates.models import VerificationLog
from onewindow.certificates.qr import base45
from onewindow.certificates.qr.payload import pack, verification_url

from .conftest import cose_bytes

SCANNED_AT = datetime(2027, 3, 1, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))

pytestmark = pytest.mark.django_db
URL = fastpath.VERIFY_PATH


class Spy:
    """The Django application, counting the requests handed to it."""

    def __init__(self) -> None:
        self.django = WSGIHandler()
        self.calls = 0

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        self.calls += 1
        return self.django(environ, start_response)


@pytest.fixture(autouse=True)
def _keep_test_connection() -> Iterator[None]:
    # As Django's test client does: the request signals must not close the connection that
    # holds the test's transaction.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    with time_machine.travel(SCANNED_AT, tick=False):  # the same `checked_at` both ways
        yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def call(app: Any, method: str, data: Any = None, **extra: Any) -> tuple[str, dict, bytes]:
    factory = RequestFactory()
    if method == "GET":
        environ = factory.get(URL, data or {}, **extra).environ
    else:
        environ = factory.generic(method, URL, data or "", "application/json", **extra).environ
    seen: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        seen.update(status=status, headers=headers)

    result = app(environ, start_response)
    body = b"".join(result)
    result.close()
    names = [name for name, _ in seen["headers"]]
    assert len(names) == len(set(names)), names
    return seen["status"], dict(seen["headers"]), body


def same(fast: tuple[str, dict, bytes], slow: tuple[str, dict, bytes]) -> None:
    """Same status, bytes and headers; only the request id differs."""
    assert (fast[0], fast[2]) == (slow[0], slow[2])
    fast_headers, slow_headers = dict(fast[1]), dict(slow[1])
    # (absent from both when the host check refuses the request before the id is given)
    ids = (fast_headers.pop("X-Request-Id", ""), slow_headers.pop("X-Request-Id", ""))
    assert len(ids[0]) == len(ids[1]) and len(ids[0]) in (0, 32)
    assert fast_headers == slow_headers


def body(text: str) -> str:
    return json.dumps({"payload": text})


def tampered(payload: str) -> str:
    cose = bytearray(cose_bytes(payload))
    cose[-1] ^= 0x01  # the last byte of the signature
    return pack(bytes(cose))


def _malformed_zlib() -> str:
    return "OW1:" + base45.encode(b"\x78\x9c not zlib")


INPUTS: dict[str, Callable[[Any], str]] = {
    "valid": lambda lic: lic.payload,
    "valid-url": lambda lic: verification_url(lic.payload),
    "tampered": lambda lic: tampered(lic.payload),
    "empty": lambda lic: "",
    "base45": lambda lic: "OW1:%%",
    "zlib": lambda lic: _malformed_zlib(),
    "prefix": lambda lic: "HC1:NCFOXN",
    "too-large": lambda lic: "OW1:" + "A" * 5000,
    "binary": lambda lic: "OW1:\x00é€",
}
REASONS = {
    "valid": "ok",
    "valid-url": "ok",
    "tampered": "signature.invalid",
    "empty": "input.empty",
    "base45": "payload.base45_invalid",
    "zlib": "payload.zlib_invalid",
    "prefix": "payload.prefix_unknown",
    "too-large": "input.too_large",
    "binary": "payload.base45_invalid",
}


@pytest.mark.parametrize("case", sorted(INPUTS))
def test_the_same_bytes_as_the_ninja_route(licence, case):
    spy = Spy()
    app = fastpath.with_fast_verification(spy)
    scanned = INPUTS[case](licence)
    for method, data in (("GET", {"c": scanned}), ("POST", body(scanned))):
        fast = call(app, method, data)
        assert spy.calls == 0
        slow = call(spy.django, method, data)
        same(fast, slow)
        answer = json.loads(fast[2])
        assert answer["reason"] == REASONS[case]
        assert fast[1]["Content-Type"] == "application/json; charset=utf-8"
        assert fast[1]["X-Content-Type-Options"] == "nosniff"
        assert fast[1]["X-Frame-Options"] == "DENY"
        assert fast[1]["Referrer-Policy"] == "same-origin"
        assert "frame-ancestors 'none'" in fast[1]["Content-Security-Policy"]
    rows = list(VerificationLog.objects.values_list("channel", "reason"))
    assert rows == [("api", REASONS[case])] * 4  # two through each path


def test_a_revoked_licence_and_permit_at_the_next_scan(licence):
    app = fastpath.with_fast_verification(WSGIHandler())
    services.revoke_certificate(certificate=licence, actor="user:9", reason="吊销营业执照")
    fast = call(app, "GET", {"c": licence.payload})
    same(fast, call(WSGIHandler(), "GET", {"c": licence.payload}))
    answer = json.loads(fast[2])
    assert (answer["valid"], answer["reason"], answer["licence"]["status"]) == (
        False,
        "certificate.revoked",
        "revoked",
    )


def test_the_rate_limit_is_shared_with_the_ninja_route(licence, settings):
    settings.CERTIFICATE_VERIFY_RATE_LIMIT = "3/60"
    spy = Spy()
    app = fastpath.with_fast_verification(spy)
    statuses = [call(app, "GET", {"c": licence.payload})[0] for _ in range(2)]
    statuses.append(call(spy.django, "POST", body(licence.payload))[0])
    assert statuses == ["200 OK"] * 3
    refused = call(app, "GET", {"c": licence.payload})
    same(refused, call(spy.django, "GET", {"c": licence.payload}))
    assert refused[0] == "429 Too Many Requests"
    assert json.loads(refused[2])["code"] == "certificates.rate_limited"
    other = call(app, "POST", body(licence.payload), REMOTE_ADDR="10.1.2.3")
    assert json.loads(other[2])["valid"] is True
    # Refused requests are not verifications: four logged, none with an address.
    assert VerificationLog.objects.count() == 4
    stored = json.dumps(list(VerificationLog.objects.values()), default=str)
    assert "127.0.0.1" not in stored and "10.1.2.3" not in stored


def test_log_rows_are_batched_as_configured(licence, settings):
    settings.CERTIFICATE_VERIFICATION_LOG_BATCH = 2
    settings.CERTIFICATE_VERIFICATION_LOG_SECONDS = 600
    app = fastpath.with_fast_verification(WSGIHandler())
    call(app, "GET", {"c": licence.payload})
    assert (VerificationLog.objects.count(), verification_log.pending()) == (0, 1)
    call(app, "POST", body("OW1:%%"))
    assert verification_log.pending() == 0
    assert sorted(VerificationLog.objects.values_list("reason", flat=True)) == [
        "ok",
        "payload.base45_invalid",
    ]


@pytest.mark.parametrize(
    ("method", "data", "status"),
    [
        ("POST", "{not json", "400 Bad Request"),
        ("POST", "{}", "422 Unprocessable Entity"),
        ("POST", '{"payload": 5}', "422 Unprocessable Entity"),
        ("POST", '{"payload": "OW1:\\udc80"}', "422 Unprocessable Entity"),
        ("POST", json.dumps({"payload": "A" * 1_000_001}), "422 Unprocessable Entity"),
        ("HEAD", "", "405 Method Not Allowed"),
        ("PUT", body("OW1:"), "405 Method Not Allowed"),
    ],
)
def test_what_it_does_not_serve_goes_to_django(licence, method, data, status):
    spy = Spy()
    app = fastpath.with_fast_verification(spy)
    answer = call(app, method, data)
    assert (spy.calls, answer[0]) == (1, status)
    if method != "HEAD":
        assert json.loads(answer[2])["code"] in (
            "request.invalid",
            "request.refused",
            "request.method_not_allowed",
        )
    assert VerificationLog.objects.count() == 0


def test_request_id_host_check_and_https_redirect_are_the_sites(licence, settings):
    app = fastpath.with_fast_verification(WSGIHandler())
    echoed = call(app, "GET", {"c": licence.payload}, HTTP_X_REQUEST_ID="scanner-0001")
    assert echoed[1]["X-Request-Id"] == "scanner-0001"
    english = call(app, "GET", {"c": ""}, HTTP_ACCEPT_LANGUAGE="en")
    same(english, call(WSGIHandler(), "GET", {"c": ""}, HTTP_ACCEPT_LANGUAGE="en"))
    assert english[1]["Content-Language"] == "en"
    foreign = call(app, "GET", {"c": licence.payload}, HTTP_HOST="evil.example")
    same(foreign, call(WSGIHandler(), "GET", {"c": licence.payload}, HTTP_HOST="evil.example"))
    assert json.loads(foreign[2])["code"] == "request.bad"
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 3600
    app = fastpath.with_fast_verification(WSGIHandler())
    plain = call(app, "GET", {"c": licence.payload})
    assert plain[0].startswith("301") and plain[1]["Location"].startswith("https://")
    secure = call(app, "GET", {"c": licence.payload}, secure=True)
    same(secure, call(WSGIHandler(), "GET", {"c": licence.payload}, secure=True))
    assert secure[1]["Strict-Transport-Security"] == "max-age=3600"
    assert VerificationLog.objects.count() == 3 + 2  # 2 scans, 1 empty, 2 secure; none refused


def test_the_route_stays_ninjas_and_the_server_uses_the_fast_path(settings):
    assert resolve(URL).url_name in ("verify", "verify_query")
    from onewindow.conf import wsgi

    assert wsgi.application is not wsgi.django_application
    settings.CERTIFICATE_VERIFY_FAST_PATH = False
    spy = Spy()
    assert fastpath.with_fast_verification(spy) is spy
