"""As-you-type suggestions: /api/suggestions/?q= answered from the reference snapshot, no SQL."""

import time

import pytest

pytestmark = pytest.mark.django_db


def suggest(client, q, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/api/suggestions/", {"q": q})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()["results"]


def test_a_need_by_its_synonym(client, django_assert_num_queries):
    results = suggest(client, "devoirs", django_assert_num_queries)
    assert results[0] == {
        "type": "category",
        "label": "Aide aux devoirs",
        "detail": "Soutien scolaire",
        "url": "/categories/aide-aux-devoirs/",
    }
    assert "Soutien scolaire" in [r["label"] for r in results]  # through its synonyms


def test_places_by_word_prefix(client, django_assert_num_queries):
    results = suggest(client, "croix", django_assert_num_queries)
    labels = [r["label"] for r in results]
    assert "Croix-Rousse Centre" in labels
    area = next(r for r in results if r["label"] == "Croix-Rousse Centre")
    assert area["type"] == "area"
    assert area["url"].startswith("/associations/?territoire=")
    assert all(r["type"] == "area" for r in results)


def test_accents_and_case_do_not_matter(client, django_assert_num_queries):
    plain = suggest(client, "venissieux", django_assert_num_queries)
    accented = suggest(client, "VÉNISSIEUX", django_assert_num_queries)
    assert plain == accented
    assert plain[0]["label"] == "Vénissieux"
    assert suggest(client, "epicer", django_assert_num_queries)[0]["label"].startswith("Épicerie")


def test_several_words_each_start_a_word(client, django_assert_num_queries):
    labels = [r["label"] for r in suggest(client, "aide dev", django_assert_num_queries)]
    assert labels[0] == "Aide aux devoirs"


@pytest.mark.parametrize("q", ["", " ", "a", "de la"])
def test_empty_or_too_short_gives_nothing(client, django_assert_num_queries, q):
    assert suggest(client, q, django_assert_num_queries) == []


def test_long_query_is_cut_and_answers(client, django_assert_num_queries):
    results = suggest(client, "croix " + "x" * 5000, django_assert_num_queries)
    assert results == []


def test_at_most_eight(client, django_assert_num_queries):
    assert len(suggest(client, "lyon", django_assert_num_queries)) == 8


def test_fast(client):
    client.get("/api/suggestions/", {"q": "cr"})  # builds the index once
    start = time.perf_counter()
    for _ in range(20):
        client.get("/api/suggestions/", {"q": "cr"})
    assert (time.perf_counter() - start) / 20 < 0.02


def test_a_top_level_need_does_not_repeat_its_kind(client, django_assert_num_queries):
    """The page writes the kind ("Besoin") from the type: "Alimentation · Besoin", not
    "Alimentation · Besoin · Besoin"; a sub-need's detail is its parent."""
    results = suggest(client, "alimentation", django_assert_num_queries)
    top = next(r for r in results if r["label"] == "Alimentation")
    assert top["type"] == "category"
    assert top["detail"] == ""
    results = suggest(client, "distribution alim", django_assert_num_queries)
    sub = next(r for r in results if r["label"] == "Distribution alimentaire")
    assert sub["detail"] == "Alimentation"
