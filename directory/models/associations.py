from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connections, models
from django.db.models import Count, Prefetch, Q, StringAgg, Value
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory import hours as hours_lib
from directory import links, reference
from directory.queries import OfIds, keep_rows
from directory.validators import validate_rna, validate_siret, validate_url_lines

from .areas import Area
from .categories import Audience, Category, Language
from .editing import Photo


class ListingFilters:
    """The search filters on related rows, shared by AssociationQuerySet and the narrow
    SearchRowQuerySet (directory/models/search.py), whose pk is the association's id.

    Filters on related rows are `pk IN (subquery)`, not EXISTS: the subquery runs once (a
    hash on PostgreSQL, a temporary index on SQLite) where SQLite would run an EXISTS once per
    listing (tests/test_search_plans.py)."""

    def in_area(self, area):
        """Associations with a place in the area or below it (Lyon includes its quartiers).

        The ids below the area come from the in-memory reference snapshot: a literal list lets
        the database estimate how few places match, and start from them.
        """
        area_ids = sorted(reference.get().area_descendant_ids(area))
        places = Place.objects.filter(Q(area_id__in=area_ids) | Q(quartier_id__in=area_ids))
        return self.filter(pk__in=places.values("association_id"))

    def in_category(self, category):
        """Associations in the category or one of its sub-categories (ids from the snapshot)."""
        return self.in_any_category([category])

    def in_any_category(self, categories):
        """Associations in one of the categories or their sub-categories (ids from the snapshot)."""
        snapshot = reference.get()
        category_ids = sorted(
            {pk for category in categories for pk in snapshot.category_descendant_ids(category)}
        )
        links = Association.categories.through.objects.filter(category_id__in=category_ids)
        return self.filter(pk__in=links.values("association_id"))

    def for_audience(self, audience):
        links = Association.audiences.through.objects.filter(audience_id=audience.pk)
        return self.filter(pk__in=links.values("association_id"))

    def speaking(self, language):
        links = Association.languages.through.objects.filter(language_id=language.pk)
        return self.filter(pk__in=links.values("association_id"))

    def wheelchair_accessible(self):
        places = Place.objects.filter(wheelchair=Place.Wheelchair.YES)
        return self.filter(pk__in=places.values("association_id"))


class AssociationQuerySet(ListingFilters, models.QuerySet):
    def published(self):
        return self.filter(status=Association.Status.PUBLISHED)

    def unconfirmed_submissions(self):
        """Listings proposed on the site and never published: pending, rejected, or withdrawn
        (back to draft). The RNA number they carry is not vouched for: the registry import
        takes it from them (directory.listings.services.rna_release_from_unconfirmed)."""
        return self.filter(
            source=Association.Source.SUBMITTED,
            status__in=[Association.Status.PENDING, Association.Status.REJECTED, Association.Status.DRAFT],
        )

    def for_listing(self):
        """The joins and prefetches of result lists: categories and places with their areas."""
        return self.prefetch_related(
            Prefetch("categories", queryset=Category.objects.select_related("parent")),
            Prefetch(
                "places",
                queryset=Place.objects.select_related("area__parent", "quartier").order_by("position", "pk"),
            ),
        )

    def for_cards(self):
        """What result cards, the API's lists and embeds read: for_listing() without the long
        columns (description, the imported registry row, the search text: about 1 KB a row) and
        without the categories' descriptions and synonyms, which no card shows."""
        return self.defer(*CARD_DEFERRED).prefetch_related(
            Prefetch(
                "categories",
                queryset=Category.objects.only("slug", "name", "name_en", "position", "parent_id"),
            ),
            Prefetch(
                "places",
                queryset=Place.objects.select_related("area__parent", "quartier").order_by("position", "pk"),
            ),
        )

    def cards(self):
        """{pk: listing} of the listings this queryset selects, with what a card reads (as
        for_cards()), in 2 plain queries: the listings without their long columns, with the ids
        of their categories in a column (the rows come from the in-memory reference snapshot),
        and their places (their areas from the snapshot). `association.categories.all()` and
        `places.all()` then read these rows, as after prefetch_related()."""
        return _with_card_rows(self.defer(*CARD_DEFERRED).annotate(**_card_columns()).in_bulk())

    def detail(self, *, news=True):
        """The one listing this queryset selects (filter it on a unique field) with everything
        its page shows, or None. Terminal, like `first()`.

        A page shows one listing, so its related rows are read with plain queries on its id
        rather than prefetches (a sliced prefetch compiles a window function, and each prefetch
        joins rows the in-memory reference snapshot already holds):
        1. the listing   2. its contents (_contents): the ids of its categories, audiences and
        languages, whose rows come from directory.reference, and which of its photos, news
        items, volunteer needs, events and services tables hold any row for it   3. its places (their areas from
        the snapshot)   4. its public photos, if it has photos   4b. its services and 4c. the
        links to their places, if it has services (directory/models/offers.py).
        `news`: also 5. its latest news items, if it has any, 6. its current volunteer
        needs, if it has needs and is published (the listing page; not the API or the poster),
        and 7. its next event dates, if it has events and is published.
        Most listings (imported from the registry) have no photos, news or needs: 3 queries.
        `association.<relation>.all()` then reads these rows, as after prefetch_related().
        """
        association = next(iter(self.order_by()[:1]), None)
        if association is not None:
            _load_detail(association, news=news)
        return association


