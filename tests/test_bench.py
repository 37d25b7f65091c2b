"""The benchmark command (`manage.py bench`), its generator, and the /healthz view it compares to."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError
from django.forms.models import model_to_dict

from directory.dev import bench
from directory.dev.bench import runner
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


def test_bench_imports_the_registry_shape_and_reports_every_family(tmp_path):
    report_path = tmp_path / "report.md"
    output = run("--rows", "300", "--per-family", "2", "--shape", "both", "--output", str(report_path))
    report = report_path.read_text(encoding="utf-8")
    assert report in output

    listings = bench.bench_rows()
    assert listings.count() > 150
    assert listings.count() == Association.objects.filter(source=Association.Source.RNA, is_demo=True).count()
    # The geocoding step moved every place away from its area's centre, precision "address".
    places = Place.objects.filter(association__in=listings).select_related("area")
    assert places
    assert all(p.location_precision == Place.LocationPrecision.ADDRESS for p in places)
    assert all((p.lat, p.lon) != (p.area.lat, p.area.lon) for p in places)
    assert all(abs(p.lat - p.area.lat) < 0.03 and abs(p.lon - p.area.lon) < 0.04 for p in places)

    for shape in ("imported", "geocoded"):
        assert f"### Shape: {shape}" in report
    rows = markdown_rows(report, "family")  # the first shape's table
    seen = {(row[0], row[1], row[2]) for row in rows}
    for family in runner.FAMILIES:
        for channel in runner.CHANNELS:
            for pass_ in runner.PASSES:
                assert (family, channel, pass_) in seen, (family, channel, pass_)
    assert {row[3] for row in rows if row[0] != "trivial (/healthz)"} == {"2"}  # searches per family
    assert {row[-1] for row in rows} == {"200"}, rows
    assert "trivial (/healthz)" in {row[0] for row in rows}
    assert "re-import of the unchanged file" in report
    assert ", 0 writes" in report
    assert "errors (non-200 answers): 0" in report


def test_the_mix_is_distinct_and_deterministic():
    ctx = runner.Context(
        words=runner.vocabulary(),
        areas=[("villeurbanne", 45.77, 4.88), ("lyon-3", 45.76, 4.85)],
        categories=["football", "alimentation"],
        slugs=[f"club-{n}" for n in range(30)],
        published=900,
    )
    mix = runner.make_mix(ctx, per_family=6, seed=4)
    assert list(mix) == runner.FAMILIES
    for family, searches in mix.items():
        assert len(searches) == len(set(searches)) == 6, family
    assert mix == runner.make_mix(ctx, per_family=6, seed=4)
    assert mix != runner.make_mix(ctx, per_family=6, seed=5)
    pages = [int(dict(s.params)["page"]) for s in mix["deep pages"]]
    assert all(2 <= page <= 900 // runner.API_PAGE_SIZE for page in pages)
    assert all(dict(s.params)["tri"] == "distance" for s in mix["distance"] + mix["distance + text"])
    assert "football" in runner.vocabulary()
    assert "association" not in runner.vocabulary()
    # the warm-up's broad search (which brings the search table into the database's buffers)
    # and its other pages are never searches of the mix
    warm_up = runner.warm_up_paths(mix)
    assert f"/associations/?q={runner.WARM_UP_WORD}" in warm_up
    assert f"/api/associations/?q={runner.WARM_UP_WORD}" in warm_up
    assert runner.WARM_UP_WORD not in ctx.words
    asked = {
        search.url(channel) for searches in mix.values() for search in searches for channel in runner.CHANNELS
    }
    assert not asked & set(warm_up)


def test_bench_compares_sizes(tmp_path):
    output = run("--sizes", "120,200", "--per-family", "1", "--shape", "imported")
    assert "## 120 rows" in output
    assert "## 200 rows" in output
    rows = markdown_rows(output, "shape")
    assert {row[1] for row in rows} == set(runner.FAMILIES)
    assert all(row[-1].endswith("×") for row in rows), rows


def test_bench_never_touches_rows_that_are_not_bench_rows():
    real = builders.make_association("Secours de la Guillotière", categories=["distribution-alimentaire"])
    demo = builders.make_association("Démo du 8e", slug="demo-du-8e", is_demo=True)
    before = {real.pk: snapshot(real), demo.pk: snapshot(demo)}

    run("--rows", "60", "--per-family", "1", "--shape", "geocoded", "--force")
    run("--rows", "40", "--per-family", "1", "--shape", "imported", "--force")

    assert bench.bench_rows().count() == Association.objects.count() - 2
    assert {real.pk: snapshot(real), demo.pk: snapshot(demo)} == before


def test_bench_refuses_a_database_with_real_listings_without_force():
    builders.make_association("Une vraie association")
    with pytest.raises(CommandError, match="--force"):
        run("--rows", "10")
    assert not bench.bench_rows().exists()


def test_bench_refuses_to_import_over_real_rna_numbers():
    builders.make_association("Une vraie association", rna="W690000005")
    with pytest.raises(CommandError, match="RNA numbers"):
        run("--rows", "10", "--force")
    assert Association.objects.count() == 1


def test_bench_build_only_then_reuse_keeps_the_listings():
    output = run("--rows", "60", "--shape", "imported", "--build-only")
    assert "Imported" in output
    assert "| family |" not in output
    listings = sorted(bench.bench_rows().values_list("pk", flat=True))
    assert listings
    assert f"{len(listings)} bench listings ready (--build-only)." in output
    assert not bench.is_geocoded()

    output = run("--rows", "60", "--shape", "geocoded", "--per-family", "1", "--reuse")
    assert f"Reusing the {len(listings)} bench listings present (--reuse)." in output
    assert "Imported" not in output
    assert "the bench listings present, reused (--reuse)" in output
    assert sorted(bench.bench_rows().values_list("pk", flat=True)) == listings
    assert bench.is_geocoded()
    assert "### Shape: geocoded" in output

    # Geocoded places cannot be timed as imported again without a new import.
    with pytest.raises(CommandError, match="geocoded"):
        run("--rows", "60", "--shape", "imported", "--reuse", "--build-only")
    # Without --shape, --reuse keeps the listings as they are.
    assert "on: geocoded (--dry-run)" in run("--rows", "60", "--reuse", "--dry-run")
    bench.delete_bench_rows()
    run("--rows", "40", "--shape", "imported", "--build-only")
    assert "on: imported (--dry-run)" in run("--rows", "40", "--reuse", "--dry-run")


def test_bench_reuse_imports_when_there_is_nothing_to_reuse():
    output = run("--rows", "40", "--shape", "imported", "--build-only", "--reuse")
    assert "Importing a synthetic registry file of 40 rows" in output
    assert bench.bench_rows().exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--sizes", "10,20", "--reuse"], "one size"),
        (["--per-family", "0"], "--per-family 0"),
        (["--concurrency", "2", "--duration", "0"], "--duration"),
        (["--concurrency", "2", "--workers", "0"], "--workers"),
    ],
)
def test_bench_refuses_options_that_do_not_go_together(args, message):
    with pytest.raises(CommandError, match=message):
        run("--rows", "10", *args)


def test_bench_dry_run_writes_nothing():
    output = run("--sizes", "10,20", "--dry-run")
    assert "Would delete 0 bench listing(s), import a synthetic registry file of 10 rows" in output
    assert "file of 20 rows" in output
    assert not Association.objects.exists()
    output = run("--rows", "10", "--per-family", "0", "--concurrency", "20", "--duration", "60", "--dry-run")
    assert "and run 20 concurrent clients for 60 s on: imported, geocoded (--dry-run)" in output


# /healthz ----------------------------------------------------------------------------------


def test_healthz_answers_ok(client, django_assert_num_queries):
    with django_assert_num_queries(1):  # SELECT 1
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_answers_503_when_the_database_fails(client, monkeypatch):
    from directory import health

    def broken_cursor():
        raise DatabaseError("connection refused")

    monkeypatch.setattr(health.connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}
