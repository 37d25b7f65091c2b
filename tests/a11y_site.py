"""The pages of the accessibility checks: rows that make every page render, and their addresses.

`build_site()` creates one small site (a rich listing with several places, hours, news and
photos, a claimable listing, a guide, a manager with an open change, tokens for the e-mailed
links) and returns the addresses of every public page and every association-area page.
`ERROR_POSTS` are the submissions with errors of every form (search filters aside): the server
answers each with the same page and its error summary. Used by tests/test_accessibility.py
(server side, BeautifulSoup) and tests/test_accessibility_browser.py (Chromium, axe-core).
"""

import io
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests import builders

MANAGER_EMAIL = "gestion@example.org"
PASSWORD = "pass-word-123"


@dataclass(frozen=True)
class Page:
    name: str  # shown in test ids and in the accessibility statement's sample
    path: str
    manager: bool = False  # logged in as the listing's manager
    status: int = 200


@dataclass(frozen=True)
class ErrorPost:
    """A submission with errors: POST `data` to `path`, expect the form again with errors."""

    name: str
    path: str
    data: dict
    manager: bool = False
    fields: tuple = ()  # the ids the summary must link to (at least these)


@dataclass
class Site:
    public: list
    area: list
    errors: list
    listing: object
    manager: object

    @property
    def pages(self):
        return self.public + self.area