# What a listing page shows besides the listing (detail(news=True)).
NEWS_ON_LISTING = 5  # its latest news items
EVENTS_ON_LISTING = 5  # its next event dates ("Prochains rendez-vous")
NEEDS_ON_LISTING = 10  # its current volunteer needs


def published_cards(ids):
    """cards() of the published listings among these ids (a page of search results, which the
    search's cached ids may hold unpublished since): the same two queries, each compiled once
    per process (queries.OfIds)."""
    return _with_card_rows({association.pk: association for association in PUBLISHED_CARDS.instances(ids)})


# Read with a card's listing (_card_columns): the ids of its categories (_category_ids), and
# how many services it has, so that a page whose listings have none (most of the registry's)
# reads no services (offers.search.attach_services).
CATEGORY_IDS = "card_category_ids"
SERVICE_COUNT = "card_service_count"


def _card_columns():
    return {CATEGORY_IDS: _category_ids(), SERVICE_COUNT: Count("services", distinct=True)}


def _category_ids():
    """The ids of a listing's categories as one column of its query ("3,17": the links joined
    and aggregated, no subquery per listing), read back by _ids_of. A query of the links of a
    page's listings was one more round trip for every page of cards (4 queries a results page
    instead of 3)."""
    return StringAgg(Cast("categories__id", models.CharField()), delimiter=Value(","))


def _ids_of(column):
    """The category ids of _category_ids()'s column (an id may come more than once, once per
    service of the listing: the services are joined for SERVICE_COUNT)."""
    return [int(pk) for pk in column.split(",")] if column else []


def _with_card_rows(by_pk):
    """Keeps on each listing of {pk: listing}, read with its category ids (CATEGORY_IDS), its
    categories (from the reference snapshot) and its places (one query)."""
    if not by_pk:
        return by_pk
    snapshot = reference.get()
    places = {pk: [] for pk in by_pk}
    for place in LISTING_PLACES.instances(by_pk):
        _areas_from_snapshot(place, snapshot)
        places[place.association_id].append(place)
    for pk, association in by_pk.items():
        rows = snapshot.rows("categories", _ids_of(getattr(association, CATEGORY_IDS)))
        _keep(association, "categories", rows if rows is not None else association.categories.all())
        _keep(association, "places", places[pk])
    return by_pk


def _load_detail(association, *, news):
    snapshot = reference.get()
    links, present = _contents(association)
    for relation, ids in links.items():
        rows = snapshot.rows(relation, ids)
        if rows is None:  # a row the snapshot does not hold yet
            rows = getattr(association, relation).all()
        _keep(association, relation, rows)

    # Compiled once per process (queries.OfIds): every listing page reads them.
    places = LISTING_PLACES.instances([association.pk])
    for place in places:
        place.association = association  # as the related manager sets it
        _areas_from_snapshot(place, snapshot)
    _keep(association, "places", places)
    photos = []
    if "photos" in present:
        photos = association.photos.filter(is_public=True, kind=Photo.Kind.PHOTO).order_by("position", "pk")
    _keep(association, "photos", photos)
    _keep(association, "services", _services(association, places) if "services" in present else [])
    if not news:
        return
    association.latest_news = []
    if "news_items" in present:
        association.latest_news = list(association.news_items.visible()[:NEWS_ON_LISTING])
    association.current_needs = []
    if "volunteer_needs" in present and association.is_published:  # unpublished: none shown
        by_pk = {place.pk: place for place in places}
        needs = association.volunteer_needs.filter(archived=False, ends_on__gte=timezone.localdate())
        association.current_needs = list(needs.order_by("ends_on", "pk")[:NEEDS_ON_LISTING])
        for need in association.current_needs:
            if need.place_id in by_pk:
                need.place = by_pk[need.place_id]
            if need.area_id is not None:
                need.area = snapshot.areas_by_id.get(need.area_id) or need.area
    association.next_occurrences = []
    if "events" in present and association.is_published:  # unpublished: none shown
        association.next_occurrences = _next_occurrences(association, places)


