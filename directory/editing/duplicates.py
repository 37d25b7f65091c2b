"""Is a proposed new listing already in the directory? Same RNA number (blocking: the number is
unique), same SIRET, or a very similar name in the same commune (normalised names compared with
difflib, which needs no database extension; fine at the scale of one commune)."""

from dataclasses import dataclass
from difflib import SequenceMatcher

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from directory.models import Association
from directory.text import normalize

SIMILARITY = 0.85


@dataclass
class Duplicate:
    association: Association
    reason: str
    blocking: bool = False


def similar(a, b):
    a, b = normalize(a), normalize(b)
    if not a or not b:
        return False
    return a == b or SequenceMatcher(None, a, b).ratio() >= SIMILARITY


def find_duplicates(values):
    found = {}
    rna, siret = values.get("rna", ""), values.get("siret", "")
    candidates = Association.objects.exclude(status=Association.Status.ARCHIVED)
    if rna:
        for association in candidates.filter(rna=rna):
            found[association.pk] = Duplicate(association, _("même numéro RNA"), blocking=True)
    if siret:
        for association in candidates.filter(siret=siret):
            found.setdefault(association.pk, Duplicate(association, _("même SIRET")))
    areas = {place["area"] for place in values.get("places", [])}
    # Similar names share a significant word: only those rows are compared (an index-friendly cut).
    words = [w for w in normalize(values.get("name", "")).split() if len(w) >= 4][:4]
    if areas and words:
        shares_word = Q()
        for word in words:
            shares_word |= Q(search_name__contains=word)
        nearby = (
            candidates.filter(shares_word)
            .filter(Q(places__area__slug__in=areas) | Q(places__area__parent__slug__in=areas))
            .only("pk", "name", "slug", "status", "search_name")
            .distinct()
        )
        for association in nearby:
            if similar(association.name, values["name"]):
                found.setdefault(association.pk, Duplicate(association, _("nom très proche, même commune")))
    return list(found.values())
