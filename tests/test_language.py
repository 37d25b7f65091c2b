"""The site's language at the front door (issue 19): chosen from Accept-Language on the first
visit to `/`, remembered when the visitor picks one, never forced on any other address."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests import builders

pytestmark = pytest.mark.django_db

COOKIE = settings.LANGUAGE_COOKIE_NAME


@pytest.fixture(autouse=True)
def _back_to_french():
    yield
    translation.deactivate()  # a request to /en/ leaves English active in the test's thread


def test_a_first_visit_from_an_english_browser_lands_on_the_english_home(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9,fr;q=0.5")
    assert response.status_code == 302
    assert response["Location"] == "/en/"
    assert {"accept-language", "cookie"} <= {v.strip().lower() for v in response["Vary"].split(",")}
    page = builders.soup(client.get(response["Location"]))
    assert page.html["lang"] == "en"


def test_the_query_string_of_the_front_door_is_kept(client):
    response = client.get("/?utm_source=affiche", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Location"] == "/en/?utm_source=affiche"


@pytest.mark.parametrize("header", ["fr-FR,fr;q=0.9,en;q=0.8", "de-DE,de;q=0.9", "", "*"])
def test_french_and_unknown_languages_stay_on_the_french_home(client, header):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=header)
    assert response.status_code == 200
    assert builders.soup(response).html["lang"] == "fr"
    assert "accept-language" in response["Vary"].lower()


@pytest.mark.parametrize("path", ["/associations/", "/a-propos/", "/agenda/"])
def test_no_other_address_is_redirected(client, path):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert builders.soup(response).html["lang"] == "fr"


def test_a_visitor_who_picks_french_stays_french(client):
    """An English browser lands on /en/; its switcher's "Français" remembers the pick: `/` is
    French from then on, whatever the browser says."""
    english = builders.soup(client.get(client.get("/", HTTP_ACCEPT_LANGUAGE="en")["Location"]))
    french_link = english.select_one(".language-switcher a[hreflang='fr']")["href"]
    assert french_link.startswith(reverse("directory:language_choose", args=["fr"]))
    response = client.get(french_link, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert response["Location"] == "/"
    cookie = response.cookies[COOKIE]
    assert cookie.value == "fr"
    assert int(cookie["max-age"]) >= 180 * 24 * 3600  # remembered beyond the browser session
    again = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 200
    assert builders.soup(again).html["lang"] == "fr"


def test_a_visitor_who_picks_english_gets_english_at_the_front_door(client):
    response = client.get(reverse("directory:language_choose", args=["en"]) + "?next=/en/a-propos/")
    assert response["Location"] == "/en/a-propos/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="fr")["Location"] == "/en/"
    # …but a French address other than the front door is still French.
    assert builders.soup(client.get("/a-propos/")).html["lang"] == "fr"


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "", "javascript:alert(1)", "/\\evil.example"]
)
def test_the_choice_never_leads_off_the_site(client, next_url):
    response = client.get(reverse("directory:language_choose", args=["en"]), {"next": next_url})
    assert response.status_code == 302
    assert response["Location"] == "/en/"


def test_an_unknown_language_is_a_404_and_sets_nothing(client):
    response = client.get("/langue/xx/?next=/")
    assert response.status_code == 404
    assert COOKIE not in response.cookies


def test_the_choice_is_a_get_only(client):
    response = client.post(reverse("directory:language_choose", args=["en"]), {"next": "/en/"})
    assert response.status_code == 405