def _services(association, places):
    """The listing's services in order, each with its places from `places` (2 queries: the
    services, the links to their places). The service model through the reverse relation
    (directory/models/offers.py imports this module)."""
    services = list(association.services.order_by("position", "pk"))
    through = association.services.model.places.through
    by_pk = {place.pk: place for place in places}
    linked = {service.pk: [] for service in services}
    for service_id, place_id in through.objects.filter(service_id__in=linked).values_list(
        "service_id", "place_id"
    ):
        if place_id in by_pk:
            linked[service_id].append(by_pk[place_id])
    for service in services:
        _keep(service, "places", sorted(linked[service.pk], key=lambda place: (place.position, place.pk)))
    return services


def _next_occurrences(association, places):
    """The listing's next event dates ("Prochains rendez-vous"), their places from `places`."""
    # The occurrence model through the reverse relations (directory/models/agenda.py imports
    # this module, so it is not imported here).
    occurrence_model = association.events.model.occurrences.rel.related_model
    upcoming = occurrence_model.objects.filter(event__association=association, event__archived=False)
    occurrences = list(upcoming.upcoming().select_related("event")[:EVENTS_ON_LISTING])
    by_pk = {place.pk: place for place in places}
    for occurrence in occurrences:
        occurrence.event.place = by_pk.get(occurrence.event.place_id)
    return occurrences


# The long columns no card reads (for_cards(), cards()): about 1 KB a row.
CARD_DEFERRED = ("description", "rna_imported", "datainclusion_imported", "search_text")
LINKS = ("categories", "audiences", "languages")  # many-to-many: the ids of the rows
OPTIONAL = ("photos", "news_items", "volunteer_needs", "events", "services")  # reverse foreign keys: any row?


def _contents(association):
    """({relation: ids} of LINKS, {relations of OPTIONAL with a row for the listing}).

    One plain SQL query, a UNION ALL: the rows of the three link tables, and an EXISTS on each
    optional table (any row, whatever its state: the page's own query then filters them; none
    means no query at all). Plain SQL because the ORM takes longer to build this UNION than the
    database to answer it; table and column names come from the models' metadata, quoted."""
    connection = connections[association._state.db or "default"]
    quote = connection.ops.quote_name
    parts = []
    for index, relation in enumerate(LINKS):
        field = Association._meta.get_field(relation)
        parts.append(
            f"SELECT {index}, {quote(field.m2m_reverse_name())}"  # noqa: S608
            f" FROM {quote(field.m2m_db_table())} WHERE {quote(field.m2m_column_name())} = %s"
        )
    for index, relation in enumerate(OPTIONAL, start=len(LINKS)):
        rel = Association._meta.get_field(relation)
        table, column = rel.related_model._meta.db_table, rel.field.column
        parts.append(
            f"SELECT {index}, 0 WHERE EXISTS"  # noqa: S608
            f" (SELECT 1 FROM {quote(table)} WHERE {quote(column)} = %s)"
        )
    links, present = {relation: [] for relation in LINKS}, set()
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), [association.pk] * len(parts))
        for index, pk in cursor.fetchall():
            if index < len(LINKS):
                links[LINKS[index]].append(pk)
            else:
                present.add(OPTIONAL[index - len(LINKS)])
    return links, present


def _areas_from_snapshot(place, snapshot):
    """Give a place its area and quartier from the reference snapshot (no query); one the
    snapshot does not hold yet is read from the database."""
    place.area = snapshot.areas_by_id.get(place.area_id) or place.area
    if place.quartier_id is not None:
        place.quartier = snapshot.areas_by_id.get(place.quartier_id) or place.quartier


def _keep(instance, relation, rows):
    """Keeps `rows` (a queryset, evaluated here, or a list) as `instance.<relation>.all()`, the
    way prefetch_related() stores what it read (a list: queries.keep_rows, without a reference
    cycle)."""
    if isinstance(rows, list):
        keep_rows(instance, relation, rows)
        return
    rows._fetch_all()
    rows._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[relation] = rows


