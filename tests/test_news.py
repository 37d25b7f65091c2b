"""The listing as the association's website: short address, news items, their Atom
feed and the share block."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from lxml import etree

from directory.models import Association, AssociationChange, NewsItem, SlugRedirect
from tests import builders

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def listing():
    return builders.make_association("Jardin partagé de la Croix-Rousse", area_slug="lyon-4")


@pytest.fixture
def manager(listing):
    return builders.make_manager(listing, "gestionnaire")


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def news_url(association):
    return reverse("directory:news", args=[association.slug])


def post_news(client, association, **overrides):
    data = {"title": "Fête des récoltes", "text": "Samedi 14 h.\nVenez nombreux !", "link": "", "alt": ""}
    data.update(overrides)
    return client.post(news_url(association), data)


def make_news(association, user=None, **fields):
    fields.setdefault("title", "Atelier compost")
    fields.setdefault("text", "Mercredi.")
    return NewsItem.objects.create(association=association, created_by=user, **fields)


# Short address -------------------------------------------------------------------------------


def test_short_address_redirects_to_the_listing(client, listing):
    response = client.get(f"/a/{listing.slug}")
    assert response.status_code in (301, 302)
    assert response["Location"] == f"/associations/{listing.slug}/"


def test_short_address_follows_an_old_slug(client, listing):
    SlugRedirect.objects.create(old_slug="ancien-jardin", association=listing)
    response = client.get("/a/ancien-jardin")
    assert response.status_code in (301, 302)
    assert response["Location"] == listing.get_absolute_url()


@pytest.mark.parametrize("status", [Association.Status.PENDING, Association.Status.ARCHIVED])
def test_short_address_of_an_unpublished_listing_is_404(client, status):
    hidden = builders.make_association("Association cachée", status=status)
    SlugRedirect.objects.create(old_slug="ancienne-cachee", association=hidden)
    assert client.get(f"/a/{hidden.slug}").status_code == 404
    assert client.get("/a/ancienne-cachee").status_code == 404
    assert client.get("/a/inconnue").status_code == 404


# Posting and archiving -----------------------------------------------------------------------


def test_manage_page_links_to_the_news(manager_client, listing):
    page = builders.soup(manager_client.get(reverse("directory:manage", args=[listing.slug])))
    assert page.select_one("#news-link")["href"] == news_url(listing)


def test_manager_posts_a_news_item_with_an_image(manager_client, listing, manager):
    response = manager_client.post(
        news_url(listing),
        {
            "title": "Fête des récoltes",
            "text": "Samedi <b>14 h</b>.\nVenez nombreux !",
            "link": "https://jardin.example/fete",
            "alt": "Affiche de la fête",
            "image": builders.upload(),
        },
    )
    assert response.status_code == 302
    item = NewsItem.objects.get()
    assert (item.association, item.created_by, item.archived) == (listing, manager, False)
    assert item.medium.name.endswith("/400.webp")
    assert item.large.name.endswith("/1200.webp")
    assert item.medium.storage.exists(item.medium.name)
    entry = AssociationChange.objects.get(association=listing, action="news_published")
    assert (entry.actor, entry.origin, entry.changes["news"]["new"]) == (
        manager,
        "manager",
        "Fête des récoltes",
    )

    response = manager_client.get(listing.get_absolute_url())
    page = builders.soup(response)
    news = page.select("#actualites .news__item")
    assert len(news) == 1
    assert news[0].h3.get_text(strip=True) == "Fête des récoltes"
    assert news[0].select_one("img")["alt"] == "Affiche de la fête"
    assert news[0].select_one("a[rel=ugc]")["href"] == "https://jardin.example/fete"
    # The text is escaped (no <b> element), its lines kept.
    assert news[0].select_one(".prose b") is None
    assert "Samedi <b>14 h</b>." in news[0].select_one(".prose").get_text()
    assert news[0].select_one(".prose br") is not None
    assert b"&lt;b&gt;14 h&lt;/b&gt;" in response.content


def test_listing_shows_the_five_latest_items_newest_first(client, listing):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    for day in range(7):
        make_news(listing, title=f"Nouvelle {day}", published_at=now - timedelta(days=day))
    make_news(listing, title="Retirée", archived=True, published_at=now + timedelta(days=1))
    page = builders.soup(client.get(listing.get_absolute_url()))
    titles = [h.get_text(strip=True) for h in page.select("#actualites .news__item h3")]
    assert titles == [f"Nouvelle {day}" for day in range(5)]


def test_listing_without_news_has_no_news_section(client, listing):
    assert builders.soup(client.get(listing.get_absolute_url())).select_one("#actualites") is None


def test_archiving_hides_the_item_and_is_logged(manager_client, client, listing, manager):
    item = make_news(listing, manager)
    url = reverse("directory:news_archive", args=[listing.slug, item.pk])
    assert manager_client.get(url).status_code == 405
    item.refresh_from_db()
    assert not item.archived

    response = manager_client.post(url)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.archived
    assert item.archived_at is not None
    assert NewsItem.objects.filter(pk=item.pk).exists()  # archived, not deleted
    entry = AssociationChange.objects.get(association=listing, action="news_archived")
    assert (entry.actor, entry.changes["news"]["old"]) == (manager, "Atelier compost")
    page = builders.soup(client.get(listing.get_absolute_url()))
    assert page.select_one("#actualites") is None


def test_a_moderator_withdraws_items_from_the_admin_and_it_is_logged(moderator_client, moderator, listing):
    items = [make_news(listing, title="Atelier compost"), make_news(listing, title="Troc de graines")]
    moderator.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_newsitem", "change_newsitem"])
    )
    url = reverse("admin:directory_newsitem_changelist")
    response = moderator_client.post(
        url, {"action": "archive", "_selected_action": [item.pk for item in items]}, follow=True
    )
    assert "2 actualités retirées." in [str(m) for m in response.context["messages"]]
    assert not NewsItem.objects.filter(archived=False).exists()
    entries = AssociationChange.objects.filter(action="news_archived")
    assert sorted((e.actor.pk, e.origin, e.changes["news"]["old"]) for e in entries) == [
        (moderator.pk, "moderator", "Atelier compost"),
        (moderator.pk, "moderator", "Troc de graines"),
    ]
    # Again: nothing left to withdraw, nothing logged twice.
    moderator_client.post(url, {"action": "archive", "_selected_action": [items[0].pk]})
    assert entries.count() == 2


def test_other_manager_and_anonymous_cannot_reach_the_news(client, listing):
    item = make_news(listing)
    other = builders.make_association("Autre association")
    client.force_login(builders.make_manager(other, "autre"))
    archive_url = reverse("directory:news_archive", args=[listing.slug, item.pk])
    assert client.get(news_url(listing)).status_code == 404
    assert post_news(client, listing).status_code == 404
    assert client.post(archive_url).status_code == 404
    # An item of another listing, through one's own listing's URL: 404 too.
    assert client.post(reverse("directory:news_archive", args=[other.slug, item.pk])).status_code == 404
    client.logout()
    for response in (client.get(news_url(listing)), client.post(archive_url)):
        assert response.status_code == 302
        assert "next=" in response["Location"]
    item.refresh_from_db()
    assert not item.archived
    assert NewsItem.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "x" * 121}, "title"),
        ({"text": "x" * 2001}, "text"),
        ({"text": ""}, "text"),
        ({"link": "javascript:alert(1)"}, "link"),
        ({"link": "ftp://jardin.example/"}, "link"),
        ({"image": "corrupt", "alt": "Une affiche"}, "image"),
        ({"image": "ok", "alt": ""}, "alt"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(manager_client, listing, overrides, field):
    if overrides.get("image") == "corrupt":
        overrides["image"] = builders.upload(content=builders.image_bytes()[:200])
    elif overrides.get("image") == "ok":
        overrides["image"] = builders.upload()
    response = post_news(manager_client, listing, **overrides)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not NewsItem.objects.exists()
    assert not AssociationChange.objects.filter(action="news_published").exists()


# Feed ------------------------------------------------------------------------------------------


def test_atom_feed_lists_the_items(client, listing):
    make_news(listing, title="Atelier <compost>", text="Mercredi & jeudi.", link="https://jardin.example/")
    make_news(listing, title="Retirée", archived=True)
    url = reverse("directory:feed_association_news", args=[listing.slug])
    assert url == f"/flux/associations/{listing.slug}/actualites.atom"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = etree.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Atelier <compost>"]
    assert "Mercredi &amp; jeudi." in entries[0].findtext(f"{ATOM}summary")
    page = builders.soup(client.get(listing.get_absolute_url()))
    feeds = [link["href"] for link in page.select('head link[rel=alternate][type="application/atom+xml"]')]
    assert url in feeds


def test_feed_of_an_unpublished_or_unknown_listing_is_404(client):
    hidden = builders.make_association("Association cachée", status=Association.Status.PENDING)
    for slug in (hidden.slug, "inconnue"):
        assert client.get(reverse("directory:feed_association_news", args=[slug])).status_code == 404


# Share block ---------------------------------------------------------------------------------


def test_share_block(client, listing, settings):
    page = builders.soup(client.get(listing.get_absolute_url()))
    share = page.select_one("#share")
    short_url = f"{settings.SITE_URL}/a/{listing.slug}"
    field = share.select_one("input#share-url")
    assert field["value"] == short_url
    assert field.has_attr("readonly")
    assert share.select_one("label[for=share-url]") is not None
    assert share.select_one("button[data-copy-button]").get_text(strip=True) == "Copier le lien"
    mailto = urlsplit(share.select_one("#share-email")["href"])
    assert mailto.scheme == "mailto"
    query = parse_qs(mailto.query)
    assert listing.name in query["subject"][0]
    assert short_url in query["body"][0]
    qr = share.select_one("img")
    assert qr["src"] == reverse("directory:qr_code", args=[listing.slug])
    assert qr["alt"]
    assert share.select_one(f'a[href="{reverse("directory:poster", args=[listing.slug])}"]')
    assert page.select_one('script[src$="js/share.js"]') is not None


def test_no_share_block_on_an_unpublished_listing(client, listing):
    hidden = builders.make_association("Association cachée", status=Association.Status.PENDING)
    client.force_login(builders.make_manager(hidden))
    page = builders.soup(client.get(hidden.get_absolute_url()))
    assert page.select_one("#share") is None
