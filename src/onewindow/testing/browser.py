"""Accessibility check for browser tests (axe-core through axe-playwright-python)."""

from __future__ import annotations


def assert_accessible(page) -> None:  # type: ignore[no-untyped-def]
    """axe-core (WCAG 2.1 A/AA rules) finds no violations on the current page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
        },
    )
    violations = results.response["violations"]
    assert violations == [], [
        (v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in violations
    ]
