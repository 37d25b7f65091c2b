"""The real-browser harness: Playwright driving Debian's Chromium, and axe-core checks.

Reused by every feature's browser tests: take the `browser_page` fixture (a fresh page at a
phone or desktop width on the live server) and call `assert_accessible(page)`.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
AXE_JS = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 360, "height": 800}
DESKTOP = {"width": 1280, "height": 900}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def require(path, what, install):
    """Skip locally when a browser tool is missing; in CI a missing tool is a failure."""
    if Path(path).exists():
        return
    message = f"{what} not found at {path} ({install})"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def assert_accessible(page, *, context=None):
    """Run axe-core on the current page; fail listing every WCAG 2.1 A/AA violation."""
    require(AXE_JS, "axe-core", "run `make test`, which runs npm ci")
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_TAGS,
    )
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} → "
        + ", ".join(node["target"][0] if node["target"] else "?" for node in v["nodes"][:5])
        for v in result["violations"]
    ]
    where = context or page.url
    assert not violations, f"axe-core violations on {where}:\n" + "\n".join(violations)
    return result
