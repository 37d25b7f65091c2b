"""Result cards in Chromium at 360 px and 1280 px: the facts, the pictograms drawn from the sprite,
a large "Appeler" on a phone, axe-core at 0; the hours of a listing at 360 px without a word
broken ("Wednesda/y") nor "(aujourd'hui" parted from its ")"."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from directory import icons
from tests import builders
from tests.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_pass]

FROZEN = datetime(2026, 12, 9, 10, 30, tzinfo=ZoneInfo("Europe/Paris"))  # a Wednesday


def frozen_now():
    return FROZEN


@pytest.fixture
def maraude(reference_data, settings):
    settings.OPENING_CLOCK = "tests.test_cards_browser.frozen_now"
    return builders.make_maraude(reception="walk_in", branch_hours=builders.WEEKDAY_HOURS)


def test_a_card_with_its_facts_and_icons(browser_page, maraude):
    page = browser_page
    page.goto(page.base_url + "/associations/?territoire=vaulx-en-velin")
    card = page.locator("#results > li").first
    assert "12 avenue Gabriel Péri, Vaulx-en-Velin" in card.locator(".card__where").inner_text()
    assert card.locator(".card__opening").inner_text().strip() == "Ouvert · ferme à 12 h"
    # The sprite is served and each icon is drawn (a box of its own, beside its text).
    status = page.evaluate(f"fetch('/static/{icons.SPRITE}').then(r => r.status)")
    assert status == 200
    boxes = card.locator("svg.icon").evaluate_all("icons => icons.map(i => i.getBoundingClientRect().width)")
    assert len(boxes) >= 5
    assert min(boxes) >= 12
    call = card.locator("a.card__call")
    assert call.get_attribute("href") == "tel:0478123456"
    call_box, card_box = call.bounding_box(), card.locator("article").bounding_box()
    assert call_box["height"] >= 44
    if page.viewport_size["width"] == 360:
        assert call_box["width"] >= card_box["width"] * 0.8  # across the card on a phone
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    assert_accessible(page)


def test_home_tiles_with_icons(browser_page, maraude):
    page = browser_page
    page.goto(page.base_url + "/")
    tile = page.locator("#besoins .tile__name").first
    assert tile.locator("svg.icon").bounding_box()["width"] >= 12
    assert tile.inner_text().strip()
    assert_accessible(page)


def test_hours_at_360_px_break_no_word(make_browser_page, maraude, settings):
    page = make_browser_page("phone")
    settings.LANGUAGE_CODE = "fr"
    for path in [maraude.get_absolute_url(), "/en" + maraude.get_absolute_url()]:
        page.goto(page.base_url + path)
        today = page.locator(".hours__today th").first
        # "(aujourd'hui)" / "(today)" on one line, and the day's name unbroken: each on one line box.
        lines = today.evaluate(
            """th => {
              const range = document.createRange();
              const count = node => { range.selectNodeContents(node); return new Set(
                Array.from(range.getClientRects()).map(r => Math.round(r.top))).size; };
              return {day: count(th.firstChild), today: count(th.querySelector('.muted'))};
            }"""
        )
        assert lines == {"day": 1, "today": 1}, path
        longest = page.locator(".hours th").evaluate_all(
            "cells => cells.map(c => { const r = document.createRange(); r.selectNodeContents(c.firstChild);"
            " return new Set(Array.from(r.getClientRects()).map(x => Math.round(x.top))).size; })"
        )
        assert max(longest) == 1, path  # no day name broken ("Wednesda/y")
