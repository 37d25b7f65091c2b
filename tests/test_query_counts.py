"""Pinned query counts: each page costs the same number of queries for 1 or 50 results (no N+1).

Each test names its queries, in order. When a count changes, read the new queries
(`pytest --ds ... -k name -vv` prints them) and update the comment along with the number.
"""

import pytest
from django.db import connection

from directory.relax import RELAX_BELOW
from tests import builders

pytestmark = pytest.mark.django_db

SIZES = [1, 50]
# PostgreSQL counts the facets of a text or filtered search in the statement that finds the ids
# (SearchResults.facet_rows).
JOINT_FACETS = connection.vendor == "postgresql"


def make_listings(n):
    """`n` published football and basket clubs in Gerland, each with a place, languages and audiences."""
    return builders.make_associations(
        n,
        prefix="Club",
        categories=["football", "basket-et-sports-collectifs"],
        area_slug="lyon-7",
        quartier_slug="gerland",
        languages=["ar", "en"],
        audiences=["jeunes"],
        phone="04 78 00 00 00",
        email="club@example.org",
        wheelchair="yes",
        fees="free",
        reception="walk_in",
    )


def with_services(listings, services):
    """Each listing given a service when `services` (a page of cards then reads them): 1 or 0."""
    if services:
        for listing in listings:
            builders.make_service(listing, "Entraînement du samedi")
    return int(services)


@pytest.mark.parametrize("services", [False, True])
@pytest.mark.parametrize("n", SIZES)
def test_results_page_with_filters(client, django_assert_num_queries, n, services):
    services = with_services(make_listings(n), services)
    # Filters and selects read the in-memory reference snapshot (directory.reference): no query.
    # 1. the ordered ids of the matches with their total (a window COUNT), cached per search
    # 2. both facets in one GROUP BY over the matches' SearchFacet rows, cached per search
    #    (PostgreSQL: 1, 2 and 5 are one statement, results.SearchResults.facet_rows)
    # 3. the page's associations by primary key, with the ids of their categories (the rows
    # from the snapshot) and how many services each has   4. their places (with area, parent
    # area and quartier)   5. the "ouvert maintenant" facet: a COUNT of the matches over the
    # opening slots   (+1) their services with their search codes, when one has any (the card
    # names the service that matched: directory/offers/search.py)
    # With fewer than relax.RELAX_BELOW results (n = 1), the wider searches (directory/relax.py):
    # 6. the counts without the need and without the text (one statement)   7. the facets of the
    # search without its place   8. its count (PostgreSQL: 7 and 8 are one statement)
    # PostgreSQL first looks up the indexed words the last word ("club", a prefix) stands for
    # (search.postgres.prepare): one query more.
    expected = (4 if JOINT_FACETS else 5) + services
    if n < RELAX_BELOW:
        expected += 2 if JOINT_FACETS else 3
    with django_assert_num_queries(expected):
        response = client.get("/associations/", {"categorie": "sport", "territoire": "lyon", "q": "club"})
    assert len(builders.result_names(response)) == min(n, 20)


@pytest.mark.parametrize("services", [False, True])
@pytest.mark.parametrize("n", SIZES)
def test_results_page_without_filters(client, django_assert_num_queries, n, services):
    services = with_services(make_listings(n), services)
    # 1. the ordered ids with their total   2. the facets (one GROUP BY; apart on PostgreSQL
    # too: every listing is read faster through two indexes)   3. the page by primary key, with
    # the ids of their categories and their numbers of services   4. their places   5. the
    # "ouvert maintenant" facet (a COUNT; on PostgreSQL a scalar subquery of 1:
    # postgres.every_ids)   (+1) their services, when one has any
    with django_assert_num_queries((4 if JOINT_FACETS else 5) + services):
        response = client.get("/associations/")
    assert len(builders.result_names(response)) == min(n, 20)


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize(
    "params",
    [
        {"categorie": "sport", "q": "club"},
        # A word long enough to be misspelt: its typo candidates are not looked up either (the
        # search is put together only when the region is rendered).
        {"q": "entrainement", "territoire": "lyon", "lat": "45.76", "lon": "4.84", "tri": "distance"},
    ],
)
def test_a_repeated_search_reads_its_ids_and_facets_from_the_cache(
    client, django_assert_num_queries, n, params
):
    make_listings(n)
    first = builders.result_names(client.get("/associations/", params))
    # The rendered results region comes from the cache (directory/search/pages.py): one query
    # checks that the listings it shows are all still published.
    with django_assert_num_queries(1):
        response = client.get("/associations/", params)
    assert builders.result_names(response) == first


