"""Service changes where moderators and managers read them (issue #16, item 2): the review of a
change and of a new listing, the manager's pending view, both histories, and how complete the
listing would be (the review page and the association space's page)."""

import pytest
from django.urls import reverse

from directory.editing import services as editing_services
from directory.listings import state
from directory.models import Service
from tests import builders

pytestmark = pytest.mark.django_db

FRENCH = {
    "name": "Cours de français",
    "description": "Des cours de français pour adultes, tous niveaux, en petits groupes.",
    "categories": ["apprendre-le-francais"],
    "audiences": ["migrants-refugies"],
    "fees": Service.Fees.FREE,
    "reception": Service.Reception.WALK_IN,
    "modes": [Service.Mode.IN_PERSON],
    "languages": ["fr", "ar"],
    "places": [0],
    "hours": {"5": [["09:00", "12:00"]]},
}
HOMEWORK = {"name": "Aide aux devoirs", "fees": Service.Fees.FREE, "audiences": ["familles"]}
PARCELS = {"name": "Colis alimentaire", "reception": Service.Reception.APPOINTMENT}


def _statuses(diffs):
    return [(d.name, d.status) for d in diffs]


# The diff ----------------------------------------------------------------------------------------


def test_removing_the_first_service_does_not_turn_the_others_into_changes():
    diffs = state.service_diffs([FRENCH, HOMEWORK, PARCELS], [HOMEWORK, PARCELS])
    assert _statuses(diffs) == [
        ("Aide aux devoirs", ""),
        ("Colis alimentaire", ""),
        ("Cours de français", "removed"),
    ]
    assert [d.sentence for d in diffs if d.sentence] == ["Service « Cours de français » retiré"]


def test_a_service_renamed_in_place_is_one_change_with_its_fields_named():
    renamed = {**FRENCH, "name": "Cours de FLE", "fees": Service.Fees.PAID, "hours": {}}
    (diff,) = state.service_diffs([FRENCH], [renamed])
    assert (diff.status, diff.old_name, diff.name) == ("changed", "Cours de français", "Cours de FLE")
    assert diff.changed == ["name", "fees", "hours"]
    assert diff.sentence == (
        "Service « Cours de français » renommé « Cours de FLE » ; modifié : tarifs, horaires"
    )
    rows = {row.label: row for row in diff.rows}
    assert (rows["Tarifs"].old, rows["Tarifs"].new, rows["Tarifs"].changed) == ("Gratuit", "Payant", True)
    assert rows["Horaires"].old == "samedi : 09:00-12:00"
    assert not rows["Langues parlées"].changed


def test_an_imported_service_is_known_by_its_source_id():
    imported = {**PARCELS, "source_id": "dora--42"}
    renamed = {**imported, "name": "Colis du vendredi", "reception": Service.Reception.WALK_IN}
    (diff,) = state.service_diffs([imported], [renamed])
    assert (diff.status, diff.changed) == ("changed", ["name", "reception"])
    assert diff.sentence.startswith("Service « Colis alimentaire » renommé « Colis du vendredi »")


def test_a_new_service_next_to_an_unrelated_removal_is_not_a_rename():
    diffs = state.service_diffs([PARCELS, FRENCH], [FRENCH, HOMEWORK])
    assert _statuses(diffs) == [
        ("Cours de français", ""),
        ("Aide aux devoirs", "added"),
        ("Colis alimentaire", "removed"),
    ]


def test_pausing_and_resuming_are_said_in_words():
    paused = {**FRENCH, "status": Service.Status.PAUSED, "paused_until": "2027-01-31"}
    assert state.services_in_words([FRENCH], [paused]) == [
        "Service « Cours de français » mis en pause jusqu'au 31 janvier 2027"
    ]
    undated = {**FRENCH, "status": Service.Status.PAUSED}
    assert state.services_in_words([FRENCH], [undated]) == ["Service « Cours de français » mis en pause"]
    assert state.services_in_words([paused], [FRENCH]) == ["Service « Cours de français » repris"]
    assert state.services_in_words([FRENCH, HOMEWORK], [HOMEWORK, FRENCH]) == ["Ordre des services modifié"]
    assert state.services_in_words(None, [HOMEWORK]) == ["Service « Aide aux devoirs » ajouté"]
    # A log written by hand or damaged: what can be read, never an error.
    assert state.services_in_words("x", [HOMEWORK, "?"]) == ["Service « Aide aux devoirs » ajouté"]