class Association(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        PENDING = "pending", _("En attente de validation")
        PUBLISHED = "published", _("Publiée")
        REJECTED = "rejected", _("Refusée")
        ARCHIVED = "archived", _("Archivée")

    class Source(models.TextChoices):
        SUBMITTED = "submitted", _("Proposée par l'association")
        RNA = "rna", _("Import du Répertoire national des associations")
        MODERATOR = "moderator", _("Ajoutée par un modérateur")
        DATAINCLUSION = "datainclusion", _("Import data·inclusion")

    class Fees(models.TextChoices):
        FREE = "free", _("Gratuit")
        MEMBERSHIP = "membership", _("Adhésion")
        PAID = "paid", _("Payant")
        UNKNOWN = "", _("Non précisé")

    class Reception(models.TextChoices):
        WALK_IN = "walk_in", _("Sans rendez-vous")
        APPOINTMENT = "appointment", _("Sur rendez-vous")
        BOTH = "both", _("Avec ou sans rendez-vous")
        UNKNOWN = "", _("Non précisé")

    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    short_description = models.CharField(
        _("présentation courte"),
        max_length=280,
        blank=True,
        help_text=_("En une ou deux phrases : ce que fait l'association, pour qui."),
    )
    description = models.TextField(_("description"), blank=True)
    categories = models.ManyToManyField(
        Category, verbose_name=_("catégories"), related_name="associations", blank=True
    )
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("site web"), max_length=300, blank=True)
    social_links = models.TextField(
        _("réseaux sociaux"),
        blank=True,
        validators=[validate_url_lines],
        help_text=_("Une adresse par ligne (Facebook, Instagram, Mastodon…)."),
    )
    audiences = models.ManyToManyField(
        Audience, verbose_name=_("publics"), related_name="associations", blank=True
    )
    languages = models.ManyToManyField(
        Language, verbose_name=_("langues parlées"), related_name="associations", blank=True
    )
    fees = models.CharField(_("tarifs"), max_length=20, choices=Fees.choices, blank=True)
    fees_details = models.CharField(_("détail des tarifs"), max_length=240, blank=True)
    reception = models.CharField(_("accueil"), max_length=20, choices=Reception.choices, blank=True)
    volunteers_sought = models.BooleanField(_("cherche des bénévoles"), default=False)
    volunteers_details = models.CharField(_("bénévoles recherchés"), max_length=280, blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/%Y/", blank=True)
    rna = models.CharField(_("numéro RNA"), max_length=10, blank=True, validators=[validate_rna])
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, validators=[validate_siret])
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    status_changed_at = models.DateTimeField(_("statut modifié le"), default=timezone.now)
    source = models.CharField(_("origine"), max_length=20, choices=Source.choices, default=Source.SUBMITTED)
    is_demo = models.BooleanField(_("fiche de démonstration"), default=False)
    trusted = models.BooleanField(
        _("de confiance"),
        default=False,
        help_text=_("Les modifications de ses gestionnaires sont publiées sans attendre."),
    )
    created_at = models.DateTimeField(_("créée le"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("modifiée le"), default=timezone.now, editable=False)
    last_verified_at = models.DateField(_("informations vérifiées le"), null=True, blank=True)
    last_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vérifiées par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="directory.AssociationManager",
        verbose_name=_("gestionnaires"),
        related_name="managed_associations",
        blank=True,
    )
    # Bumped by every applied change: an editor form opened on an older version is a conflict.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # What the listing misses to be useful, 0 to 100 (directory/offers/quality.py), for the
    # moderators' sorting; refreshed with its search structures.
    quality = models.PositiveSmallIntegerField(_("qualité"), default=0, editable=False, db_index=True)
    # RNA import (directory/rna/): the values last imported from the registry, {field: value}.
    # On re-import a field is updated only while it still holds that value (nobody edited it).
    rna_imported = models.JSONField(_("valeurs importées du RNA"), default=dict, blank=True, editable=False)
    rna_updated_at = models.DateTimeField(_("mise à jour RNA du"), null=True, blank=True, editable=False)
    # data·inclusion import (directory/offers/importer.py). A listing it created (source
    # "datainclusion") names the structure it came from: producer ("dora"), the structure's id,
    # its page there and its date. Every listing a structure was matched to keeps, per structure
    # id, the digest of the rows last read and the values last imported ({id: {"digest",
    # "values"}}): an unchanged row writes nothing, and a value someone edited since is kept.
    source_producer = models.CharField(_("producteur à la source"), max_length=60, blank=True)
    source_id = models.CharField(_("identifiant à la source"), max_length=200, blank=True)
    source_url = models.URLField(_("page à la source"), max_length=500, blank=True)
    source_updated_at = models.DateField(_("mise à jour à la source le"), null=True, blank=True)
    datainclusion_imported = models.JSONField(
        _("valeurs importées de data·inclusion"), default=dict, blank=True, editable=False
    )
    # Accent-free, lowercase text used by search; rebuilt by services.refresh_search_text().
    search_name = models.CharField(max_length=200, blank=True, editable=False)
    search_text = models.TextField(blank=True, editable=False)

    objects = AssociationQuerySet.as_manager()

    class Meta:
        verbose_name = _("association")
        verbose_name_plural = _("associations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["rna"], condition=~Q(rna=""), name="unique_rna_when_set"),
        ]
        indexes = [
            models.Index(fields=["status", "search_name"], name="assoc_status_name"),
            # Lets "published ids" be an index-only scan: the row itself is wide (texts, vectors).
            models.Index(fields=["status", "id"], name="assoc_status_id"),
            models.Index(fields=["status", "-created_at"], name="assoc_status_created"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return links.slug_url("directory:association", self.slug)

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    @property
    def main_place(self):
        places = list(self.places.all())
        return places[0] if places else None

    @property
    def social_link_list(self):
        return [line.strip() for line in self.social_links.splitlines() if line.strip()]

    @property
    def is_free(self):
        return self.fees == self.Fees.FREE

    @property
    def walk_in(self):
        return self.reception in (self.Reception.WALK_IN, self.Reception.BOTH)


class Place(models.Model):
    """Where an association receives people: its seat, a branch or a weekly permanence."""

    class Kind(models.TextChoices):
        SEAT = "seat", _("Siège")
        BRANCH = "branch", _("Antenne")
        PERMANENCE = "permanence", _("Permanence")

    class Wheelchair(models.TextChoices):
        YES = "yes", _("Accessible en fauteuil roulant")
        PARTIAL = "partial", _("Partiellement accessible")
        NO = "no", _("Non accessible en fauteuil roulant")
        UNKNOWN = "", _("Accessibilité non précisée")

    class PublicHolidays(models.TextChoices):
        CLOSED = "closed", _("Fermé les jours fériés")
        OPEN = "open", _("Ouvert les jours fériés, aux horaires habituels")

    class SchoolHolidays(models.TextChoices):
        SAME = "same", _("Mêmes horaires pendant les vacances scolaires")
        HOURS = "hours", _("Autres horaires pendant les vacances scolaires")
        CLOSED = "closed", _("Fermé pendant les vacances scolaires")

    class LocationPrecision(models.TextChoices):
        ADDRESS = "address", _("Adresse")
        AREA = "area", _("Centre de la commune")
        UNKNOWN = "", _("Non précisée")

    association = models.ForeignKey(
        Association, verbose_name=_("association"), on_delete=models.CASCADE, related_name="places"
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    kind = models.CharField(_("type de lieu"), max_length=20, choices=Kind.choices, default=Kind.SEAT)
    name = models.CharField(
        _("nom du lieu"), max_length=120, blank=True, help_text=_("Par exemple « Maison de quartier ».")
    )
    address = models.CharField(_("adresse"), max_length=250)
    postcode = models.CharField(_("code postal"), max_length=5)
    area = models.ForeignKey(
        Area,
        verbose_name=_("commune ou arrondissement"),
        on_delete=models.PROTECT,
        related_name="places",
        limit_choices_to={"kind__in": ["commune", "arrondissement"]},
    )
    quartier = models.ForeignKey(
        Area,
        verbose_name=_("quartier"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="quartier_places",
        limit_choices_to={"kind": "quartier"},
    )
    lat = models.FloatField(
        _("latitude"), null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    lon = models.FloatField(
        _("longitude"), null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    hours = models.JSONField(
        _("horaires"),
        default=dict,
        blank=True,
        validators=[hours_lib.validate_hours],
        help_text=_("Par jour (0 = lundi) : une liste de plages [ouverture, fermeture]."),
    )
    hours_note = models.CharField(
        _("précisions sur les horaires"),
        max_length=240,
        blank=True,
        help_text=_("Par exemple « fermé en août » ou « le 1er samedi du mois »."),
    )
    public_holidays = models.CharField(
        _("jours fériés"), max_length=6, choices=PublicHolidays.choices, default=PublicHolidays.CLOSED
    )
    school_holidays = models.CharField(
        _("vacances scolaires"), max_length=6, choices=SchoolHolidays.choices, default=SchoolHolidays.SAME
    )
    school_hours = models.JSONField(
        _("horaires des vacances scolaires"),
        default=dict,
        blank=True,
        validators=[hours_lib.validate_hours],
        help_text=_("Comme les horaires, lus quand « autres horaires » est choisi (zone A)."),
    )
    exceptions = models.JSONField(
        _("dates particulières"),
        default=list,
        blank=True,
        validators=[hours_lib.validate_exceptions],
        help_text=_("[{start, end, hours}] : fermé (hours vide) ou ouvert à ces horaires du … au …."),
    )
    closed_from = models.DateField(_("fermeture temporaire du"), null=True, blank=True)
    closed_until = models.DateField(_("au"), null=True, blank=True)
    closure_message = models.CharField(_("message de fermeture"), max_length=240, blank=True)
    wheelchair = models.CharField(
        _("accès fauteuil roulant"), max_length=10, choices=Wheelchair.choices, blank=True
    )
    location_precision = models.CharField(
        _("précision de la position"),
        max_length=10,
        choices=LocationPrecision.choices,
        blank=True,
        db_index=True,
        help_text=_("« Centre de la commune » tant que l'adresse n'a pas été géocodée."),
    )
    # The stations within walking distance, kept on the place so that cards read them with it
    # (directory/places/transit.py computes them when the feed is imported or the place moves).
    transit = models.JSONField(_("transports à proximité"), default=list, blank=True, editable=False)

    class Meta:
        verbose_name = _("lieu d'accueil")
        verbose_name_plural = _("lieux d'accueil")
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["lat", "lon"], name="place_lat_lon")]

    def __str__(self):
        return self.name or self.address

    @property
    def full_address(self):
        return f"{self.address}, {self.postcode} {self.city_name}"

    @property
    def city_name(self):
        """The town as in a postal address, in French ('Lyon 3e', 'Villeurbanne')."""
        if self.area.kind == Area.Kind.ARRONDISSEMENT:
            return self.area.short_name
        return self.area.name

    @property
    def city_label(self):
        """The town in the active language, outside addresses ('Lyon 3rd' in English)."""
        return self.area.short_label

    def is_temporarily_closed(self, day=None):
        day = day or timezone.localdate()
        if not self.closed_from:
            return False
        return self.closed_from <= day and (self.closed_until is None or day <= self.closed_until)

    def opening_status(self, now=None):
        """The place's opening status at `now` (default: the clock), calendar included."""
        from directory.opening import calendar, rules

        return rules.status(
            rules.Rules.of_place(self), calendar.now() if now is None else timezone.localtime(now)
        )

    @property
    def weekly_hours(self):
        return hours_lib.weekly(self.hours)


class SlugRedirect(models.Model):
    """An old slug of a renamed listing; it answers 301 to the current one."""

    old_slug = models.SlugField(_("ancien slug"), max_length=220, unique=True)
    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="slug_redirects")
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)

    class Meta:
        verbose_name = _("ancienne adresse")
        verbose_name_plural = _("anciennes adresses")

    def __str__(self):
        return f"{self.old_slug} → {self.association.slug}"


class AssociationChange(models.Model):
    """One logged change to a listing: who, when, from where, and each field's old and new value."""

    class Origin(models.TextChoices):
        MANAGER = "manager", _("Gestionnaire")
        MODERATOR = "moderator", _("Modérateur")
        IMPORT = "import", _("Import")
        SYSTEM = "system", _("Système")

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="changes")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    origin = models.CharField(_("origine"), max_length=20, choices=Origin.choices)
    action = models.CharField(_("action"), max_length=40)
    changes = models.JSONField(_("champs modifiés"), default=dict, blank=True)
    created_at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("modification de fiche")
        verbose_name_plural = _("historique des fiches")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.association} · {self.action} · {self.created_at:%Y-%m-%d %H:%M}"


# The queries of cards(), written by the ORM once per process (queries.OfIds).
PUBLISHED_CARDS = OfIds(
    lambda ids: (
        Association.objects.published().filter(pk__in=ids).defer(*CARD_DEFERRED).annotate(**_card_columns())
    )
)
# The places of some listings, in order: a page of cards', a listing page's, and those
# directory/opening/index.py rebuilds the opening slots of.
LISTING_PLACES = OfIds(lambda ids: Place.objects.filter(association_id__in=ids).order_by("position", "pk"))
