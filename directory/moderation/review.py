"""What a review page shows of a proposal beyond the side-by-side diff (listings/state.py):
a new listing read in one column, the places a map cannot show, and how complete the listing
would be."""

from dataclasses import dataclass, field

from directory import reference
from directory.listings import state
from directory.offers import quality

# Every field a proposal holds (listings/state.py), but the places, services and images shown
# apart: a field added to the listing's state is reviewed without a change here.
FIELDS = [name for name in state.ALL_FIELDS if name not in ("logo", "photos", "places", "services")]


@dataclass
class ProposedPlace:
    number: int
    rows: list = field(default_factory=list)  # [(label, text)], the filled fields only
    hours: list = field(default_factory=list)  # [(day, text)]
    has_position: bool = True


def proposed(values):
    """A proposal as it will be published, for a listing never published: no "before" column.

    {"rows": [(label, text)], "places": [ProposedPlace], "logo": url, "photos": [{"url", "alt"}]}
    """
    rows = [(row.label, row.new) for row in state.field_rows({}, values, FIELDS)]
    places = []
    for diff, place in zip(
        state.place_diffs([], values.get("places", [])), values.get("places", []), strict=True
    ):
        places.append(
            ProposedPlace(
                number=diff.number,
                rows=[(row.label, row.new) for row in diff.rows if row.new != "—"],
                hours=diff.new_hours,
                has_position=_has_position(place),
            )
        )
    images = state.image_diff({}, values)
    services = score_services(
        state.service_diffs([], values.get("services", []), [], values.get("places", [])), values
    )
    return {
        "rows": rows,
        "places": places,
        "services": services,
        "logo": images["new_logo"],
        "photos": images["new_photos"],
    }


def completeness(association, proposed, current=None):
    """How complete the listing would be once the proposal is published: its quality score
    (offers/quality.py) on the proposed values, with what is missing, and the published
    listing's stored score to compare. `current`: the published values, when read already."""
    values = {**state.snapshot(association), **(current or {}), **proposed}
    score = quality.listing_score(values)
    return {"score": score.score, "missing": score.missing, "published": association.quality}


def _has_position(place):
    return place.get("lat") is not None and place.get("lon") is not None


def places_without_position(values):
    """[(number, address text)] of the proposed places without a map position: they would be
    missing from the map and from the searches "près de" an address or a station."""
    snap = reference.get()
    missing = []
    for number, place in enumerate(values.get("places", []), start=1):
        if not _has_position(place):
            area = snap.areas.get(place.get("area") or "")
            where = " ".join(p for p in [place.get("postcode", ""), area.short_name if area else ""] if p)
            missing.append((number, ", ".join(p for p in [place.get("address", ""), where] if p)))
    return missing


def score_services(diffs, values):
    """The service diffs with each proposed service's completeness (`diff.quality`, None for a
    removed one): what a moderator may ask the association to add to it. `values`: the proposal."""
    for diff in diffs:
        diff.quality = quality.service_score(diff.after, values) if diff.after is not None else None
    return diffs