@pytest.mark.parametrize("n", SIZES)
def test_listing_page(client, django_assert_num_queries, n):
    from directory.models import NewsItem, Photo

    [association] = make_listings(1)
    for position in range(1, n):
        association.places.create(
            position=position,
            address=f"{position} rue de Gerland",
            postcode="69007",
            area=builders.area("lyon-7"),
            quartier=builders.area("gerland"),
            hours=builders.WEEKDAY_HOURS,
        )
    for position in range(n):
        builders.make_need(association, title=f"Mission {position}")
        NewsItem.objects.create(association=association, title=f"Nouvelle {position}", text="Texte.")
        builders.make_event(association, title=f"Rendez-vous {position}")
        Photo.objects.create(
            association=association,
            small="s.jpg",
            medium="m.jpg",
            large="l.jpg",
            width=4,
            height=3,
            position=position,
            is_public=True,
        )
    # Categories, audiences, languages and areas are rows of the reference snapshot: no join.
    # 1. the association   2. its contents, one UNION: the ids of its categories, audiences and
    # languages, and whether it has any photo, news item or volunteer need
    # 3. its places   4. its public photos   5. its latest news items (at most 5, not archived)
    # 6. its current volunteer needs (at most 10, their places from query 3)
    # 7. its next event dates with their events (at most 5, their places from query 3)
    with django_assert_num_queries(7):
        response = client.get(association.get_absolute_url())
    assert response.status_code == 200
    assert builders.visible_text(response).count(" rue de Gerland") == n - 1
    page = builders.soup(response)
    assert len(page.select("#volunteer-needs > li")) == min(n, 10)
    assert len(page.select(".news__item")) == min(n, 5)
    assert len(page.select("#next-events > li")) == min(n, 5)
    assert len(page.select(".gallery li")) == n


def test_listing_page_without_photos_news_or_needs(client, django_assert_num_queries):
    """Most listings (imported from the registry): no photo, news item, volunteer need or event."""
    [association] = make_listings(1)
    # 1. the association   2. its contents (category, audience and language ids; no photo, news
    # item or need: their queries are skipped)   3. its places
    with django_assert_num_queries(3):
        response = client.get(association.get_absolute_url())
    page = builders.soup(response)
    in_table_order = list(association.categories.values_list("name", flat=True))  # Meta.ordering
    assert (
        [a.get_text() for a in page.select(".tags a")]
        == in_table_order
        == ["Football", "Basket et sports collectifs"]
    )
    assert not page.select("#actualites, .gallery, #volunteer-needs")


@pytest.mark.parametrize("n", SIZES)
def test_category_page(client, django_assert_num_queries, n):
    make_listings(n)
    # The category and its sub-categories come from the reference snapshot.
    # 1. COUNT of its associations   2. the page of associations   3. their categories   4. their places
    with django_assert_num_queries(4):
        response = client.get("/categories/sport/")
    assert len(builders.result_names(response)) == min(n, 20)


@pytest.mark.parametrize("n", SIZES)
def test_area_page(client, django_assert_num_queries, n):
    make_listings(n)
    # The area and its child areas come from the reference snapshot.
    # 1. COUNT of its associations   2. the page of associations   3. their categories   4. their places
    with django_assert_num_queries(4):
        response = client.get("/territoires/lyon/")
    assert len(builders.result_names(response)) == min(n, 20)


@pytest.mark.parametrize("n", SIZES)
def test_home(client, django_assert_num_queries, n):
    make_listings(n)
    # Areas and top categories come from the reference snapshot.
    # 1. published associations per top category   2. COUNT of published associations
    with django_assert_num_queries(2):
        response = client.get("/")
    assert response.status_code == 200


def test_every_commune(client, django_assert_num_queries):
    make_listings(5)
    # The communes and arrondissements come from the reference snapshot: no query.
    with django_assert_num_queries(0):
        response = client.get("/territoires/")
    assert response.status_code == 200


@pytest.mark.parametrize("services", [False, True])
@pytest.mark.parametrize("n", SIZES)
def test_api_list(client, django_assert_num_queries, n, services):
    services = with_services(make_listings(n), services)
    # 1. COUNT   2. the page of associations, with the ids of their categories and their
    # numbers of services   3. their places   (+1) their services, when one has any, (+1) and
    # the links of services to their places
    with django_assert_num_queries(3 + 2 * services):
        response = client.get("/api/associations/", {"categorie": "sport", "territoire": "lyon"})
    assert len(response.json()["results"]) == n


def test_a_repeated_api_page_comes_from_the_cache(client, django_assert_num_queries):
    make_listings(30)
    params = {"categorie": "sport", "page_size": "20", "utm_source": "lettre"}
    first = client.get("/api/associations/", params).json()
    # One query: are the listings of the cached page all still published?
    with django_assert_num_queries(1):
        again = client.get("/api/associations/", params).json()
    assert again == first
    assert first["next"].startswith("http://testserver/api/associations/?")
    assert "utm_source" not in first["next"]  # the known parameters only


@pytest.mark.parametrize("n", SIZES)
def test_api_detail(client, django_assert_num_queries, n):
    [association] = make_listings(1)
    for position in range(1, n):
        association.places.create(
            position=position, address="Annexe", postcode="69007", area=builders.area("lyon-7")
        )
    # 1. the association   2. its contents (category, audience and language ids, their rows from
    # the reference snapshot; no photo: no photo query)   3. its places (areas from the snapshot)
    with django_assert_num_queries(3):
        response = client.get(f"/api/associations/{association.slug}/")
    assert len(response.json()["places"]) == n