def test_a_service_place_is_named_by_its_address():
    places = [
        {"address": "5 rue Marc Bloch", "area": "lyon-7"},
        {"name": "Annexe", "address": "2 rue Garibaldi"},
    ]
    (diff,) = state.service_diffs([], [{**FRENCH, "places": [0, 1]}], [], places)
    rows = {row.label: row.new for row in diff.rows}
    assert rows["Lieux"].splitlines() == ["5 rue Marc Bloch, Lyon 7e", "Annexe (2 rue Garibaldi)"]
    # Without the listing's places (a logged change), by their numbers.
    (logged,) = state.service_diffs([], [{**FRENCH, "places": [0, 1]}])
    assert {row.label: row.new for row in logged.rows}["Lieux"].splitlines() == ["Lieu 1", "Lieu 2"]


# The moderator's review ----------------------------------------------------------------------------


@pytest.fixture
def with_services(listing, manager):
    change = builders.propose_edit(listing, manager, services=[FRENCH, HOMEWORK])
    editing_services.pending_change_approve(change=change, moderator=builders.make_moderator("premiere"))
    return listing


@pytest.fixture
def service_change(with_services, manager):
    paused = {
        **FRENCH,
        "fees": Service.Fees.PAID,
        "fees_details": "10 € par an",
        "status": Service.Status.PAUSED,
        "paused_until": "2027-01-31",
    }
    return builders.propose_edit(with_services, manager, services=[paused, PARCELS])


def test_review_of_a_change_shows_one_table_a_service(moderator_client, service_change):
    page = builders.soup(moderator_client.get(reverse("admin:moderation_change", args=[service_change.pk])))
    assert page.select_one("#services-title")
    tables = page.select("table.diff-service")
    captions = [t.caption.get_text(" ", strip=True) for t in tables]
    assert captions[0].startswith("« Cours de français » · modifié")
    assert (
        "Service « Cours de français » mis en pause jusqu'au 31 janvier 2027 ; "
        "modifié : tarifs, détail des tarifs" in captions[0]
    )
    assert captions[1] == "« Colis alimentaire » · ajouté"
    assert captions[2] == "« Aide aux devoirs » · retiré"
    changed = {
        tr.th.get_text(" ", strip=True): tr.select_one(".diff-new").get_text()
        for tr in tables[0].select("tr.diff-changed")
    }
    assert changed == {
        "Tarifs modifié": "Payant",
        "Détail des tarifs modifié": "10 € par an",
        "État modifié": "En pause",
        "En pause jusqu'au modifié": "31 janvier 2027",
    }
    # The service's place is its address, unchanged: shown for context, not flagged.
    same = {tr.th.get_text(strip=True): tr for tr in tables[0].select("tr.diff-same")}
    assert "10 rue de la République" in same["Lieux"].select_one(".diff-new").get_text()
    # No service in the fields table: services have their own blocks.
    assert "Services" not in [th.get_text(strip=True) for th in page.select("#diff-fields th[scope=row]")]


def test_review_of_a_new_listing_reads_its_services_in_one_column(moderator_client):
    change = builders.propose_new_listing(
        builders.make_user("fondatrice"), "Maison des langues", services=[FRENCH]
    )
    page = builders.soup(moderator_client.get(reverse("admin:moderation_change", args=[change.pk])))
    block = page.select_one("#proposal-service-1")
    assert block.h3.get_text(strip=True) == "Cours de français"
    facts = dict(
        zip(
            [dt.get_text() for dt in block.select("dt")],
            [dd.get_text() for dd in block.select("dd")],
            strict=True,
        )
    )
    assert facts["Besoins"] == "Apprendre le français"
    assert facts["Tarifs"] == "Gratuit"
    assert facts["Accueil"] == "Sans rendez-vous"
    assert facts["Horaires"] == "samedi : 09:00-12:00"
    assert "3 rue Paul Bert" in facts["Lieux"]
    assert "Services" not in [dt.get_text() for dt in page.select("#proposal-fields dt")]


