"""The "Où ?" select of the search filters (issue 19): grouped by communes, Lyon's
arrondissements and quartiers, each quartier naming its arrondissement, no label twice."""

from collections import Counter

import pytest

from tests import builders

pytestmark = pytest.mark.django_db


def area_select(client, path="/associations/", params=None):
    page = builders.soup(client.get(path, params or {}))
    select = page.select_one("select#id_territoire")
    assert select is not None
    return page, select


def test_the_place_select_is_grouped_without_duplicate_labels(client):
    _page, select = area_select(client)
    groups = [group["label"] for group in select.find_all("optgroup")]
    assert groups[:2] == ["Communes", "Arrondissements de Lyon"]
    assert all(label.startswith("Quartiers de ") for label in groups[2:])
    assert "Quartiers de Lyon 3e" in groups
    assert "Quartiers de Villeurbanne" in groups
    labels = [option.get_text() for option in select.find_all("option")]
    repeated = [label for label, count in Counter(labels).items() if count > 1]
    assert repeated == []
    values = [option["value"] for option in select.find_all("option")]
    assert len(values) == len(set(values))
    # The two "Grange Blanche" and the two "Saint-Jean" say where they are.
    assert {"Grange Blanche, Lyon 3e", "Grange Blanche, Lyon 8e"} <= set(labels)
    assert {"Saint-Jean, Lyon 5e", "Saint-Jean, Villeurbanne"} <= set(labels)


def test_each_group_holds_its_kind_of_place(client):
    _page, select = area_select(client)
    by_group = {group["label"]: group.find_all("option") for group in select.find_all("optgroup")}
    communes = [o.get_text() for o in by_group["Communes"]]
    assert "Villeurbanne" in communes
    assert "Bron" in communes
    assert "Lyon (toute la ville)" in communes
    assert [o.get_text() for o in by_group["Arrondissements de Lyon"]] == [
        f"Lyon {n}" for n in ["1er"] + [f"{i}e" for i in range(2, 10)]
    ]
    for option in by_group["Quartiers de Lyon 7e"]:
        assert option.get_text().endswith(", Lyon 7e")


def test_the_chosen_place_stays_selected_and_the_select_is_filterable(client):
    page, select = area_select(client, params={"territoire": "grange-blanche-lyon-8"})
    chosen = select.select("option[selected]")
    assert [o.get_text() for o in chosen] == ["Grange Blanche, Lyon 8e"]
    assert select.has_attr("data-place-filter")
    assert "/static/js/place-filter.js" in [s["src"] for s in page.select("script[src]")]


@pytest.mark.parametrize("path", ["/agenda/", "/benevolat/"])
def test_the_agenda_and_volunteer_needs_share_the_select(client, path):
    _page, select = area_select(client, path)
    assert select.find("optgroup", label="Arrondissements de Lyon")


def test_english_labels(client):
    from django.utils import translation

    try:
        _page, select = area_select(client, "/en/associations/")
        groups = [group["label"] for group in select.find_all("optgroup")]
        assert groups[:2] == ["Communes", "Lyon arrondissements"]
        labels = [option.get_text() for option in select.find_all("option")]
        assert "Lyon (whole city)" in labels
        assert len(labels) == len(set(labels))
    finally:
        translation.deactivate()
