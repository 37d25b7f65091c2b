"""The registry import's bulk writes: COPY with ids taken from the sequence (PostgreSQL) writes
the same rows as the ORM path and as search.index(), and leaves the sequence consistent."""

import datetime

import pytest
from django.db import connection, transaction
from django.utils import timezone

from directory import bulk, search
from directory.models import (
    Association,
    AssociationChange,
    Place,
    SearchFacet,
    SearchPoint,
    SearchRow,
    SearchTerm,
)
from directory.rna import importer, sample
from tests import builders

postgres_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="COPY and sequences: PostgreSQL"
)
FIXED_NOW = datetime.datetime(2026, 11, 30, 8, 0, tzinfo=datetime.UTC)


@pytest.fixture
def registry_file(tmp_path):
    path = tmp_path / "sample.csv"
    sample.write(path, count=500, seed=11)
    return path


@pytest.fixture
def fixed_now(monkeypatch):
    """Both imports compared stamp their rows with the same time."""
    monkeypatch.setattr(timezone, "now", lambda: FIXED_NOW)


def _by_rna(queryset, key, exclude=("id",)):
    """The rows of a queryset as sorted tuples, the listing's id replaced by its RNA number."""
    rna = dict(Association.objects.values_list("pk", "rna"))
    rows = []
    for values in queryset.values():
        values = {name: value for name, value in values.items() if name not in exclude}
        values[key] = rna[values[key]]
        rows.append(tuple(sorted((name, repr(value)) for name, value in values.items())))
    return sorted(rows)


def _vectors():
    """{rna: (listing's search_vector, narrow row's search_vector, facet codes)}: the columns of
    the tables kept out of the Django models."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.rna, a.search_vector::text, r.search_vector::text,"
            " encode(r.facet_codes, 'hex') FROM directory_association a LEFT JOIN directory_searchrow r ON r.association_id = a.id"
        )
        return {rna: rest for rna, *rest in cursor.fetchall()}


def search_state():
    """Every search structure of the listings, keyed by RNA number (ids differ between runs)."""
    rna = dict(Association.objects.values_list("pk", "rna"))
    rows = []
    for values in SearchRow.objects.values():
        values["association_id"] = rna[values["association_id"]]
        codes = values.pop("facet_codes", None)  # its order is not a contract; its content is
        values["facet_codes"] = sorted(codes) if isinstance(codes, list) else codes
        rows.append(sorted(values.items()))
    return {
        "texts": sorted(Association.objects.values_list("rna", "search_name", "search_text")),
        "rows": sorted(rows),
        "facets": _by_rna(SearchFacet.objects.all(), "association_id"),
        "points": _by_rna(SearchPoint.objects.all(), "row_id"),
        "terms": sorted(SearchTerm.objects.values_list("term", flat=True)),
        "vectors": _vectors() if connection.vendor == "postgresql" else None,
    }


def stored_rows():
    """What the import writes outside the search structures, keyed by RNA number."""
    return {
        "listings": _by_rna(Association.objects.all(), "id", exclude=()),
        "places": _by_rna(Place.objects.all(), "association_id"),
        "links": _by_rna(Association.categories.through.objects.all(), "association_id"),
        "history": _by_rna(AssociationChange.objects.all(), "association_id"),
    }


@postgres_only
def test_copy_import_writes_what_index_writes(db, registry_file):
    summary = importer.import_rna(registry_file, batch_size=150)
    assert summary.created > 250
    assert SearchRow.objects.count() > 200
    assert SearchPoint.objects.count() > 200
    written = search_state()
    assert all(vectors[0] for vectors in written["vectors"].values())
    search.index(Association.objects.all())
    assert search_state() == written


@postgres_only
def test_copy_import_gives_the_rows_of_the_orm_import(db, registry_file, fixed_now, monkeypatch):
    importer.import_rna(registry_file, batch_size=150)
    by_copy = (stored_rows(), search_state())
    Association.objects.all().delete()
    SearchTerm.objects.all().delete()
    monkeypatch.setattr(bulk, "uses_copy", lambda: False)  # bulk_create, then search.index()
    importer.import_rna(registry_file, batch_size=150)
    assert (stored_rows(), search_state()) == by_copy


@postgres_only
def test_searches_find_listings_written_by_copy(db, registry_file, client):
    importer.import_rna(registry_file, batch_size=150)
    listing = Association.objects.published().order_by("pk").first()
    word = listing.name.split()[-1]
    response = client.get("/associations/", {"q": word})
    assert response.status_code == 200
    assert listing.slug in response.content.decode()


@postgres_only
def test_the_sequence_goes_on_after_the_allocated_ids(db, registry_file):
    importer.import_rna(registry_file, batch_size=150)
    highest = Association.objects.order_by("-pk").values_list("pk", flat=True).first()
    created = builders.make_association("Créée à la main après l'import")
    assert created.pk > highest
    ids = bulk.allocate_ids(Association, 3)
    assert ids == sorted(set(ids))
    assert ids[0] > created.pk


@postgres_only
def test_allocated_ids_are_never_given_twice(db):
    first, second = bulk.allocate_ids(Place, 5), bulk.allocate_ids(Place, 5)
    assert len(set(first) | set(second)) == 10
    assert max(first) < min(second)
    assert bulk.allocate_ids(Place, 0) == []


def test_insert_dicts_fills_the_defaults_as_the_orm(db):
    association = builders.make_association("Amicale des défauts")
    bulk.insert_dicts(
        AssociationChange,
        [
            {
                "association_id": association.pk,
                "origin": "import",
                "action": "created",
                "created_at": FIXED_NOW,
            }
        ],
    )
    inserted = AssociationChange.objects.filter(action="created").values().get()
    by_orm = AssociationChange.objects.create(
        association=association, origin="import", action="created", created_at=FIXED_NOW
    )
    expected = AssociationChange.objects.filter(pk=by_orm.pk).values().get()
    assert {k: v for k, v in inserted.items() if k != "id"} == {
        k: v for k, v in expected.items() if k != "id"
    }


def test_insert_rows_writes_plain_tuples_on_every_database(db):
    association = builders.make_association(
        "Club des tuples", status=Association.Status.DRAFT
    )  # no facet yet
    bulk.insert_rows(
        SearchFacet, ["association", "kind", "value"], [(association.pk, "c", 7), (association.pk, "a", 3)]
    )
    assert sorted(SearchFacet.objects.filter(association=association).values_list("kind", "value")) == [
        ("a", 3),
        ("c", 7),
    ]


@postgres_only
def test_an_import_batch_does_not_wait_for_the_disk_and_only_it(transactional_db):
    def synchronous_commit():
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            return cursor.fetchone()[0]

    before = synchronous_commit()
    with transaction.atomic():
        bulk.commit_without_waiting()
        assert synchronous_commit() == "off"
    assert synchronous_commit() == before != "off"