def test_review_shows_how_complete_the_listing_would_be(moderator_client, service_change):
    page = builders.soup(moderator_client.get(reverse("admin:moderation_change", args=[service_change.pk])))
    block = page.select_one("#completeness")
    title = block.h2.get_text(" ", strip=True)
    values = {**state.current_state(service_change.association), **service_change.proposed}
    from directory.offers import quality

    expected = quality.listing_score(values)
    assert title.startswith(f"Fiche complète à {expected.score} %")
    service_change.association.refresh_from_db()
    assert f"publiée : {service_change.association.quality} %" in title
    assert [li.get_text() for li in block.select("li")] == expected.missing
    assert "Indiquez les langues parlées à l'accueil." in expected.missing


def test_a_new_listing_review_says_what_it_misses(moderator_client):
    change = builders.propose_new_listing(builders.make_user("fondateur"), "Cours du soir")
    page = builders.soup(moderator_client.get(reverse("admin:moderation_change", args=[change.pk])))
    block = page.select_one("#completeness")
    assert "publiée" not in block.h2.get_text()
    missing = [li.get_text() for li in block.select("li")]
    assert "Donnez un téléphone ou un e-mail." in missing
    assert "Décrivez ce que vous proposez, service par service." in missing


# The histories ---------------------------------------------------------------------------------


def test_admin_history_says_what_changed_in_services(moderator_client, moderator, service_change):
    editing_services.pending_change_approve(change=service_change, moderator=moderator)
    page = builders.soup(
        moderator_client.get(reverse("admin:moderation_history", args=[service_change.association_id]))
    )
    # Newest first: approved, proposed, approved (the first services), proposed.
    newest, _proposed, first = page.select("#history > li")[:3]
    cell = newest.select_one("td.diff-words")
    assert cell.find_previous_sibling("th").get_text() == "Services"
    assert [li.get_text() for li in cell.select("li")] == [
        "Service « Cours de français » mis en pause jusqu'au 31 janvier 2027 ; modifié : tarifs, détail des tarifs",
        "Service « Colis alimentaire » ajouté",
        "Service « Aide aux devoirs » retiré",
    ]
    assert [li.get_text() for li in first.select("td.diff-words li")] == [
        "Service « Cours de français » ajouté",
        "Service « Aide aux devoirs » ajouté",
    ]


def test_association_space_history_says_what_changed_in_services(client, listing, manager, with_services):
    change = builders.propose_edit(listing, manager, phone="04 72 00 11 22", services=[FRENCH])
    editing_services.pending_change_approve(change=change, moderator=builders.make_moderator("seconde"))
    client.force_login(manager)
    page = builders.soup(client.get(reverse("directory:manage", args=[listing.slug])))
    newest = page.select("#history > li")[0]
    assert [li.get_text() for li in newest.select(".history-services li")] == [
        "Service « Aide aux devoirs » retiré"
    ]
    assert "le téléphone" in newest.get_text()
    # An entry without a service change has no list.
    assert not [li for li in page.select("#history > li") if "proposé" in li.get_text() and li.ul]


# The manager's pending view ----------------------------------------------------------------------


def test_pending_view_shows_each_changed_service(client, manager, service_change, django_assert_num_queries):
    client.force_login(manager)
    url = reverse("directory:pending_change", args=[service_change.association.slug])
    # 1. session   2. user   3. the listing (with "do I manage it")   4-9. its values (categories,
    # audiences, languages, places, photos, services)   10. the services' places   11. its open change
    with django_assert_num_queries(11):
        response = client.get(url)
    page = builders.soup(response)
    blocks = page.select("#service-changes > section")
    assert [b.h3.get_text(" ", strip=True) for b in blocks] == [
        "« Cours de français » · modifié",
        "« Colis alimentaire » · ajouté",
        "« Aide aux devoirs » · retiré",
    ]
    assert (
        blocks[0]
        .select_one(".service-change__sentence")
        .get_text()
        .startswith("Service « Cours de français » mis en pause")
    )
    changed = [th.get_text() for th in blocks[0].select("tbody th")]
    assert changed == ["Tarifs", "Détail des tarifs", "État", "En pause jusqu'au"]
    added = {tr.th.get_text(): tr.td.get_text() for tr in blocks[1].select("tbody tr")}
    assert added["Accueil"] == "Sur rendez-vous"
    assert not blocks[2].select("table")
    # No long line of services among the other fields (none changed here: no fields table).
    assert all(table.find_parent(id="service-changes") for table in page.select("table.comparison"))


