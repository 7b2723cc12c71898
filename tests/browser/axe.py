"""Accessibility checks for browser tests: axe-core on every page a test loads.

Every page load in a test's browser is recorded (`watch`, called by the `page` fixture). A test
scans the page it is on with `check_accessibility(page)`, or lets `visit` and `follow` do it
after each navigation. When the test ends, a page that loaded but was never scanned fails it,
so a forgotten scan cannot pass unnoticed.

A violation whose impact is serious or critical fails the test, with the rule, its help text
and the elements it was found on. Moderate and minor ones are reported as warnings."""

import re
import warnings
from dataclasses import dataclass, field
from weakref import WeakKeyDictionary

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Locator, Page, Response

FAILING_IMPACTS = {"serious", "critical"}

_axe = Axe()


@dataclass
class _Visits:
    """The pages loaded in one browser tab, in order, and which of them were scanned."""

    loaded: list[str] = field(default_factory=list)
    scanned: set[int] = field(default_factory=set)

    def unscanned(self) -> list[str]:
        return [url for number, url in enumerate(self.loaded) if number not in self.scanned]


_visits: "WeakKeyDictionary[Page, _Visits]" = WeakKeyDictionary()


class AccessibilityWarning(UserWarning):
    """A moderate or minor axe-core finding: worth reading, not a failure."""


def watch(page: Page) -> None:
    """Record every page load in this tab, so that `unscanned_pages` can name the unscanned ones."""
    visits = _visits.setdefault(page, _Visits())
    page.on("load", lambda loaded: visits.loaded.append(loaded.url))


def unscanned_pages(page: Page) -> list[str]:
    """Addresses of the pages that loaded in this tab but were not checked with axe-core."""
    # Waiting for the current load lets Playwright deliver any load event still on its way.
    page.wait_for_load_state("load")
    visits = _visits.get(page)
    return visits.unscanned() if visits else []


def check_accessibility(page: Page) -> None:
    """Run axe-core on the page as it is now and fail on any serious or critical violation."""
    page.wait_for_load_state("load")
    results = _axe.run(page).response
    visits = _visits.get(page)
    if visits is not None and visits.loaded:
        # The scan ran in the latest document, and Playwright delivers events in order, so
        # the load event of that document has been recorded by now.
        visits.scanned.add(len(visits.loaded) - 1)

    failing, other = [], []
    for violation in results["violations"]:
        if _known_govuk_issue(violation):
            continue
        (failing if violation.get("impact") in FAILING_IMPACTS else other).append(violation)
    for violation in other:
        warnings.warn(f"{page.url}: {_describe(violation)}", AccessibilityWarning, stacklevel=2)
    if failing:
        listed = "\n".join(_describe(violation) for violation in failing)
        raise AssertionError(f"axe-core found {len(failing)} serious or critical violation(s) on {page.url}:\n{listed}")


# GOV.UK Frontend sets aria-expanded on a radio that reveals conditional content. ARIA does not list it
# for radios, so axe reports it, but the GOV.UK Design System keeps it on purpose because screen readers
# announce it (a documented known issue: alphagov/govuk-frontend#979). Only that finding is set aside.
_ARIA_EXPANDED = re.compile(r'ARIA attribute is not allowed: aria-expanded="(true|false)"')


def _known_govuk_issue(violation: dict) -> bool:
    def only_aria_expanded(node: dict) -> bool:
        reasons = [line.strip() for line in node.get("failureSummary", "").splitlines()[1:] if line.strip()]
        return bool(reasons) and all(_ARIA_EXPANDED.fullmatch(reason) for reason in reasons)

    return violation["id"] == "aria-allowed-attr" and all(
        'class="govuk-radios__input"' in node.get("html", "") and only_aria_expanded(node)
        for node in violation["nodes"]
    )


def visit(page: Page, path: str) -> Response | None:
    """Open a page (a path on the live server, or an address) and check its accessibility."""
    response = page.goto(path)
    check_accessibility(page)
    return response


def follow(locator: Locator) -> None:
    """Click a link or a submit button that loads a new page, wait for it, and check that page."""
    page = locator.page
    with page.expect_navigation():
        locator.click()
    check_accessibility(page)


def _describe(violation: dict) -> str:
    targets = "; ".join(" >> ".join(_selector(part) for part in node["target"]) for node in violation["nodes"])
    return f"- {violation['id']} ({violation.get('impact')}): {violation['help']}. Elements: {targets}"


def _selector(part) -> str:
    # axe names an element inside a frame by a list of selectors, one per frame, and an element
    # in a shadow root by a nested list, one selector per shadow host.
    return " >>> ".join(part) if isinstance(part, list) else re.sub(r"\s+", " ", str(part))
