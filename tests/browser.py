"""The real-browser harness: Playwright driving Debian's Chromium, axe-core checks, and the
reference data the live server needs.

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
    # Only the violations are asked for (`resultTypes`: axe still runs every rule, but details
    # only the nodes that fail) and sent back: the passes' nodes, with their HTML, were most of
    # what crossed to Python, page after page of the sweeps.
    found = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {
                runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
            });
            return result.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.slice(0, 5).map((node) => (node.target.length ? String(node.target[0]) : '?')),
            }));
        }""",
        WCAG_TAGS,
    )
    violations = [f"{v['id']} ({v['impact']}): {v['help']} → " + ", ".join(v["targets"]) for v in found]
    where = context or page.url
    assert not violations, f"axe-core violations on {where}:\n" + "\n".join(violations)


def open_menu(page):
    """Unfold the header's menu where it is folded (phones: a <details> "Menu" button)."""
    button = page.locator(".site-menu > summary")
    if button.is_visible() and page.locator(".site-menu[open]").count() == 0:
        button.click()


# Reference data ---------------------------------------------------------------------------------

# The rows of the reference tables as the data migrations left them (conftest's django_db_setup).
REFERENCE_ROWS = {}


def _reference_models():
    from directory.models import Area, Audience, Category, Language

    return [Area, Category, Audience, Language]


def remember_reference_data():
    for model in _reference_models():
        REFERENCE_ROWS[model] = list(model.objects.order_by("pk").values())


def restore_reference_data():
    """Put the reference rows back after a flush (live-server tests are transactional: the
    tables are emptied after each one). One bulk INSERT per table, where reloading the CSVs
    (`reference_data.load_all`, an upsert per row) costs about 1,900 queries.

    The rows keep their primary keys (parents, communes and top categories, come before their
    children in pk order); on PostgreSQL the sequences are then moved past them, in case a
    test reset them (`reset_sequences`), so that the rows a test creates get new ids."""
    from django.core.management.color import no_style
    from django.db import connection

    from directory import reference
    from directory.models import Area

    if Area.objects.exists():
        return
    models = _reference_models()
    for model in models:
        model.objects.bulk_create(model(**row) for row in REFERENCE_ROWS[model])
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):  # none on SQLite
            cursor.execute(sql)
    reference.invalidate()  # bulk_create sends no post_save: the signal would have done this
