"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

They run when /usr/bin/chromium is present and are skipped, with the reason, when it is not
(CI installs it, and there a missing browser is an error, not a skip).
"""

import os
from pathlib import Path

import pytest

from questions.bank import import_bank
from questions.blueprint_files import load_blueprints
from tests.helpers import ROOT

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
AXE = Path(
    os.environ.get("AXE_PATH", ROOT / ".venv" / "axe" / "node_modules" / "axe-core" / "axe.min.js")
)

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# around it are ordinary synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(f"CI must run the browser tests, but {CHROMIUM} is missing.")
    skip = pytest.mark.skip(reason=f"browser tests skipped: no Chromium at {CHROMIUM}")
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {
        "executable_path": CHROMIUM,
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    }


@pytest.fixture
def bank(transactional_db):
    load_blueprints([ROOT / "fixtures" / "blueprints"])
    import_bank([ROOT / "fixtures" / "bank"])


def axe_violations(page) -> list[str]:
    """Serious and critical axe-core findings on the page as it is now."""
    if not AXE.exists():
        if os.environ.get("CI"):
            raise AssertionError(f"CI must run the accessibility scan, but {AXE} is missing.")
        return []
    # Evaluated through the DevTools protocol: an injected <script> would be refused by
    # the page's Content Security Policy, as it should be.
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture(autouse=True)
def no_csp_violations(context):
    """Fail a test whose pages broke their Content Security Policy (an inline script or
    style, an eval), which Chromium reports on the console."""
    refused = []
    context.on(
        "console",
        lambda msg: "Content Security Policy" in msg.text and refused.append(msg.text),
    )
    yield
    assert not refused, "\n".join(refused)


def color_scheme(page) -> str:
    return (
        "dark" if page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") else "light"
    )


@pytest.fixture
def screenshot():
    """Check a page a person sees: one h1, axe-clean at 1280 and 375 px in light and dark,
    no side scroll on a phone, and screenshots (light at both widths, dark on a phone)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> None:
        size, scheme = page.viewport_size, color_scheme(page)
        # Django's admin keeps its own look: its branding heading, and its own dark theme,
        # which is not ours to check.
        admin = "/admin/" in page.url
        if not admin:
            h1 = page.locator("h1").count()
            assert h1 == 1, f"{name}: {h1} top-level headings"
        for width, height, label in ((1280, 800, "desktop"), (375, 812, "phone")):
            page.set_viewport_size({"width": width, "height": height})
            for mode in ("light",) if admin else ("light", "dark"):
                page.emulate_media(color_scheme=mode)
                violations = axe_violations(page)
                assert not violations, f"{name} ({width}px, {mode}): " + "; ".join(violations)
                if mode == "light" or label == "phone":
                    suffix = "" if mode == "light" else "-dark"
                    page.screenshot(
                        path=SCREENSHOTS / f"{name}-{label}{suffix}.png", full_page=True
                    )
            if label == "phone":
                overflow = page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                assert overflow <= 0, f"{name}: {overflow}px of horizontal scroll at 375px"
        page.emulate_media(color_scheme=scheme)
        page.set_viewport_size(size)

    return take
