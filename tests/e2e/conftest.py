"""Browser journeys: Playwright (Python) driving Debian's chromium, axe for accessibility."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("ONEWINDOW_CHROMIUM", "/usr/bin/chromium"))
# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"Debian chromium not found at {CHROMIUM}: run `python3 dev.py test`")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _sqlite_flush_allowed(transactional_db):  # type: ignore[no-untyped-def]
    """Live-server tests end with Django's flush, which on SQLite is DELETE: lift the ledger's
    append-only triggers for that flush (PostgreSQL flushes with TRUNCATE). They are put back
    at the start of the next live-server test; browser journeys run last in the suite."""
    from django.db import connection

    from onewindow.ledger.triggers import statements

    def run(install: bool) -> None:
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                for statement in statements("sqlite", install=install):
                    cursor.execute(statement)

    run(install=True)
    yield
    run(install=False)
