"""The public verification page in a real browser (Debian chromium through Playwright): what a
phone camera opens from the QR code, checked with axe (WCAG 2.1 AA) in Chinese and English.

Django renders the page and its stylesheet first (the test database lives in this thread);
the browser receives them through request interception at the QR code's address."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.test import Client

from onewindow.certificates import selectors, services
from onewindow.certificates.qr.payload import verification_url
from onewindow.testing.browser import assert_accessible

pytestmark = [pytest.mark.django_db, pytest.mark.e2e]
CHROMIUM = Path(os.environ.get("ONEWINDOW_CHROMIUM", "/usr/bin/chromium"))
ORIGIN = "http://onewindow.test"
STYLESHEET = "/static/portal/site.css"


def _rendered(client: Client, path: str, language: str) -> tuple[int, bytes, str]:
    response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, body, response["Content-Type"]


def test_page_opened_from_the_qr_is_accessible_and_shows_statuses(licence):
    from playwright.sync_api import sync_playwright

    permit = selectors.permits_of(licence)[0]
    services.revoke_certificate(certificate=permit, actor="user:9", reason="撤销")
    client = Client()
    url = verification_url(licence.payload, base_url=ORIGIN)
    cases = (("zh-CN", "✔ 有效", "已撤销"), ("en-GB", "✔ Valid", "revoked"))
    pages = {locale: _rendered(client, url.removeprefix(ORIGIN), locale) for locale, _, _ in cases}
    css = _rendered(client, STYLESHEET, "")
    assert css[0] == 200
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            for locale, valid, revoked in cases:
                context = browser.new_context(locale=locale)
                page = context.new_page()
                served = pages[locale]

                def fulfil(route, request, served=served):  # type: ignore[no-untyped-def]
                    status, body, kind = css if route.request.url.endswith(STYLESHEET) else served
                    route.fulfill(status=status, body=body, headers={"content-type": kind})

                page.route(f"{ORIGIN}/**", fulfil)
                page.goto(url)
                assert page.locator("p.status").first.inner_text() == valid
                row = page.locator("tr", has_text=permit.number)
                assert row.locator("td.status").inner_text() == revoked
                assert_accessible(page)
                context.close()
        finally:
            browser.close()
