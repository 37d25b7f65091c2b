"""Hostile input: property-based (hypothesis) over the search, API and landing-page parameters
and the public forms: never a 500. Then payloads seeded in a listing must come out escaped in
every place they are shown (pages, admin search, e-mails, CSV/JSON exports, Atom feeds)."""

import csv
import io
import json
import os
import time
from urllib.parse import quote_from_bytes

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from directory.security import form_stamp
from tests import builders


def human_stamp():
    """The signed start time of a form opened 5 s ago (directory.security.HumanCheckMixin)."""
    return form_stamp(now=time.time() - 5)


# Bounded and deterministic in CI (HYPOTHESIS_PROFILE=ci, or CI set): the suite stays fast.
settings.register_profile(
    "ci",
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile(
    "dev",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' OR 1=1 --",
    "'; DROP TABLE directory_association; --",
    "%' UNION SELECT password FROM auth_user --",
    "\x00",
    "a\x00b",
    "../../etc/passwd",
    '=HYPERLINK("http://evil.example")',
    "{{ 7*7 }}{% debug %}",
    "\u202e\u0000\ud7ff\ufeff",
    "9" * 400,
    "-1",
    "1e309",
    "NaN",
    "é" * 3000,
]
values = st.one_of(
    st.sampled_from(PAYLOADS),
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1000, max_size=5000),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
SEARCH_PARAMS = [
    "q", "categorie", "territoire", "public", "langue", "gratuit", "sans_rdv", "accessible",
    "benevoles", "tri", "lat", "lon", "rayon", "page",
]  # fmt: skip
PATHS = [
    "/associations/",
    "/api/associations/",
    "/api/suggestions/",
    "/categories/alimentation/",
    "/territoires/lyon-3/",
    "/imprimer/",
]


@pytest.fixture
def site(db, settings):
    settings.RATE_LIMITS_ENABLED = False
    cache.clear()
    return builders.make_association("Épicerie solidaire", categories=["epicerie-solidaire"])


@given(
    path=st.sampled_from(PATHS),
    params=st.dictionaries(st.sampled_from([*SEARCH_PARAMS, "page_size", "rna"]), values, max_size=5),
)
def test_query_parameters_never_cause_a_500(client, site, path, params):
    response = client.get(path, params)
    assert response.status_code in (200, 400, 404), (path, params, response.status_code)


@given(path=st.sampled_from(PATHS), raw=st.binary(min_size=1, max_size=400))
def test_raw_bytes_in_the_query_string_never_cause_a_500(client, site, path, raw):
    # Percent-encoded invalid UTF-8, and the raw bytes as a WSGI server hands them over (latin-1).
    for query in (f"q={quote_from_bytes(raw)}&page={quote_from_bytes(raw)}", "q=" + raw.decode("latin-1")):
        response = client.get(path, QUERY_STRING=query)
        assert response.status_code in (200, 400, 404), (path, query, response.status_code)


def test_very_long_query_string(client, site):
    response = client.get("/associations/", {"q": "sport " * 20000, "page": "9" * 5000})
    assert response.status_code == 200
    assert client.get("/api/associations/", {"q": "x" * 100_000}).status_code in (200, 400)


@given(field=st.sampled_from(["reason", "message", "email", "website"]), value=values)
def test_report_form_never_causes_a_500(client, site, field, value):
    data = {"reason": "closed", "message": "Fermé depuis juin", "email": "", "form_started": human_stamp()}
    data[field] = value
    response = client.post(f"{site.get_absolute_url()}signaler/", data)
    assert response.status_code in (200, 302, 400, 429)


@given(username=values, password=values)
def test_login_form_never_causes_a_500(client, site, username, password):
    response = client.post("/compte/connexion/", {"username": username, "password": password})
    assert response.status_code in (200, 302, 400, 429)


@given(email=values, password=values)
def test_signup_form_never_causes_a_500(client, site, email, password):
    response = client.post(
        "/compte/inscription/", {"email": email, "password1": password, "password2": password}
    )
    assert response.status_code in (200, 302, 400, 429)


def test_admin_changelist_search_never_causes_a_500(client, site):
    client.force_login(builders.make_superuser("root"))
    for payload in PAYLOADS:
        response = client.get("/admin/directory/association/", {"q": payload})
        assert response.status_code == 200, payload


# Escaping -------------------------------------------------------------------------------------

XSS = "<script>alert('x')</script>"
ATTR = '"><img src=x onerror=alert(1)>'


@pytest.fixture
def payload_listing(db, settings):
    settings.RATE_LIMITS_ENABLED = False
    cache.clear()
    listing = builders.make_association(
        f"Asso {XSS}",
        categories=["epicerie-solidaire"],
        area_slug="lyon-3",
        description=f"Description {ATTR} {XSS}",
        short_description=f"=cmd|' /C calc'!A0 {ATTR}",
        email="contact@asso.example",
    )
    return listing


def assert_escaped(html):
    assert XSS not in html
    assert ATTR not in html
    soup = BeautifulSoup(html, "html.parser")
    for script in soup.find_all("script"):
        if script.get("type") in ("application/json", "application/ld+json"):
            assert "<" not in (script.string or ""), "a data block must escape '<'"
        else:
            assert "alert" not in (script.string or "")
    assert not soup.select("img[onerror]")


def test_pages_escape_the_payloads(client, payload_listing):
    for url in (
        "/",
        payload_listing.get_absolute_url(),
        "/associations/?q=Asso",
        f"/associations/?q={XSS}",
        "/categories/epicerie-solidaire/",
        "/territoires/lyon-3/",
        f"{payload_listing.get_absolute_url()}affiche/",
        "/imprimer/?territoire=lyon-3",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_escaped(response.content.decode())


def test_json_ld_block_cannot_be_closed_by_a_payload(client, payload_listing):
    html = client.get(payload_listing.get_absolute_url()).content.decode()
    assert "</script><script>" not in html
    soup = BeautifulSoup(html, "html.parser")
    for block in soup.find_all("script", type="application/ld+json"):
        data = json.loads(block.string)
        assert isinstance(data, dict)


def test_admin_search_box_escapes_the_query(client, payload_listing):
    client.force_login(builders.make_superuser("root"))
    html = client.get("/admin/directory/association/", {"q": XSS}).content.decode()
    assert_escaped(html)
    html = client.get(f"/admin/directory/association/{payload_listing.pk}/change/").content.decode()
    assert XSS not in html.replace(f'value="Asso {XSS}"', "")  # only as an escaped form value


def test_api_and_exports_keep_the_payload_as_data(client, payload_listing):
    response = client.get("/api/associations/", {"q": "Asso"})
    assert response["Content-Type"].startswith("application/json")
    assert response["X-Content-Type-Options"] == "nosniff"
    names = [item["name"] for item in response.json()["results"]]
    assert f"Asso {XSS}" in names

    response = client.get("/donnees/associations.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    for row in rows:
        for cell in row.values():
            assert not (cell or "").startswith(("=", "+", "-", "@")), cell  # formula injection
    data = json.loads(b"".join(client.get("/donnees/associations.json").streaming_content))
    assert XSS in json.dumps(data, ensure_ascii=False)


def test_atom_feed_escapes_the_payload(client, payload_listing):
    response = client.get("/flux/associations.atom")
    assert response.status_code == 200
    body = response.content
    assert XSS.encode() not in body
    tree = etree.fromstring(body)
    titles = [t.text for t in tree.iter("{http://www.w3.org/2005/Atom}title")]
    assert f"Asso {XSS}" in titles


def test_atom_summary_is_escaped_html_without_markup(client, db):
    builders.make_association(
        "Asso piégée", short_description='Aide <script>alert(1)</script><img src=x onerror="alert(2)">'
    )
    tree = etree.fromstring(client.get("/flux/associations.atom").content)
    [summary] = tree.iter("{http://www.w3.org/2005/Atom}summary")
    assert summary.get("type") == "html"
    # A feed reader decodes the XML, then renders the HTML: the markup must arrive as text.
    html = BeautifulSoup(summary.text, "html.parser")
    assert not html.find_all(["script", "img"])
    assert html.get_text().startswith('Aide <script>alert(1)</script><img src=x onerror="alert(2)">')


def test_report_email_escapes_the_payload(client, payload_listing, django_capture_on_commit_callbacks):
    builders.make_manager(payload_listing, "gestionnaire")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"{payload_listing.get_absolute_url()}signaler/",
            {"reason": "closed", "message": XSS, "email": "", "form_started": human_stamp()},
        )
    assert mail.outbox, "the report should notify the managers"
    for message in mail.outbox:
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                assert XSS not in content
                assert ATTR not in content
