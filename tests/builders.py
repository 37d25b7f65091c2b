"""Builders and personas shared by the whole suite."""

import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from directory import services
from directory.models import Area, Association, Audience, Category, Language, Place

_counter = itertools.count(1)

WEEKDAY_HOURS = {str(day): [["09:00", "12:00"], ["14:00", "18:00"]] for day in range(5)}


def area(slug):
    return Area.objects.get(slug=slug)


def category(slug):
    return Category.objects.get(slug=slug)


def make_user(username=None, *, password="pass-word-123", **kwargs):
    username = username or f"user{next(_counter)}"
    kwargs.setdefault("email", f"{username}@example.org")
    return get_user_model().objects.create_user(username=username, password=password, **kwargs)


def make_moderator(username="moderatrice"):
    user = make_user(username, is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="directory",
            codename__in=["view_association", "change_association", "view_place", "change_place"],
        )
    )
    return user


def make_superuser(username="root"):
    return get_user_model().objects.create_superuser(
        username=username, email=f"{username}@example.org", password="pass-word-123"
    )


def make_association(
    name=None,
    *,
    categories=(),
    area_slug="lyon-3",
    quartier_slug=None,
    status=Association.Status.PUBLISHED,
    places=1,
    audiences=(),
    languages=(),
    hours=None,
    wheelchair="",
    **fields,
):
    """A published association with one place in Lyon 3e unless told otherwise."""
    name = name or f"Association test {next(_counter)}"
    fields.setdefault("slug", services.unique_slug(name))
    fields.setdefault("short_description", f"{name} accueille les habitants.")
    association = Association.objects.create(name=name, status=status, **fields)
    if categories:
        association.categories.set(Category.objects.filter(slug__in=categories))
    if audiences:
        association.audiences.set(Audience.objects.filter(slug__in=audiences))
    if languages:
        association.languages.set(Language.objects.filter(code__in=languages))
    where = Area.objects.get(slug=area_slug)
    quartier = Area.objects.get(slug=quartier_slug) if quartier_slug else None
    for position in range(places):
        Place.objects.create(
            association=association,
            position=position,
            address=f"{position + 10} rue de la République",
            postcode=(where.postcode_list or ["69000"])[0],
            area=where,
            quartier=quartier,
            lat=where.lat,
            lon=where.lon,
            hours=WEEKDAY_HOURS if hours is None else hours,
            wheelchair=wheelchair,
        )
    services.refresh_search_text([association])
    association.refresh_from_db()
    return association


# HTML helpers (added for the page tests) -----------------------------------------------


def soup(response):
    """The response's HTML parsed by BeautifulSoup, to assert on structure."""
    from bs4 import BeautifulSoup

    return BeautifulSoup(response.content.decode(), "html.parser")


def result_names(response):
    """The association names of the `#results > li` items, in order (the first link of each item).

    Every item must hold a link: a result without one is a broken card, not something to skip.
    """
    return [item.find("a").get_text(" ", strip=True) for item in soup(response).select("#results > li")]


def visible_text(response):
    """The page's text without scripts and styles, whitespace folded."""
    page = soup(response)
    for tag in page(["script", "style", "template"]):
        tag.decompose()
    return " ".join(page.get_text(" ").split())


def make_associations(count, *, prefix="Association série", **kwargs):
    """`count` published associations named '<prefix> 001'…, for pagination and query counts."""
    return [make_association(f"{prefix} {n:03d}", **kwargs) for n in range(1, count + 1)]