# The association space: how complete the listing is ----------------------------------------------


def test_manage_page_says_how_complete_the_listing_is(client, listing, manager):
    client.force_login(manager)
    url = reverse("directory:manage", args=[listing.slug])
    block = builders.soup(client.get(url)).select_one("#completeness")
    listing.refresh_from_db()
    assert block.h2.get_text(strip=True) == f"Fiche complète à {listing.quality} %"
    missing = [li.get_text() for li in block.select(".quality-missing li")]
    assert "Décrivez ce que vous proposez, service par service." in missing

    # With a pending change: what the listing will be once it is published.
    builders.propose_edit(listing, manager, services=[FRENCH], languages=["fr"])
    block = builders.soup(client.get(url)).select_one("#completeness")
    assert "modification en attente" in block.get_text()
    missing_now = [li.get_text() for li in block.select(".quality-missing li")]
    assert "Décrivez ce que vous proposez, service par service." not in missing_now
    assert "Indiquez les langues parlées à l'accueil." not in missing_now
    assert int(block.h2.get_text().split("à")[1].split("%")[0]) > listing.quality


def test_dashboard_links_each_listing_to_what_it_misses(client, listing, manager):
    client.force_login(manager)
    listing.refresh_from_db()
    # The stored score: no query more than the dashboard's (tests/test_editor_queries.py).
    page = builders.soup(client.get(reverse("directory:dashboard")))
    link = page.select_one("#my-associations .completeness a")
    assert link.get_text() == f"Fiche complète à {listing.quality} %"
    assert link["href"] == reverse("directory:manage", args=[listing.slug]) + "#completeness"


def test_each_proposed_service_says_what_it_misses(moderator_client, service_change):
    page = builders.soup(moderator_client.get(reverse("admin:moderation_change", args=[service_change.pk])))
    from directory.offers import quality

    parcels = quality.service_score(service_change.proposed["services"][1], service_change.proposed)
    text = page.select_one("#service-quality-2").get_text(" ", strip=True)
    assert text.startswith(f"Complet à {parcels.score} % — pour être plus utile :")
    assert "Choisissez au moins un besoin auquel le service répond." in text
    assert not page.select("#service-quality-3")  # the removed service: nothing to complete

    new = builders.propose_new_listing(
        builders.make_user("fondatrice"), "Maison des langues", services=[FRENCH]
    )
    page = builders.soup(moderator_client.get(reverse("admin:moderation_change", args=[new.pk])))
    assert page.select_one("#proposal-service-1 #service-quality-1").get_text().startswith("Complet à")


def test_a_sent_listing_shows_its_services_one_block_each(client):
    founder = builders.make_user("fondatrice")
    change = builders.propose_new_listing(founder, "Maison des langues", services=[FRENCH, HOMEWORK])
    client.force_login(founder)
    page = builders.soup(client.get(reverse("directory:pending_change", args=[change.association.slug])))
    assert "Services" not in [dt.get_text() for dt in page.select("#sent-values dt")]
    blocks = page.select("#service-changes > section")
    assert [b.h3.get_text(" ", strip=True) for b in blocks] == [
        "« Cours de français » · ajouté",
        "« Aide aux devoirs » · ajouté",
    ]
    rows = {tr.th.get_text(): tr.td.get_text() for tr in blocks[0].select("tbody tr")}
    assert rows["Lieux"] == "3 rue Paul Bert, Lyon 3e"
    assert rows["Langues parlées"] == "français, arabe"
