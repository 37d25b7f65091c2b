"""The add form in steps on a phone (Chromium, 360 px): every step and the review pass axe-core,
never scroll sideways, and each is a short page, where the one-page form was 11 100 px; the
association space's history reflows at 360 px. The journey itself (sign-up with `next`, the logo
kept across an error) is tests/test_editor_browser.py."""

import pytest

from directory.editing.steps import STEPS
from directory.models import ListingDraft
from tests import builders
from tests.browser import assert_accessible
from tests.test_editor_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_pass]

# The longest step at 360 px (the needs, folded in their groups, or a place with its week).
MAX_STEP_HEIGHT = 3200


def height(page):
    return page.evaluate("document.documentElement.scrollHeight")


def assert_no_sideways_scroll(page, context):
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{context}: {overflow} px of sideways scroll"


def test_each_step_is_short_and_accessible_on_a_phone(make_browser_page, capsys):
    page = make_browser_page("phone")
    listing = builders.make_association("Épicerie solidaire des Pentes", area_slug="lyon-1")
    user = builders.make_manager(listing, "benevole")
    draft = ListingDraft.objects.create(user=user, values={"name": "Les Amis du Jardin"})
    log_in(page, user.email)
    heights = {}
    # The one-page editor (kept at modifier/tout/): what the add form was.
    page.goto(page.base_url + f"/espace-association/{listing.slug}/modifier/tout/")
    heights["one-page form (edit)"] = height(page)
    for step in STEPS:
        page.goto(page.base_url + f"/espace-association/ajouter/{draft.key}/{step.slug}/")
        heights[step.slug] = height(page)
        assert_no_sideways_scroll(page, step.slug)
        assert_accessible(page, context=step.slug)
    page.goto(page.base_url + f"/espace-association/ajouter/{draft.key}/relire/")
    heights["relire"] = height(page)
    assert_no_sideways_scroll(page, "relire")
    assert_accessible(page, context="relire")
    with capsys.disabled():
        print("\nheights at 360 px:", heights)
    steps = {k: v for k, v in heights.items() if k != "one-page form (edit)"}
    assert max(steps.values()) <= MAX_STEP_HEIGHT, steps
    assert max(steps.values()) * 3 < heights["one-page form (edit)"]


def test_each_edit_step_is_short_and_accessible_on_a_phone(make_browser_page, capsys):
    page = make_browser_page("phone")
    listing = builders.make_association(
        "Épicerie solidaire des Pentes", categories=["epicerie-solidaire"], area_slug="lyon-1"
    )
    user = builders.make_manager(listing, "benevole")
    log_in(page, user.email)
    base = page.base_url + f"/espace-association/{listing.slug}/modifier/"
    page.goto(base + "tout/")
    heights = {"one-page form (edit)": height(page)}
    # "Modifier les horaires" from the manage page: one click to the step.
    page.goto(page.base_url + f"/espace-association/{listing.slug}/")
    page.click("#edit-hours-link")
    page.wait_for_url("**/modifier/lieux/")
    for step in STEPS:
        page.goto(base + f"{step.slug}/")
        heights[step.slug] = height(page)
        assert_no_sideways_scroll(page, step.slug)
        assert_accessible(page, context=f"edit {step.slug}")
    page.goto(base + "lieux/")
    page.fill("input[name=places-0-hours_2]", "9h-12h")
    page.get_by_role("button", name="Enregistrer et relire").click()
    page.wait_for_url("**/modifier/relire/")
    heights["relire"] = height(page)
    assert page.locator("#edit-summary").inner_text() == "Vous modifiez les horaires."
    assert_no_sideways_scroll(page, "relire")
    assert_accessible(page, context="edit relire")
    with capsys.disabled():
        print("\nedit heights at 360 px:", heights)
    steps = {k: v for k, v in heights.items() if k != "one-page form (edit)"}
    assert max(steps.values()) <= MAX_STEP_HEIGHT, steps
    assert max(steps.values()) * 3 < heights["one-page form (edit)"]
    page.get_by_role("button", name="Envoyer pour validation").click()
    page.wait_for_url(f"**/espace-association/{listing.slug}/")
    assert "En attente de validation" in page.locator("main").inner_text()


def test_the_history_reflows_on_a_phone(make_browser_page):
    page = make_browser_page("phone")
    listing = builders.make_association("Épicerie solidaire des Pentes", area_slug="lyon-1")
    user = builders.make_manager(listing, "benevole")
    builders.propose_edit(listing, user, short_description="Ouvert le samedi aussi.")
    log_in(page, user.email)
    page.goto(page.base_url + f"/espace-association/{listing.slug}/")
    assert_no_sideways_scroll(page, "manage")
    first = page.locator("#history > li").first
    assert first.inner_text().endswith("Vous avez proposé une modification.")
    # A sentence on a few lines, not a word per line: the entry is as wide as the page's column.
    box = first.bounding_box()
    assert box["width"] > 280
    assert box["height"] < 120


def test_the_steps_work_without_javascript(make_browser_page):
    page = make_browser_page("phone", javascript=False)
    user = builders.make_user("benevole", email="benevole@example.org")
    draft = ListingDraft.objects.create(
        user=user, values={"name": "Les Amis du Jardin"}, steps_done=["identite"]
    )
    log_in(page, user.email)
    page.goto(page.base_url + f"/espace-association/ajouter/{draft.key}/offre/")
    assert page.locator(".choice-filter").count() == 0  # the filter box is the script's
    checkbox = page.locator("input[name=listing-categories][value=epicerie-solidaire]")
    assert not checkbox.is_visible()  # folded in its group
    page.locator(".choice-group summary", has_text="Alimentation").click()
    checkbox.check()
    page.get_by_role("button", name="Enregistrer et continuer").click()
    page.wait_for_url("**/lieux/")
    page.fill("input[name=places-0-address]", "3 rue Montesquieu")
    page.fill("input[name=places-0-postcode]", "69250")  # six communes: the server offers them
    page.get_by_role("button", name="Enregistrer et continuer").click()
    page.wait_for_load_state()
    assert "plusieurs communes" in page.locator(".error-summary").inner_text()
    page.select_option("select[name=places-0-area]", "neuville-sur-saone")
    page.get_by_role("button", name="Enregistrer et continuer").click()
    page.wait_for_url("**/contact/")
    draft.refresh_from_db()
    assert draft.values["categories"] == ["epicerie-solidaire"]
    assert draft.values["places"][0]["area"] == "neuville-sur-saone"
