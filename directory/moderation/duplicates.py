"""Possible duplicates across the directory, feeding the queue (DuplicateCandidate rows).

Same RNA number or SIRET; or similar names in the same commune or arrondissement: trigram
similarity (pg_trgm) on PostgreSQL, normalised names and word overlap on SQLite. Archived and
rejected listings are left out; a pair already decided is never proposed again.
"""

from collections import defaultdict
from itertools import combinations

from django.db import connection
from django.db.models import Count

from directory.models import Association, DuplicateCandidate, Place
from directory.text import STOP_WORDS, normalize

TRIGRAM_THRESHOLD = 0.55
OVERLAP_THRESHOLD = 0.8
GENERIC_WORDS = STOP_WORDS | {"association", "asso", "club", "lyon", "amis", "maison"}


def active_listings():
    return Association.objects.exclude(status__in=[Association.Status.ARCHIVED, Association.Status.REJECTED])


def _words(name):
    return {w for w in normalize(name).split() if w not in GENERIC_WORDS and len(w) > 1}


def similar_names(a, b):
    """Same normalised name, or most significant words shared (the shorter name's)."""
    if normalize(a) == normalize(b):
        return 1.0
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return 0.0
    overlap = len(wa & wb) / min(len(wa), len(wb))
    return overlap if overlap >= OVERLAP_THRESHOLD else 0.0


def _same_identifier(field):
    values = (
        active_listings()
        .exclude(**{field: ""})
        .values(field)
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values(field)
    )
    groups = defaultdict(list)
    for pk, value in active_listings().filter(**{f"{field}__in": values}).values_list("pk", field):
        groups[value].append(pk)
    for pks in groups.values():
        yield from ((a, b, 1.0) for a, b in combinations(sorted(pks), 2))


def _listings_by_area():
    by_area = defaultdict(dict)
    rows = Place.objects.filter(association__in=active_listings()).values_list(
        "area_id", "association_id", "association__name"
    )
    for area_id, pk, name in rows:
        by_area[area_id][pk] = name
    return by_area


def _similar_sqlite():
    for listings in _listings_by_area().values():
        by_word = defaultdict(set)
        for pk, name in listings.items():
            for word in _words(name) or {normalize(name)}:
                by_word[word].add(pk)
        pairs = {pair for pks in by_word.values() for pair in combinations(sorted(pks), 2)}
        for a, b in sorted(pairs):
            score = similar_names(listings[a], listings[b])
            if score:
                yield a, b, score


def _similar_postgres():
    from django.contrib.postgres.search import TrigramSimilarity

    for _area_id, listings in _listings_by_area().items():
        if len(listings) < 2:
            continue
        for pk, name in sorted(listings.items()):
            others = (
                Association.objects.filter(pk__in=[p for p in listings if p > pk])
                .annotate(similarity=TrigramSimilarity("search_name", normalize(name)))
                .filter(similarity__gte=TRIGRAM_THRESHOLD)
                .values_list("pk", "similarity")
            )
            for other, similarity in others:
                yield pk, other, round(similarity, 3)


def find_pairs():
    """{(first pk, second pk): (reason, score)}, first < second."""
    pairs = {}
    similar = _similar_postgres if connection.vendor == "postgresql" else _similar_sqlite
    for reason, found in (
        (DuplicateCandidate.Reason.RNA, _same_identifier("rna")),
        (DuplicateCandidate.Reason.SIRET, _same_identifier("siret")),
        (DuplicateCandidate.Reason.NAME, similar()),
    ):
        for a, b, score in found:
            pairs.setdefault((a, b), (reason, score))
    return pairs


def refresh(*, dry_run=False, limit=None):
    """Store the new pairs; return (found, created)."""
    pairs = find_pairs()
    known = set(DuplicateCandidate.objects.values_list("first_id", "second_id"))
    new = [(key, value) for key, value in sorted(pairs.items()) if key not in known]
    if limit is not None:
        new = new[:limit]
    if not dry_run:
        DuplicateCandidate.objects.bulk_create(
            [
                DuplicateCandidate(first_id=a, second_id=b, reason=reason, score=score)
                for (a, b), (reason, score) in new
            ],
            ignore_conflicts=True,
        )
    return len(pairs), len(new)
