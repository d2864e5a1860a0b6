"""Shared fixtures: headless Debian Chromium via Playwright, third-party requests blocked."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
LOCAL_PREFIXES = ("http://127.0.0.1", "http://localhost", "file://", "data:", "blob:", "about:")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Playwright Chromium (skipped without /usr/bin/chromium unless REQUIRE_BROWSER=1)."""
    if not CHROMIUM.exists():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail("REQUIRE_BROWSER=1 but /usr/bin/chromium is missing")
        pytest.skip("Debian chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class PageWatch:
    """Records blocked third-party requests and console errors of one page."""

    def __init__(self) -> None:
        self.blocked: list[str] = []
        self.console_errors: list[str] = []


@pytest.fixture
def page(browser, request) -> Iterator[object]:
    """A fresh page that blocks (and records in ``page.watch``) every non-local request.

    A screenshot is saved to test-artifacts/ when the test fails.
    """
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    watch = PageWatch()

    def route(route_obj) -> None:
        url = route_obj.request.url
        if url.startswith(LOCAL_PREFIXES):
            route_obj.continue_()
        else:
            watch.blocked.append(url)
            route_obj.abort()

    page.route("**/*", route)
    page.on("console", lambda m: watch.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: watch.console_errors.append(str(e)))
    page.watch = watch
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Expose each phase's report on the test item (used to screenshot failures)."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