def _photo(listing, alt):
    from PIL import Image

    from directory.images import process_image, store_image
    from directory.models.editing import Photo

    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (40, 120, 60)).save(buffer, "JPEG")
    processed = process_image(SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg"))
    Photo.objects.create(
        association=listing, width=processed.width, height=processed.height, alt=alt, **store_image(processed)
    )


def build_site():
    from directory.accounts.services import verification_token
    from directory.editing import services as editing_services
    from directory.models import Area, Invitation, ListingDraft, NewsItem, PendingSignup, VerificationReminder
    from directory.moderation import reminders

    listing = builders.make_association(
        "Maison des familles de la Guillotière",
        categories=["football", "aide-aux-devoirs"],
        area_slug="lyon-7",
        places=3,
        audiences=["enfants"] if builders.Audience.objects.filter(slug="enfants").exists() else (),
        languages=["ar", "en"],
        email="contact@familles.example",
        phone="04 78 12 34 56",
        website="https://www.maison-des-familles-de-la-guillotiere.example/une/adresse/tres/longue/",
        description=(
            "Accueil des familles, aide aux devoirs, sport.\n\n"
            "Adresse du site : https://www.maison-des-familles-de-la-guillotiere.example/"
            "activites/aide-aux-devoirs/inscriptions-2026-2027"
        ),
        fees="free",
        reception="walk_in",
        rna="W691000001",
    )
    manager = builders.make_manager(listing, "gestion")
    add_draft = ListingDraft.objects.create(
        user=manager, values={"name": "Jardin partagé des Pentes"}, steps_done=["identite", "offre"]
    )

    def add_step(slug):
        return f"/espace-association/ajouter/{add_draft.key}/{slug}/"

    NewsItem.objects.create(
        association=listing,
        title="Fête de quartier samedi",
        text="Venez nombreux, place Gabriel-Péri.",
        link="https://example.org/fete",
        created_by=manager,
    )
    _photo(listing, "La salle d'accueil")
    _photo(listing, "Le terrain de foot")
    claimable = builders.make_association(
        "Épicerie solidaire des Pentes",
        categories=["epicerie-solidaire"],
        area_slug="lyon-1",
        email="contact@pentes.example",
        rna="W691000002",
    )
    builders.make_association("Club de lecture de Vaise", categories=["soutien-scolaire"], area_slug="lyon-9")
    builders.propose_edit(listing, manager, phone="04 78 00 00 00")
    guide = builders.make_guide(  # every kind of block the guides' Markdown gives
        "Accueillir de nouveaux bénévoles",
        body=(
            "## Une partie\n\nUn paragraphe avec un [lien vers la CNIL](https://www.cnil.fr/).\n\n"
            "### Un détail\n\n- premier point ;\n- second point.\n\n"
            "| Outil | Prix |\n| --- | --- |\n| Site | 0 € |\n"
        ),
    )
    quartier = Area.objects.filter(kind=Area.Kind.QUARTIER, parent__slug="lyon-4").order_by("slug").first()

    pending = PendingSignup.objects.create(
        email="nouveau@example.org", password=make_password("pass-word-123")
    )
    verify = f"/compte/verifier/{verification_token(pending)}/"
    reset_uid = urlsafe_base64_encode(force_bytes(manager.pk))
    reset = f"/compte/mot-de-passe/nouveau/{reset_uid}/{default_token_generator.make_token(manager)}/"
    invitation = Invitation.objects.create(association=listing, email=MANAGER_EMAIL, invited_by=manager)
    reminder = VerificationReminder.objects.create(association=listing)
    confirm = f"/confirmer-la-fiche/{reminders.make_token(reminder, manager)}/"
    slug = listing.slug
    need = builders.make_need(listing, title="Accueil du samedi matin")
    help_request = builders.make_help_request(listing, manager)

    public = [
        Page("accueil", "/"),
        Page("résultats", "/associations/?q=football"),
        Page("résultats filtrés", "/associations/?categorie=sport&territoire=lyon-7&gratuit=1&sans_rdv=1"),
        Page("aucun résultat", "/associations/?q=zzzyyyxxx"),
        Page("résultats, paramètre invalide", "/associations/?territoire=nulle-part&tri=hasard"),
        Page("fiche", listing.get_absolute_url()),
        Page("fiche simple", claimable.get_absolute_url()),
        Page("besoin", "/categories/sport/"),
        Page("sous-besoin", "/categories/football/"),
        Page("toutes les communes", "/territoires/"),
        Page("commune", "/territoires/villeurbanne/"),
        Page("arrondissement", "/territoires/lyon-7/"),
        Page("quartier", f"/territoires/{quartier.slug}/"),
        Page("à propos", "/a-propos/"),
        Page("mentions légales", "/mentions-legales/"),
        Page("confidentialité", "/confidentialite/"),
        Page("accessibilité", "/accessibilite/"),
        Page("guides", "/guides/"),
        Page("un guide", f"/guides/{guide.slug}/"),
        Page("données ouvertes", "/donnees/"),
        Page("signaler", f"/associations/{slug}/signaler/"),
        Page("signalement envoyé", f"/associations/{slug}/signaler/merci/"),
        Page("liste imprimable", "/imprimer/?territoire=lyon-7&categorie=sport"),
        Page("affiche", f"/associations/{slug}/affiche/"),
        Page("connexion", "/compte/connexion/"),
        Page("inscription", "/compte/inscription/"),
        Page("inscription envoyée", "/compte/inscription/envoyee/"),
        Page("vérifier l'adresse", verify),
        Page("lien de vérification invalide", "/compte/verifier/faux-jeton/", status=400),
        Page("mot de passe oublié", "/compte/mot-de-passe/oubli/"),
        Page("mot de passe oublié, envoyé", "/compte/mot-de-passe/oubli/envoye/"),
        Page("nouveau mot de passe", reset),
        Page("lien de mot de passe invalide", f"/compte/mot-de-passe/nouveau/{reset_uid}/faux-jeton/"),
        Page("confirmer la fiche", confirm),
        Page("lien de confirmation invalide", "/confirmer-la-fiche/faux/", status=404),
        Page("page introuvable", "/associations/cette-fiche-n-existe-pas/", status=404),
        Page("bénévolat", "/benevolat/"),
        Page("une annonce de bénévolat", f"/benevolat/{need.pk}/"),
        Page("intégrer une liste", "/integrer/?categorie=sport&territoire=lyon-7"),
        Page("aidants numériques", "/aidants-numeriques/"),
        Page("bilan des aidants numériques", "/aidants-numeriques/bilan/"),
        Page("accueil en anglais", "/en/"),
        Page("résultats en anglais", "/en/associations/?q=football"),
        Page("fiche en anglais", f"/en/associations/{slug}/"),
    ]
    area = [
        Page("mon espace", "/espace-association/", manager=True),
        # The add form's densest step (its other steps: tests/test_add_steps_browser.py).
        Page("ajouter une association", add_step("lieux"), manager=True),
        Page("gérer la fiche", f"/espace-association/{slug}/", manager=True),
        Page("modifier la fiche", f"/espace-association/{slug}/modifier/lieux/", manager=True),
        Page("modification en attente", f"/espace-association/{slug}/modification/", manager=True),
        Page("aperçu", f"/espace-association/{slug}/apercu/", manager=True),
        Page("actualités", f"/espace-association/{slug}/actualites/", manager=True),
        Page(
            "invitation",
            f"/espace-association/invitation/{editing_services.invitation_token(invitation)}/",
            manager=True,
        ),
        Page("invitation invalide", "/espace-association/invitation/faux/", manager=True, status=400),
        Page("revendiquer", f"/associations/{claimable.slug}/revendiquer/", manager=True),
        Page("revendiquer : code", f"/associations/{claimable.slug}/revendiquer/code/", manager=True),
        Page("revendiquer : demande", f"/associations/{claimable.slug}/revendiquer/demande/", manager=True),
        Page("mon compte", "/compte/", manager=True),
        Page("changer d'adresse e-mail", "/compte/email/", manager=True),
        Page("changer de mot de passe", "/compte/mot-de-passe/", manager=True),
        Page("supprimer mon compte", "/compte/supprimer/", manager=True),
        Page("bénévolat de la fiche", f"/espace-association/{slug}/benevolat/", manager=True),
        Page("aide numérique de la fiche", f"/espace-association/{slug}/aide-numerique/", manager=True),
        Page(
            "une demande d'aide numérique",
            f"/espace-association/{slug}/aide-numerique/{help_request.pk}/",
            manager=True,
        ),
        Page("devenir aidant numérique", "/aidants-numeriques/inscription/", manager=True),
    ]
    human = builders.human_fields()
    errors = [
        ErrorPost(
            "connexion",
            "/compte/connexion/",
            {"username": MANAGER_EMAIL, "password": "faux"},
        ),
        ErrorPost(
            "inscription",
            "/compte/inscription/",
            {"email": "pas-une-adresse", "password1": "a", "password2": "b", **human},
            fields=("id_email",),
        ),
        ErrorPost(
            "mot de passe oublié",
            "/compte/mot-de-passe/oubli/",
            {"email": "pas-une-adresse", **human},
            fields=("id_email",),
        ),
        ErrorPost(
            "signaler",
            f"/associations/{slug}/signaler/",
            {"reason": "", "message": "", "email": "pas-une-adresse", **human},
            fields=("id_reason_0", "id_email"),
        ),
        ErrorPost(
            "changer de mot de passe",
            "/compte/mot-de-passe/",
            {"old_password": "faux", "new_password1": "a", "new_password2": "b"},
            manager=True,
            fields=("id_old_password",),
        ),
        ErrorPost(
            "changer d'adresse e-mail",
            "/compte/email/",
            {"new_email": "pas-une-adresse", "password": ""},
            manager=True,
        ),
        ErrorPost(
            "supprimer mon compte",
            "/compte/supprimer/",
            {"password": "faux"},
            manager=True,
        ),
        ErrorPost(
            "revendiquer",
            f"/associations/{claimable.slug}/revendiquer/",
            {"rna": "pas un RNA"},
            manager=True,
            fields=("id_rna",),
        ),
        ErrorPost(
            "revendiquer : code",
            f"/associations/{claimable.slug}/revendiquer/code/",
            {"code": "12"},
            manager=True,
            fields=("id_code",),
        ),
        ErrorPost(
            "revendiquer : demande",
            f"/associations/{claimable.slug}/revendiquer/demande/",
            {"role": ""},
            manager=True,
            fields=("id_role",),
        ),
        ErrorPost(
            "actualités",
            f"/espace-association/{slug}/actualites/",
            {"title": "", "text": "", "link": "javascript:alert(1)"},
            manager=True,
            fields=("id_title",),
        ),
        ErrorPost(
            "inviter",
            f"/espace-association/{slug}/gestionnaires/inviter/",
            {"email": "pas-une-adresse"},
            manager=True,
            fields=("id_email",),
        ),
        ErrorPost(
            "ajouter une association",
            add_step("lieux"),
            builders.listing_post_data(**{"places-0-address": "", "places-0-postcode": "123"}),
            manager=True,
            fields=("id_places-0-address", "id_places-0-postcode"),
        ),
        ErrorPost(
            "modifier la fiche",
            f"/espace-association/{slug}/modifier/tout/",
            builders.editor_post_data(listing, **{"listing-email": "pas-une-adresse"}),
            manager=True,
            fields=("id_listing-email",),
        ),
    ]
    return Site(public=public, area=area, errors=errors, listing=listing, manager=manager)


def page_names():
    """The names of the pages checked, for test ids (the same list as build_site)."""
    return PUBLIC_NAMES + AREA_NAMES


PUBLIC_NAMES = [
    "accueil",
    "résultats",
    "résultats filtrés",
    "aucun résultat",
    "résultats, paramètre invalide",
    "fiche",
    "fiche simple",
    "besoin",
    "sous-besoin",
    "toutes les communes",
    "commune",
    "arrondissement",
    "quartier",
    "à propos",
    "mentions légales",
    "confidentialité",
    "accessibilité",
    "guides",
    "un guide",
    "données ouvertes",
    "signaler",
    "signalement envoyé",
    "liste imprimable",
    "affiche",
    "connexion",
    "inscription",
    "inscription envoyée",
    "vérifier l'adresse",
    "lien de vérification invalide",
    "mot de passe oublié",
    "mot de passe oublié, envoyé",
    "nouveau mot de passe",
    "lien de mot de passe invalide",
    "confirmer la fiche",
    "lien de confirmation invalide",
    "page introuvable",
    "bénévolat",
    "une annonce de bénévolat",
    "intégrer une liste",
    "aidants numériques",
    "bilan des aidants numériques",
    "accueil en anglais",
    "résultats en anglais",
    "fiche en anglais",
]
AREA_NAMES = [
    "mon espace",
    "ajouter une association",
    "gérer la fiche",
    "modifier la fiche",
    "modification en attente",
    "aperçu",
    "actualités",
    "invitation",
    "invitation invalide",
    "revendiquer",
    "revendiquer : code",
    "revendiquer : demande",
    "mon compte",
    "changer d'adresse e-mail",
    "changer de mot de passe",
    "supprimer mon compte",
    "bénévolat de la fiche",
    "aide numérique de la fiche",
    "une demande d'aide numérique",
    "devenir aidant numérique",
]
ERROR_NAMES = [
    "connexion",
    "inscription",
    "mot de passe oublié",
    "signaler",
    "changer de mot de passe",
    "changer d'adresse e-mail",
    "supprimer mon compte",
    "revendiquer",
    "revendiquer : code",
    "revendiquer : demande",
    "actualités",
    "inviter",
    "ajouter une association",
    "modifier la fiche",
]
