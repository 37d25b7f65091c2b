"""What gets indexed for a listing, shared by both backends.

Four weighted fields (A name, B category names and synonyms with their parent's, C short
description, D description and RNA number) and tags: `xc<id>` for each category and its parent,
`xa<id>` for each area of a place with its parents and quartier, so that a category or place
named in a query is one more full-text term (no join, no extra query).

A listing's services (directory/models/offers.py) are part of its document: their names, needs
and needs' synonyms with the categories (B, so that "cours de français" ranks a listing offering
French classes as if it were in that need), their descriptions, audiences, fees and conditions
with the description (D), their needs as tags and facets; and each service of a published
listing gets its narrow row (SearchService, its codes from directory/offers/codes.py), which the
service-level filters read. A service paused without an end date is not searched.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from directory import reference
from directory.models import Association, Place, Service
from directory.offers import codes as offer_codes
from directory.queries import OfIds
from directory.text import normalize

if TYPE_CHECKING:
    from directory.reference import Snapshot

    from .query import ParsedQuery

# The weighted fields and their PostgreSQL weights (the rank tiers read them, search/tiers.py).
WEIGHTS = {"name": "A", "cats": "B", "short": "C", "body": "D"}
VOCABULARY_MIN_LENGTH = 4
VOCABULARY_MAX_LENGTH = 40
# Read with each listing for its narrow search row (directory.models.SearchRow).
ROW_FIELDS = ("status", "created_at", "fees", "reception", "volunteers_sought")
# The facet values of a narrow row as integer codes (its `facet_codes`): value × 3 + the index of
# the kind here (a need, a commune, an arrondissement).
FACET_KINDS = ("c", "a", "r")


def category_tag(category_id: int) -> str:
    return f"xc{category_id}"


def area_tag(area_id: int) -> str:
    return f"xa{area_id}"


def within_tags(parsed: ParsedQuery) -> list[str]:
    """The tags of the area and the category a text search is filtered to (`territoire`,
    `categorie`: ParsedQuery.within_area, within_category). Every listing those filters keep has
    them, so each backend's text match asks for them too (an AND): its index then reads only the
    rows of both, a broad word in a small commune a few rows, while the filters still decide."""
    return [
        *([area_tag(parsed.within_area.pk)] if parsed.within_area is not None else []),
        *([category_tag(parsed.within_category.pk)] if parsed.within_category is not None else []),
    ]


@dataclass
class Document:
    pk: int
    name: str
    cats: str
    short: str
    body: str
    tags: str
    search_name: str
    search_text: str
    facets: frozenset[tuple[str, int]] = frozenset()  # {(SearchFacet kind, value)}
    row: dict[str, Any] | None = None  # SearchRow fields of a published listing, None otherwise
    points: tuple[tuple[float, float], ...] = ()  # (lat, lon) of its located places
    # (service id, running_from, codes) of its services: the SearchService rows of a published listing.
    services: tuple[tuple[int, date, str], ...] = ()

    def facet_codes(self) -> list[int]:
        """The facet values as the narrow row's codes (FACET_KINDS), sorted: listings with the
        same facets get the same array, which the facet counts group by."""
        return sorted(value * 3 + FACET_KINDS.index(kind) for kind, value in self.facets)

    def words(self) -> set[str]:
        """The normalised words worth offering as typo candidates: no token with a digit (an
        RNA number such as w691234567, a SIRET, a postcode, a year), never typed with a typo
        and, for the RNA number, one vocabulary row per listing."""
        return {
            word
            for word in self.search_text.split()
            if VOCABULARY_MIN_LENGTH <= len(word) <= VOCABULARY_MAX_LENGTH and word.isalpha()
        }


def spread_facets(
    groups: Iterable[tuple[Any, int]], kinds: Iterable[str], decode: Callable[[list[Any]], Iterable[int]]
) -> list[tuple[str, int, int]]:
    """[(kind, value, count)] of the facet codes of `kinds`, from [(codes column, matches)]: the
    matches grouped by their whole set of facet codes (a few thousand distinct sets for 100 000
    rows), each code counted here. The sets of one count are decoded at once (`decode`: a list of
    columns → their codes, one after the other) and their codes counted by a Counter (C code),
    rather than each set decoded and each code added in Python: 2.4 → 1.3 ms for 3 900 sets."""
    wanted = {FACET_KINDS.index(kind) for kind in kinds}
    by_count: dict[int, list[Any]] = {}
    for column, n in groups:
        by_count.setdefault(n, []).append(column)
    counts: Counter[int] = Counter()
    for n, columns in by_count.items():
        for code, times in Counter(decode(columns)).items():
            counts[code] += times * n
    return [(FACET_KINDS[code % 3], code // 3, n) for code, n in counts.items() if code % 3 in wanted]


def row_values(docs: Sequence[Document]) -> tuple[list[str], list[tuple[Any, ...]]]:
    """(SearchRow field names, [values]) of the narrow rows of these published listings'
    documents: the listing, then the fields of `Document.row` (the same for every document)."""
    fields = ["association", *sorted(docs[0].row or ())] if docs else []
    return fields, [(doc.pk, *((doc.row or {})[name] for name in fields[1:])) for doc in docs]


# Three of build_many()'s reads, their SQL written by the ORM once per process (a listing's save
# indexes it): the category links, the places (ids and coordinates: plain values on both
# databases) and the services (instances). The listings' own row, with its dates, is read by
# the ORM, which converts them.
LINKS = OfIds(
    lambda ids: Association.categories.through.objects.filter(association_id__in=ids).values_list(
        "association_id", "category_id"
    )
)
PLACES = OfIds(
    lambda ids: Place.objects.filter(association_id__in=ids).values_list(
        "association_id", "area_id", "quartier_id", "lat", "lon"
    )
)
SERVICES = OfIds(
    lambda ids: Service.objects.filter(association_id__in=ids).order_by("association_id", "position", "pk")
)


def build_many(pks: Sequence[int]) -> list[Document]:
    """Documents of the given listings, in four plain queries (category links, places, services,
    the listings' rows), two more for the languages and audiences when a published one has
    services; categories and areas are read from the in-memory reference snapshot."""
    snapshot = reference.get()
    links: dict[int, list[int]]
    places: dict[int, list[int | None]]
    links, places = {}, {}
    for association_id, category_id in LINKS.rows(pks):
        links.setdefault(association_id, []).append(category_id)
    points: dict[int, set[tuple[float, float]]] = {}
    for association_id, area_id, quartier_id, lat, lon in PLACES.rows(pks):
        places.setdefault(association_id, []).extend([area_id, quartier_id])
        if lat is not None and lon is not None:
            points.setdefault(association_id, set()).add((lat, lon))
    rows = (
        Association.objects.filter(pk__in=pks)
        .order_by("pk")
        .values_list("pk", "name", "short_description", "description", "rna", *ROW_FIELDS)
    )
    services = _services(pks)
    documents = [
        _document(
            snapshot,
            (pk, name, short, description, rna),
            dict(zip(ROW_FIELDS, flags, strict=True)),
            category_ids=links.get(pk, ()),
            area_ids=places.get(pk, ()),
            points=points.get(pk, ()),
            services=services.get(pk, ()),
        )
        for pk, name, short, description, rna, *flags in rows
    ]
    _add_service_rows(snapshot, documents, services, links)
    return documents


def _services(pks: Sequence[int]) -> dict[int, list[Service]]:
    """{listing id: its services in order}: one query."""
    found: dict[int, list[Service]] = {}
    for service in SERVICES.instances(pks):
        found.setdefault(service.association_id, []).append(service)
    return found


def _add_service_rows(
    snapshot: Snapshot,
    documents: Sequence[Document],
    services: dict[int, list[Service]],
    links: dict[int, list[int]],
) -> None:
    """The SearchService rows of the published listings' services: their codes, a term left empty
    being the listing's (two more queries, for the listings' languages and audiences, only when
    some published listing has services)."""
    published = {doc.pk: doc for doc in documents if doc.row is not None and doc.pk in services}
    if not published:
        return
    languages: dict[int, list[int]] = {}
    audiences: dict[int, list[int]] = {}
    for model_field, found in (("languages", languages), ("audiences", audiences)):
        through = getattr(Association, model_field).through
        column = f"{model_field[:-1]}_id"
        for association_id, pk in through.objects.filter(association_id__in=published).values_list(
            "association_id", column
        ):
            found.setdefault(association_id, []).append(pk)
    for pk, doc in published.items():
        row = doc.row or {}
        listing = offer_codes.ListingTerms(
            fees=row.get("fees") or "",
            reception=row.get("reception") or "",
            category_ids=links.get(pk, ()),
            language_ids=languages.get(pk, ()),
            audience_ids=audiences.get(pk, ()),
        )
        doc.services = tuple(
            (
                service.pk,
                offer_codes.running_from(service.status, service.paused_until),
                offer_codes.codes(service, listing, snapshot),
            )
            for service in services[pk]
        )
        row["services_from"] = min(start for _service, start, _codes in doc.services)


def build_new(
    listings: Sequence[dict[str, Any]],
    *,
    category_ids: dict[int, list[int]],
    places: dict[int, list[tuple[Any, ...]]],
) -> list[Document]:
    """Documents of listings not written yet, from memory: what build_many() would read back
    once they are. `listings` are dicts of every Association field by attname (`id` set),
    `category_ids` is {pk: [category id]}, `places` {pk: [(area id, quartier id, lat, lon)]}."""
    snapshot = reference.get()
    documents: list[Document] = []
    for values in listings:
        pk = values["id"]
        area_ids: list[int | None] = []
        points: set[tuple[float, float]] = set()
        for area_id, quartier_id, lat, lon in places.get(pk, ()):
            area_ids.extend([area_id, quartier_id])
            if lat is not None and lon is not None:
                points.add((lat, lon))
        texts = (pk, values["name"], values["short_description"], values["description"], values["rna"])
        documents.append(
            _document(
                snapshot,
                texts,
                {name: values[name] for name in ROW_FIELDS},
                category_ids=category_ids.get(pk, ()),
                area_ids=area_ids,
                points=points,
            )
        )
    return documents


def _document(
    snapshot: Snapshot,
    texts: tuple[int, str, str, str, str],
    row: dict[str, Any],
    *,
    category_ids: Iterable[int],
    area_ids: Iterable[int | None],
    points: Iterable[tuple[float, float]],
    services: Sequence[Service] = (),
) -> Document:
    """The Document of one listing: `texts` (pk, name, short description, description, RNA
    number), `row` its ROW_FIELDS values."""
    document = build(snapshot, *texts, category_ids=category_ids, area_ids=area_ids, services=services)
    row = dict(row)
    if row.pop("status") == Association.Status.PUBLISHED:
        # services_from: set by _add_service_rows() for a listing with services.
        document.row = {**row, "search_name": document.search_name, "services_from": None}
        document.points = tuple(sorted(points))
    return document


def build(
    snapshot: Snapshot,
    pk: int,
    name: str,
    short_description: str,
    description: str,
    rna: str,
    *,
    category_ids: Iterable[int],
    area_ids: Iterable[int | None],
    services: Sequence[Service] = (),
) -> Document:
    cats: list[str]
    tags: set[str]
    facets: set[tuple[str, int]]
    cats, tags, facets = [], set(), set()
    searched = [
        s for s in services if offer_codes.running_from(s.status, s.paused_until) < offer_codes.FAR_FUTURE
    ]
    service_category_ids = [
        snapshot.categories[slug].pk
        for s in searched
        for slug in s.categories or []
        if slug in snapshot.categories
    ]
    for category_id in [*category_ids, *service_category_ids]:
        category = snapshot.categories_by_id[category_id]
        facets.add(("c", category.parent_id or category.pk))
        cats.append(category.name)
        cats.extend(category.synonym_list)
        tags.add(category_tag(category.pk))
        if category.parent_id:
            parent = snapshot.categories_by_id[category.parent_id]
            cats.append(parent.name)
            cats.extend(parent.synonym_list)
            tags.add(category_tag(parent.pk))
    for area_id in area_ids:
        area = snapshot.areas_by_id.get(area_id)  # type: ignore[arg-type]  # None (no quartier) finds none
        if area is not None and area.kind == "commune":
            facets.add(("a", area.pk))
        elif area is not None and area.kind == "arrondissement":
            facets.update({("r", area.pk), ("a", area.parent_id)})  # type: ignore[arg-type]  # in a commune
        while area is not None:
            tags.add(area_tag(area.pk))
            area = snapshot.areas_by_id.get(area.parent_id)  # type: ignore[arg-type]  # None: the top
    cats[:0] = [s.name for s in searched]
    service_texts = [
        text
        for s in searched
        for text in (
            s.description,
            s.audiences_details,
            s.fees_details,
            s.access_conditions,
            s.mobilisation_details,
        )
    ]
    body = " ".join(part for part in (description, *service_texts, rna) if part)
    cats_text = " ".join(cats)
    return Document(
        pk=pk,
        name=name,
        cats=cats_text,
        short=short_description,
        body=body,
        tags=" ".join(sorted(tags)),
        search_name=normalize(name),
        search_text=normalize(
            " ".join([name, short_description, description, *service_texts, cats_text, rna])
        ),
        facets=frozenset(facets),
    )
