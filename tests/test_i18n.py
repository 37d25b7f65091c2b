"""Languages: French at /…, English at /en/…, the switcher, translated reference names,
lang attributes, cache keys per language, RTL-ready CSS and a complete, current catalog."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import polib
import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from directory import cache as listings_cache
from directory import msgfmt
from directory.models import NewsItem
from tests import builders

ROOT = Path(settings.BASE_DIR)
CATALOG = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"


@pytest.fixture(autouse=True)
def _back_to_french():
    """A request to /en/ leaves English active in the test's thread (LocaleMiddleware activates,
    nothing deactivates): later reverse() calls, here or in other test files, would answer /en/…"""
    yield
    translation.deactivate()


def switcher(page):
    """{language code: (page it leads to, aria-current)} of the page's language switcher (each
    link passes through /langue/<code>/, which remembers the choice, then goes on to `next`)."""
    links = page.select(".language-switcher a")
    assert links, "no language switcher"
    result = {}
    for link in links:
        assert link["lang"] == link["hreflang"]
        parts = urlsplit(link["href"])
        assert parts.path == reverse("directory:language_choose", args=[link["hreflang"]])
        [next_url] = parse_qs(parts.query)["next"]
        result[link["hreflang"]] = (next_url, link.get("aria-current"))
    return result


@pytest.fixture
def listing(db):
    return builders.make_association(
        "Les Restos du Quartier",
        categories=["distribution-alimentaire"],
        audiences=["familles"],
        languages=["ar"],
        description="Nous distribuons des colis chaque semaine.",
        fees_details="adhésion 2 €",
    )


# Addresses and the lang attribute ----------------------------------------------------


def test_english_pages_live_under_en_and_speak_english(client, db):
    page = builders.soup(client.get("/en/"))
    assert page.html["lang"] == "en"
    assert page.html["dir"] == "ltr"
    assert page.h1.get_text(strip=True) == "Find help"
    assert page.find("a", string="All associations")["href"] == "/en/associations/"
    assert page.find("meta", property="og:locale")["content"] == "en_GB"


def test_french_stays_unprefixed_whatever_the_browser_asks(client, db):
    # The front door follows a French choice (the cookie) over the browser; other addresses never
    # look at either (tests/test_language.py).
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    page = builders.soup(response)
    assert page.html["lang"] == "fr"
    assert page.h1.get_text(strip=True) == "Trouver de l'aide"
    assert page.find("a", string="Toutes les associations")["href"] == "/associations/"
    assert page.find("meta", property="og:locale")["content"] == "fr_FR"
    assert response["Content-Language"] == "fr"


def test_machine_read_addresses_have_no_language_prefix(client, db):
    with translation.override("en"):
        assert reverse("directory:api_association_list") == "/api/associations/"
        assert reverse("directory:sitemap") == "/sitemap.xml"
        assert reverse("directory:feed_associations") == "/flux/associations.atom"
        assert reverse("directory:opendata_csv") == "/donnees/associations.csv"
        assert reverse("directory:healthz") == "/healthz"
        assert reverse("directory:association_list") == "/en/associations/"
        assert reverse("accounts:login") == "/en/compte/connexion/"
    assert client.get("/en/api/associations/").status_code == 404
    assert client.get("/en/sitemap.xml").status_code == 404
    assert client.get("/api/associations/").status_code == 200


def test_an_english_404_is_in_english(client, db):
    response = client.get("/en/nothing-here/")
    assert response.status_code == 404
    page = builders.soup(response)
    assert page.html["lang"] == "en"
    assert switcher(page) == {"fr": ("/", None), "en": ("/en/nothing-here/", "true")}


def test_the_admin_follows_the_visitors_language(moderator_client):
    english = moderator_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en")
    assert builders.soup(english).html["lang"] == "en"
    assert "Lyon Assos · moderation" in english.content.decode()
    french = moderator_client.get("/admin/")
    assert builders.soup(french).html["lang"] == "fr"
    assert "Lyon Assos · modération" in french.content.decode()


# The switcher and the alternates ----------------------------------------------------


MAIN_PAGES = [
    "/",
    "/associations/?q=aide+alimentaire&territoire=lyon-3&page=1",
    "/associations/les-restos-du-quartier/",
    "/categories/alimentation/",
    "/territoires/lyon-3/",
    "/a-propos/",
    "/mentions-legales/",
    "/confidentialite/",
    "/accessibilite/",
    "/guides/",
    "/donnees/",
    "/imprimer/?categorie=alimentation",
    "/associations/les-restos-du-quartier/affiche/",
    "/associations/les-restos-du-quartier/signaler/",
    "/compte/connexion/",
    "/compte/inscription/",
]


@pytest.mark.parametrize("path", MAIN_PAGES)
def test_every_main_page_links_to_itself_in_the_other_language(client, listing, path):
    french = client.get(path)
    assert french.status_code == 200, path
    assert switcher(builders.soup(french)) == {"fr": (path, "true"), "en": ("/en" + path, None)}

    english = client.get("/en" + path)
    assert english.status_code == 200, path
    page = builders.soup(english)
    assert page.html["lang"] == "en"
    assert switcher(page) == {"fr": (path, None), "en": ("/en" + path, "true")}


def test_logging_in_keeps_the_language(client, db):
    page = builders.soup(client.get("/en/espace-association/ajouter/"))
    assert (
        page.select_one("#login-link")["href"] == "/en/compte/connexion/?next=/en/espace-association/ajouter/"
    )
    assert (
        page.select_one("#signup-link")["href"]
        == "/en/compte/inscription/?next=/en/espace-association/ajouter/"
    )
    response = client.get("/en/espace-association/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/compte/connexion/?next=/en/espace-association/")


def test_the_association_space_has_the_switcher(client, listing):
    user = builders.make_manager(listing)
    client.force_login(user)
    path = reverse("directory:manage", args=[listing.slug])
    page = builders.soup(client.get("/en" + path))
    assert switcher(page) == {"fr": (path, None), "en": ("/en" + path, "true")}


def test_the_head_names_each_language_version_and_a_default(client, listing):
    page = builders.soup(client.get("/en/categories/alimentation/?page=1"))
    alternates = {link["hreflang"]: link["href"] for link in page.select('link[rel="alternate"][hreflang]')}
    assert alternates == {
        "fr": settings.SITE_URL + "/categories/alimentation/",
        "en": settings.SITE_URL + "/en/categories/alimentation/",
        "x-default": settings.SITE_URL + "/categories/alimentation/",
    }
    assert page.find("link", rel="canonical")["href"] == settings.SITE_URL + "/en/categories/alimentation/"
    assert page.find("meta", property="og:locale:alternate")["content"] == "fr_FR"


def test_the_language_versions_of_a_search_keep_its_parameters_escaped_once(client, listing):
    response = client.get("/associations/?q=repas&categorie=alimentation")
    assert b"&amp;amp;" not in response.content
    page = builders.soup(response)
    alternates = {link["hreflang"]: link["href"] for link in page.select('link[rel="alternate"][hreflang]')}
    assert alternates == {
        "fr": settings.SITE_URL + "/associations/?q=repas&categorie=alimentation",
        "en": settings.SITE_URL + "/en/associations/?q=repas&categorie=alimentation",
        "x-default": settings.SITE_URL + "/associations/?q=repas&categorie=alimentation",
    }


# Reference names -----------------------------------------------------------------------


def test_category_and_area_names_are_english_on_english_pages(client, listing):
    page = builders.soup(client.get("/en/categories/distribution-alimentaire/"))
    assert page.h1.get_text(strip=True) == "Food distribution"
    assert [a.get_text(strip=True) for a in page.select(".breadcrumb a")][-2:] == [
        "Food",
        "Food distribution",
    ]
    assert page.title.get_text(strip=True).startswith("Food distribution in Lyon")
    assert "Associations that hand out food parcels" in page.find("p", class_="lead").get_text()

    page = builders.soup(client.get("/en/territoires/lyon-3/"))
    assert page.h1.get_text(strip=True) == "Associations in Lyon 3rd"

    page = builders.soup(client.get("/en/associations/les-restos-du-quartier/"))
    assert [a.get_text(strip=True) for a in page.select("ul.tags a")] == ["Food distribution"]
    text = builders.visible_text(client.get("/en/associations/les-restos-du-quartier/"))
    assert "Families" in text
    assert "Arabic" in text


def test_home_tiles_filters_and_facets_are_in_english(client, listing):
    page = builders.soup(client.get("/en/"))
    assert (
        page.select_one('a[href="/en/categories/alimentation/"] .tile__name').get_text(strip=True) == "Food"
    )
    assert page.select_one('.nearby a[href="/en/territoires/"]').get_text(strip=True) == "All communes"
    every = builders.soup(client.get("/en/territoires/"))
    assert every.find("a", href="/en/territoires/lyon-3/").get_text(strip=True) == "Lyon 3rd"

    page = builders.soup(client.get("/en/associations/?q=colis"))
    needs = [a.get_text(" ", strip=True) for a in page.select(".facets a")]
    assert any(label.startswith("Food") for label in needs), needs
    options = {o["value"]: o.get_text(strip=True) for o in page.select("#id_public option")}
    assert options["familles"] == "Families"
    languages = {o["value"]: o.get_text(strip=True) for o in page.select("#id_langue option")}
    assert languages["ar"].startswith("Arabic")
    card = page.select_one(".card")
    assert card.select_one(".card__categories").get_text(" ", strip=True).endswith("Food distribution")
    assert "Lyon 3rd" in card.select_one(".card__where").get_text()


def test_french_pages_keep_the_french_names(client, listing):
    page = builders.soup(client.get("/categories/distribution-alimentaire/"))
    assert page.h1.get_text(strip=True) == "Distribution alimentaire"
    page = builders.soup(client.get("/territoires/lyon-3/"))
    assert page.h1.get_text(strip=True) == "Associations à Lyon 3e"


def test_suggestions_speak_the_pages_language_and_know_english_words(client, db):
    english = client.get("/en/api/suggestions/", {"q": "food"}).json()["results"]
    assert english[0] == {
        "type": "category",
        "label": "Food",
        "detail": "",  # the kind ("Need") is the page's, from the type: never said twice
        "url": "/en/categories/alimentation/",
    }
    french = client.get("/api/suggestions/", {"q": "food"}).json()["results"]
    assert french[0]["label"] == "Alimentation"
    assert french[0]["url"] == "/categories/alimentation/"
    assert client.get("/en/api/suggestions/", {"q": "lyon 3"}).json()["results"][0]["label"] == "Lyon 3rd"


def test_the_addresses_stay_french(client, listing):
    """An address is a postal address: "69003 Lyon 3e" in any language."""
    page = builders.soup(client.get("/en/associations/les-restos-du-quartier/"))
    assert "69003 Lyon 3e" in page.select_one(".place__address").get_text()


# What associations wrote is marked French -----------------------------------------------


def test_what_associations_write_is_marked_french_on_english_pages(client, listing):
    NewsItem.objects.create(association=listing, title="Fête de quartier", text="Venez nombreux !")
    page = builders.soup(client.get("/en/associations/les-restos-du-quartier/"))
    assert page.html["lang"] == "en"
    assert page.h1["lang"] == "fr"
    assert page.find(string="Les Restos du Quartier accueille les habitants.").parent["lang"] == "fr"
    assert page.find("div", class_="prose", lang="fr").get_text(strip=True) == listing.description
    assert page.find(string="adhésion 2 €").parent["lang"] == "fr"
    assert page.find("h3", string="Fête de quartier")["lang"] == "fr"

    card = builders.soup(client.get("/en/associations/")).select_one(".card")
    assert card.select_one(".card__title a")["lang"] == "fr"
    assert card.select_one(".card__text")["lang"] == "fr"


def test_guides_are_marked_french(client, db):
    guide = builders.make_guide("Créer son association")
    with translation.override("en"):
        page = builders.soup(client.get(guide.get_absolute_url()))
    assert page.h1["lang"] == "fr"
    assert page.select_one("article.guide div[lang=fr] h2") is not None


# Caches ----------------------------------------------------------------------------------


def test_a_cached_page_body_is_kept_per_language(settings, db):
    settings.LISTINGS_CACHE_SECONDS = 60
    calls = []

    @listings_cache.cached_page
    def view(request):
        calls.append(translation.get_language())
        return HttpResponse(gettext("Rechercher"))

    request = RequestFactory().get("/sitemap-pages.xml")
    with translation.override("fr"):
        assert view(request).content == b"Rechercher"
    with translation.override("en"):
        assert view(request).content == b"Search"
    with translation.override("fr"):
        assert view(request).content == b"Rechercher"  # from the cache
    assert calls == ["fr", "en"]


def test_cached_counts_and_facets_are_labelled_in_each_language(client, listing, settings):
    settings.LISTINGS_CACHE_SECONDS = 60
    settings.FACETS_CACHE_SECONDS = 60
    settings.SEARCH_CACHE_SECONDS = 60
    for _ in range(2):  # the second round reads every cache the first one filled
        french = builders.soup(client.get("/associations/?q=colis"))
        english = builders.soup(client.get("/en/associations/?q=colis"))
        assert french.select_one(".facets a").get_text(" ", strip=True).startswith("Alimentation")
        assert english.select_one(".facets a").get_text(" ", strip=True).startswith("Food")
        home_fr = builders.soup(client.get("/"))
        home_en = builders.soup(client.get("/en/"))
        assert home_fr.select_one('a[href="/categories/alimentation/"]').get_text(" ", strip=True) == (
            "Alimentation 1 association"
        )
        assert home_en.select_one('a[href="/en/categories/alimentation/"]').get_text(" ", strip=True) == (
            "Food 1 association"
        )


# Right-to-left readiness ---------------------------------------------------------------------

PHYSICAL = re.compile(
    r"(?<![\w-])(?:margin|padding|border)-(?:left|right)\b"
    r"|(?<![\w-])(?:left|right)\s*:"
    r"|\b(?:text-align|float|clear)\s*:\s*(?:left|right)\b"
    r"|border-(?:top|bottom)-(?:left|right)-radius"
)
# "file: reason" for a physical property that must stay physical; none today.
PHYSICAL_ALLOWED = {}


def test_stylesheets_use_logical_properties():
    """margin-inline-start rather than margin-left, text-align: start rather than left…, so that a
    right-to-left language only needs its catalog."""
    found = []
    for path in sorted((ROOT / "static").glob("**/*.css")):
        if "leaflet" in path.parts:
            continue
        css = re.sub(r"/\*.*?\*/", "", path.read_text(), flags=re.S)
        for number, line in enumerate(css.splitlines(), 1):
            if PHYSICAL.search(line) and path.name not in PHYSICAL_ALLOWED:
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
            for match in re.finditer(r"\b(?:margin|padding|inset)\s*:\s*([^;]+)", line):
                values = match.group(1).split()
                if len(values) == 4 and values[1] != values[3]:
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()} (left ≠ right)")
    assert found == []


def test_the_physical_property_check_finds_them():
    for css in ["margin-left: 0", "padding-right:1em", "left: 0", "text-align: right", "float: left"]:
        assert PHYSICAL.search(css), css
    for css in ["margin-inline-start: 0", "inset-inline-start: 0", "text-align: start", "border-left-style"]:
        assert not PHYSICAL.search(css) or css == "border-left-style", css


# The catalog ------------------------------------------------------------------------------------


def test_every_string_of_the_english_catalog_is_translated():
    catalog = polib.pofile(str(CATALOG))
    entries = [entry for entry in catalog if not entry.obsolete]
    assert len(entries) > 1000
    assert [e.msgid for e in entries if not e.translated()] == []
    assert [e.msgid for e in entries if e.fuzzy] == []
    assert msgfmt.format_errors(catalog) == []


def _msgids(path):
    return {
        (entry.msgctxt, entry.msgid, entry.msgid_plural)
        for entry in polib.pofile(str(path))
        if not entry.obsolete
    }


@pytest.mark.skipif(
    shutil.which("xgettext") is None and not os.environ.get("CI"),
    reason="GNU gettext (xgettext) is not installed; CI installs it and runs this check",
)
def test_the_catalog_has_every_string_of_the_code(tmp_path):
    """makemessages on a copy of the code finds no msgid missing from locale/en: a string added
    without updating the catalog fails here (README "Languages")."""
    copy = tmp_path / "project"
    for name in ["directory", "lyonassos", "templates", "locale"]:
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    env = {**os.environ, "DJANGO_DEBUG": "1", "DJANGO_SETTINGS_MODULE": "lyonassos.settings"}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete", "-v0"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    missing = _msgids(copy / "locale/en/LC_MESSAGES/django.po") - _msgids(CATALOG)
    assert sorted(str(m[1]) for m in missing) == [], "run `make makemessages` and translate the new strings"


def test_the_fallback_compiler_writes_a_catalog_gettext_reads(tmp_path):
    import gettext as gnu

    mo = tmp_path / "django.mo"
    assert msgfmt.main(["--check-format", "-o", str(mo), str(CATALOG)]) == 0
    with open(mo, "rb") as handle:
        compiled = gnu.GNUTranslations(handle)
    assert compiled.gettext("Rechercher") == "Search"
    assert (
        compiled.ngettext("%(counter)s association", "%(counter)s associations", 2)
        == "%(counter)s associations"
    )


def test_the_fallback_compiler_refuses_a_broken_placeholder(tmp_path, capsys):
    po = tmp_path / "broken.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#, python-format\nmsgid "Bonjour %(name)s"\nmsgstr "Hello %(nom)s"\n',
        encoding="utf-8",
    )
    assert msgfmt.main(["--check-format", "-o", str(tmp_path / "broken.mo"), str(po)]) == 1
    assert "placeholders" in capsys.readouterr().err
    assert not (tmp_path / "broken.mo").exists()


def test_compilemessages_works_without_gnu_gettext(tmp_path, monkeypatch):
    """What `make run` does on a machine without gettext: the polib fallback."""
    from django.core.management import call_command

    locale = tmp_path / "locale" / "en" / "LC_MESSAGES"
    locale.mkdir(parents=True)
    shutil.copy(CATALOG, locale / "django.po")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    call_command("compilemessages", verbosity=0)
    assert (locale / "django.mo").stat().st_size > 10_000


# E-mails -------------------------------------------------------------------------------------


def test_emails_are_french_unless_the_visitor_asked_in_english(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    from django.template.loader import render_to_string

    from directory.accounts import services as accounts
    from directory.emails import send_email

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        accounts.account_signup(email="visitor@example.org", password="pass-word-123")
        # An association's e-mail sent while a moderator reads the admin in English.
        send_email(to="asso@example.org", template="account_deleted")
    english, french = mailoutbox
    assert english.to == ["visitor@example.org"]
    assert "/en/compte/" in english.body
    assert english.subject != french.subject
    with translation.override("fr"):
        assert french.subject == " ".join(render_to_string("emails/account_deleted_subject.txt").split())
    with translation.override("en"):
        assert english.subject == " ".join(render_to_string("emails/verify_email_subject.txt").split())


# Searching with English words -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("food", True),  # Food: the parent need
        ("food parcel", True),  # a synonym of Food distribution
        ("food lyon 3", True),  # with a place
        ("homework help", False),  # another need
        ("french lessons", False),
    ],
)
def test_english_need_words_find_the_listings_of_that_need(client, listing, query, found):
    builders.make_association("Cours du soir", categories=["cours-de-francais-fle"])
    names = builders.result_names(client.get("/en/associations/", {"q": query}))
    assert ("Les Restos du Quartier" in names) is found
    if query == "french lessons":
        assert names == ["Cours du soir"]


def test_french_words_of_the_category_names_stay_text_words(db):
    from directory import search

    assert search.parse("food").needs
    assert not search.parse("food").terms
    for french in ["théâtre", "tennis", "aide alimentaire", "sport"]:
        assert search.parse(french).needs == [], french
