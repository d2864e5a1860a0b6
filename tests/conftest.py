"""Shared fixtures: headless Debian Chromium via Playwright, third-party requests blocked.

Every test that uses the ``browser`` fixture (directly or through ``page``) is marked ``e2e``
(``pytest -m "not e2e"`` runs the fast tests alone). The tests that use an app server
(``app_server`` / ``app_url``) are in the xdist group of their file (APP_SERVER_GROUPS): with
``-n``, one worker runs each group, and one ``streamlit run`` per worker serves it.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
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
#: Browser tests that restart the shared app server run after the other browser tests.
RESTARTS_APP = "restarts_app"
#: The files of the tests that use an app server, and their xdist group: each group runs in one
#: worker, which starts one server for it; two groups run side by side.
APP_SERVER_GROUPS = {
    "tests/e2e/test_app_e2e.py": "app_server_views",
    "tests/e2e/test_cross_checks_e2e.py": "app_server_views",
    "tests/e2e/test_counting_e2e.py": "app_server_views",
    "tests/e2e/test_cjk_font_e2e.py": "app_server_views",
    "tests/e2e/test_languages_e2e.py": "app_server_views",
    "tests/e2e/test_dates_e2e.py": "app_server_views",
    "tests/e2e/test_links_e2e.py": "app_server_views",
    "tests/e2e/test_presenting_layout_e2e.py": "app_server_views",
    "tests/e2e/test_app_scale_e2e.py": "app_server_uploads",
    "tests/e2e/test_hostile_app.py": "app_server_uploads",
    "tests/e2e/test_hardening_app.py": "app_server_uploads",
    "tests/e2e/test_stories_e2e.py": "app_server_uploads",
    "tests/e2e/test_team_e2e.py": "team_server",  # its own server, with accounts
}
LOCAL_PREFIXES = ("http://127.0.0.1", "http://localhost", "file://", "data:", "blob:", "about:")
#: URLs that start with none of LOCAL_PREFIXES: the only requests the page fixture intercepts
#: (routing every request through Python costs CPU on each of the app's many local requests).
NON_LOCAL = re.compile("^(?!" + "|".join(re.escape(p) for p in LOCAL_PREFIXES) + ")")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def pytest_configure(config) -> None:
    """Keep this run's disk cache (``geo.disk_cache``) and workspace in folders of their own.

    With ``REQUIRE_BROWSER=1`` (CI) the tools tests would otherwise skip without must be
    there: node, which runs the map's scripts in ``tests/render``.
    """
    os.environ.setdefault("BORDER_MAP_CACHE", tempfile.mkdtemp(prefix="border-map-cache-"))
    # The app's workspace and database (webapp.app_store): never the user's, whose accounts
    # would make the app ask the tests to sign in.
    os.environ.setdefault("BORDER_MAP_WORKSPACE", tempfile.mkdtemp(prefix="border-map-ws-"))
    if os.environ.get("REQUIRE_BROWSER") == "1" and shutil.which("node") is None:
        raise pytest.UsageError("REQUIRE_BROWSER=1 but node is missing (Debian: nodejs)")


def uses_app_server(item) -> bool:
    return "app_server" in getattr(item, "fixturenames", ())


def file_of(nodeid: str) -> str:
    """The file part of a node id (``tests/e2e/test_x.py::test_y`` -> ``tests/e2e/test_x.py``)."""
    return nodeid.split("::", 1)[0]


def pytest_itemcollected(item) -> None:
    """Mark every browser test ``e2e`` and every app server test ``xdist_group("app_server")``."""
    if "browser" in getattr(item, "fixturenames", ()):
        item.add_marker(pytest.mark.e2e)
    if uses_app_server(item):
        item.add_marker(pytest.mark.xdist_group(APP_SERVER_GROUPS.get(file_of(item.nodeid), "")))


def pytest_collection_modifyitems(items) -> None:
    """Check that app server tests are in APP_SERVER_GROUPS; run those that restart it last.

    A restart leaves a freshly started server behind, whose first page load is slow; so the
    tests marked ``restarts_app`` move to just after the last other app server test.
    """
    strays = [i.nodeid for i in items if uses_app_server(i)]
    strays = [nodeid for nodeid in strays if file_of(nodeid) not in APP_SERVER_GROUPS]
    if strays:
        raise pytest.UsageError(f"add the files of {strays} to tests/conftest.py APP_SERVER_GROUPS")
    restarting = [i for i in items if i.get_closest_marker(RESTARTS_APP)]
    others = [i for i in items if not i.get_closest_marker(RESTARTS_APP)]
    last = max((n for n, i in enumerate(others) if uses_app_server(i)), default=len(others) - 1)
    items[:] = others[: last + 1] + restarting + others[last + 1 :]


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log) -> object:
    """``--dist loadgroup`` that also puts the tests of each file of APP_SERVER_GROUPS in its group.

    pytest-xdist 3.8 groups tests by appending their ``xdist_group`` to their node ids, which
    pytest 9.2 no longer reads (pytest-dev/pytest-xdist#1386), so the files are named here too.
    """
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    class AppServerGroup(LoadGroupScheduling):
        def _split_scope(self, nodeid: str) -> str:
            group = APP_SERVER_GROUPS.get(file_of(nodeid))
            return group if group else super()._split_scope(nodeid)

    return AppServerGroup(config, log)


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


@pytest.fixture(scope="session")
def app_server(browser, tmp_path_factory) -> Iterator[object]:
    """One ``streamlit run app.py`` for the whole session, in its own temporary workspace.

    Shared by every browser test that needs the app (one per xdist worker that runs such a
    test; with ``--dist loadgroup`` they all run in one worker, see ``pytest_itemcollected``).
    Tests upload into it, so a test must pick a dataset by its label, never rely on which
    uploads exist; each test gets a fresh browser context and so a fresh session, which starts
    on the shipped dataset.
    """
    from tests.e2e.app_server import AppServer

    server = AppServer(tmp_path_factory.mktemp("workspace"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def app_url(app_server) -> str:
    """Base URL of the shared app server (it changes when a test restarts the server)."""
    return app_server.url


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

    def block(route_obj) -> None:
        watch.blocked.append(route_obj.request.url)
        route_obj.abort()

    page.route(NON_LOCAL, block)
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
