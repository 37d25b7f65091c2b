"""The benchmark command (`manage.py bench`), its generator, and the /healthz view it compares to."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import DatabaseError
from django.forms.models import model_to_dict

from directory import bench
from directory.bench import runner
from directory.models import Association, Place
from tests import builders

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("bench", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def markdown_rows(output, first_header):
    """The body rows of the Markdown table whose first header cell is `first_header`."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {first_header} |"))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split(" | ")])
    return rows


def snapshot(association):
    """Everything about a listing the benchmark could touch."""
    association.refresh_from_db()
    return {
        **model_to_dict(association, exclude=["logo"]),
        "search_name": association.search_name,
        "search_text": association.search_text,
        "places": list(association.places.values()),
        "categories": sorted(association.categories.values_list("pk", flat=True)),
    }


def test_bench_builds_listings_and_answers_every_kind():
    output = run("--build", "200", "--runs", "2", "--markdown")

    rows = markdown_rows(output, "kind")
    kinds = [row[0] for row in rows]
    assert len(rows) == len(runner.QUERIES) + 2  # the mix, /healthz and the admin search
    assert set(kinds) == {q.kind for q in runner.QUERIES} | {"trivial", "admin search"}
    assert {row[-1] for row in rows} == {"200"}, rows
    assert "errors (non-200 answers): 0" in output
    ratio_names = [row[0] for row in markdown_rows(output, "ratio")]
    assert "admin search p95 / results pages p95 (target ≥ 10)" in ratio_names
    # The superuser made for the admin search is gone.
    assert not get_user_model().objects.filter(username__startswith="bench-admin-").exists()

    listings = bench.bench_rows()
    assert listings.count() == 200 == Association.objects.published().filter(is_demo=True).count()
    names = list(listings.values_list("name", flat=True))
    assert len(set(names)) == 200
    for description in listings.values_list("description", flat=True):
        assert 300 <= len(description) <= 1200
    assert not listings.filter(places__isnull=True).exists()
    assert not listings.filter(categories__isnull=True).exists()
    assert not listings.filter(search_text="").exists()
    assert 0.15 <= listings.filter(volunteers_sought=True).count() / 200 <= 0.45
    assert Place.objects.filter(association__in=listings, lat__isnull=True).count() == 0


def test_bench_never_touches_rows_that_are_not_bench_rows():
    real = builders.make_association("Secours de la Guillotière", categories=["distribution-alimentaire"])
    demo = builders.make_association("Démo du 8e", slug="demo-du-8e", is_demo=True)
    before = {real.pk: snapshot(real), demo.pk: snapshot(demo)}

    run("--build", "40", "--build-only", "--force")
    run("--build", "25", "--rebuild", "--build-only", "--force")

    assert bench.bench_rows().count() == 25
    assert Association.objects.count() == 27
    assert {real.pk: snapshot(real), demo.pk: snapshot(demo)} == before


def test_bench_refuses_a_database_with_real_listings_without_force():
    builders.make_association("Une vraie association")
    with pytest.raises(CommandError, match="--force"):
        run("--build", "10", "--build-only")
    assert not bench.bench_rows().exists()


def test_bench_reuses_rows_of_the_same_count_and_rebuilds_otherwise():
    run("--build", "20", "--build-only")
    first = set(bench.bench_rows().values_list("pk", flat=True))

    assert "Reusing the 20 bench listings" in run("--build", "20", "--build-only")
    assert set(bench.bench_rows().values_list("pk", flat=True)) == first

    assert "Reusing the 20 bench listings" in run("--build", "99", "--reuse", "--build-only")
    run("--build", "30", "--build-only")
    assert bench.bench_rows().count() == 30
    assert not first & set(bench.bench_rows().values_list("pk", flat=True))


def test_bench_dry_run_writes_nothing():
    output = run("--build", "10", "--dry-run")
    assert "Would delete 0 bench listing(s) and build 10" in output
    assert not Association.objects.exists()


# /healthz ----------------------------------------------------------------------------------


def test_healthz_answers_ok(client, django_assert_num_queries):
    with django_assert_num_queries(1):  # SELECT 1
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_answers_503_when_the_database_fails(client, monkeypatch):
    from directory.views import health

    def broken_cursor():
        raise DatabaseError("connection refused")

    monkeypatch.setattr(health.connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}
