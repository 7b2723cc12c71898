"""Browser tests: Debian's Chromium, driven by Playwright's sync API, against the live test server.

They run on PostgreSQL only. Every test here is marked `browser`, so the Makefile's SQLite run
(`-m "not browser"`) leaves them out; on SQLite they are deselected even without `-m`, with a
line in the summary saying why."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect, sync_playwright

from tests.browser.axe import unscanned_pages, watch

HERE = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("CADRE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
TIMEOUT_MS = 10_000

_call_passed = pytest.StashKey[bool]()
_deselected_on_sqlite = pytest.StashKey[int]()


def _is_sqlite() -> bool:
    from django.conf import settings

    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Runs before pytest's own `-m` selection, so `-m "not browser"` sees the marker.
    ours = [item for item in items if HERE in Path(item.path).resolve().parents]
    for item in ours:
        item.add_marker(pytest.mark.browser)
    if ours and _is_sqlite():
        config.hook.pytest_deselected(items=ours)
        chosen = set(ours)
        items[:] = [item for item in items if item not in chosen]
        config.stash[_deselected_on_sqlite] = len(ours)


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    left_out = config.stash.get(_deselected_on_sqlite, 0)
    if left_out:
        terminalreporter.write_line(
            f"{left_out} browser test(s) deselected: they run on PostgreSQL only (set DATABASE_URL=postgres://...)."
        )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call):
    report = yield
    if report.when == "call":
        item.stash[_call_passed] = report.passed
    return report


@pytest.fixture(scope="package", autouse=True)
def _connections_closed_afterwards(django_db_blocker):
    """Close the tests' database connections when the browser tests are done.

    Django keeps connections per context (asgiref's Local), and while Playwright runs, the tests'
    context is not the one that created the test database: without this, their connection stays
    open and the test database cannot be dropped at the end."""
    yield
    from django.db import connections

    with django_db_blocker.unblock():
        connections.close_all()


@pytest.fixture(scope="package", autouse=True)
def _urls_loaded() -> None:
    """Load every page's code (and the numerical libraries some import) before the first page is
    opened, so a busy machine's first request does not run into the browser's timeout."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports the URL configuration)


@pytest.fixture(scope="package")
def browser() -> Browser:
    """One Chromium for the browser tests in a row.

    Package-scoped rather than session-scoped: Playwright's sync API keeps an asyncio loop
    running in the main thread while it is started, and Django refuses database calls while a
    loop runs unless DJANGO_ALLOW_ASYNC_UNSAFE is set. Allowing them is safe here (the loop is
    idle whenever test code runs), but only while Playwright is started; with pytest-xdist a
    worker may go on to other test files, which must keep Django's check. Package scope stops
    Playwright, and restores the variable, as soon as the worker leaves tests/browser/."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            expect.set_options(timeout=TIMEOUT_MS)
            yield chromium
            chromium.close()


@pytest.fixture
def page(browser: Browser, live_server, request: pytest.FixtureRequest) -> Page:
    """A tab in a fresh browser context (no cookies) pointed at the live server.

    Paths given to `page.goto` are relative to the live server. When the test passes, it fails
    after all if a page loaded without an accessibility check, or if a page raised a JavaScript
    error or logged one (a script refused by the Content Security Policy, a missing file)."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    script_errors: list[str] = []

    def console(message: ConsoleMessage) -> None:
        # A page's own error status (a 404 page a test opens on purpose) is logged too; that is
        # for the test to check. A missing script, style sheet or image is not, nor anything the
        # Content Security Policy refuses on the page itself (an inline style, say).
        own_status = message.location.get("url") == tab.url and "Failed to load resource" in message.text
        if message.type == "error" and not own_status:
            script_errors.append(f"{tab.url}: {message.text} ({message.location.get('url')})")

    tab.on("pageerror", lambda error: script_errors.append(f"{tab.url}: {error}"))
    tab.on("console", console)
    watch(tab)
    try:
        yield tab
        if request.node.stash.get(_call_passed, False):
            unscanned = unscanned_pages(tab)
            assert not unscanned, f"These pages loaded but were never checked with axe-core: {unscanned}"
            assert not script_errors, "The browser reported errors:\n" + "\n".join(script_errors)
    finally:
        context.close()
