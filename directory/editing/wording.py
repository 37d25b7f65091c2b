"""A listing's state and history in words, for the people who manage it: "En attente de
validation — réponse sous 3 jours en général", "Vous avez modifié les horaires", "Un modérateur
a publié la fiche", rather than status codes, action codes and field names."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.listings import state
from directory.models import Association, AssociationChange, PendingChange

if TYPE_CHECKING:
    from directory.access import User

# Past participle phrases, French word order ("Vous avez <what>", "Un modérateur a <what>").
ACTIONS = {
    "created": gettext_lazy("créé la fiche"),
    "change_proposed": gettext_lazy("proposé une modification"),
    "change_amended": gettext_lazy("complété la modification en attente"),
    "change_withdrawn": gettext_lazy("retiré la modification en attente"),
    "change_rejected": gettext_lazy("refusé la modification"),
    "status:published": gettext_lazy("publié la fiche"),
    "status:archived": gettext_lazy("archivé la fiche"),
    "status:rejected": gettext_lazy("refusé la fiche"),
    "status:draft": gettext_lazy("remis la fiche en brouillon"),
    "status:pending": gettext_lazy("remis la fiche en attente de validation"),
    "verified": gettext_lazy("confirmé que la fiche est à jour"),
    "rna_released": gettext_lazy("retiré le numéro RNA de la fiche"),
    "slug": gettext_lazy("changé l'adresse de la fiche"),
    "manager_added": gettext_lazy("ajouté un gestionnaire"),
    "manager_removed": gettext_lazy("retiré un gestionnaire"),
    "manager_left": gettext_lazy("quitté la gestion de la fiche"),
    "manager_invited": gettext_lazy("invité un gestionnaire"),
    "invitation_revoked": gettext_lazy("annulé une invitation"),
    "manager_account_deleted": gettext_lazy("retiré un gestionnaire dont le compte est supprimé"),
    "claim_requested": gettext_lazy("demandé à gérer la fiche"),
    "claim_refused": gettext_lazy("refusé une demande de gestion"),
    "news_published": gettext_lazy("publié une actualité"),
    "news_updated": gettext_lazy("modifié une actualité"),
    "news_archived": gettext_lazy("retiré une actualité"),
    "volunteer_need_published": gettext_lazy("publié une annonce de bénévolat"),
    "volunteer_need_updated": gettext_lazy("modifié une annonce de bénévolat"),
    "volunteer_need_archived": gettext_lazy("retiré une annonce de bénévolat"),
    "event_published": gettext_lazy("ajouté un événement à l'agenda"),
    "event_updated": gettext_lazy("modifié un événement de l'agenda"),
    "event_archived": gettext_lazy("retiré un événement de l'agenda"),
    "event_date_cancelled": gettext_lazy("annulé une date de l'agenda"),
    "calendar_imported": gettext_lazy("importé l'agenda de l'association"),
    "calendar_source_changed": gettext_lazy("changé l'agenda importé"),
    "help_request_created": gettext_lazy("demandé une aide numérique"),
    "help_request_cancelled": gettext_lazy("annulé une demande d'aide numérique"),
    "help_request_done": gettext_lazy("clos une demande d'aide numérique"),
    "help_offer_accepted": gettext_lazy("accepté une offre d'aide numérique"),
}
# Actions whose logged fields are the point: "modifié les horaires et le téléphone".
FIELD_ACTIONS = {
    "updated": gettext_lazy("modifié %(fields)s"),
    "published_directly": gettext_lazy("modifié %(fields)s"),
    "rna_update": gettext_lazy("mis à jour %(fields)s depuis le registre"),
    "change_approved": gettext_lazy("validé la modification : %(fields)s"),
}
# The actions whose code carries an id: "reverted:12", "merged:4", "report_resolved".
PREFIXES = {
    "reverted:": gettext_lazy("rétabli une version précédente de la fiche"),
    "merged:": gettext_lazy("fusionné une fiche en double avec celle-ci"),
    "merged_into:": gettext_lazy("fusionné cette fiche avec une autre"),
    "report_": gettext_lazy("traité un signalement"),
}
FIELDS = {
    "name": gettext_lazy("le nom"),
    "short_description": gettext_lazy("la présentation courte"),
    "description": gettext_lazy("la description"),
    "phone": gettext_lazy("le téléphone"),
    "email": gettext_lazy("l'adresse e-mail"),
    "website": gettext_lazy("le site web"),
    "social_links": gettext_lazy("les réseaux sociaux"),
    "fees": gettext_lazy("les tarifs"),
    "fees_details": gettext_lazy("le détail des tarifs"),
    "reception": gettext_lazy("les conditions d'accueil"),
    "volunteers_sought": gettext_lazy("la recherche de bénévoles"),
    "volunteers_details": gettext_lazy("le détail du bénévolat"),
    "rna": gettext_lazy("le numéro RNA"),
    "siret": gettext_lazy("le SIRET"),
    "categories": gettext_lazy("les besoins"),
    "audiences": gettext_lazy("les publics"),
    "languages": gettext_lazy("les langues"),
    "logo": gettext_lazy("le logo"),
    "photos": gettext_lazy("les photos"),
    "services": gettext_lazy("les services"),
    "slug": gettext_lazy("l'adresse de la fiche"),
    "status": gettext_lazy("le statut"),
    "trusted": gettext_lazy("la confiance accordée à la fiche"),
    "last_verified_at": gettext_lazy("la date de vérification"),
    "source": gettext_lazy("l'origine de la fiche"),
    "managers": gettext_lazy("les gestionnaires"),
}
# A place's values that are its hours: a change of only these is "les horaires".
HOURS_KEYS = set(state.PLACE_HOURS_FIELDS)


def _places_phrase(old: Any, new: Any) -> str:
    old, new = old or [], new or []
    if len(old) == len(new) and old:
        only_hours = all(
            {k for k in {*a, *b} if a.get(k) != b.get(k)} <= HOURS_KEYS
            for a, b in zip(old, new, strict=True)
            if isinstance(a, dict) and isinstance(b, dict)
        )
        if only_hours:
            return _("les horaires")
    return _("les lieux d'accueil")


def fields_phrase(changes: dict[str, Any] | None) -> str:
    """ "le téléphone, les horaires et le logo": the changed fields in words."""
    parts: list[str] = []
    for name, values in (changes or {}).items():
        if name == "places" and isinstance(values, dict):
            parts.append(_places_phrase(values.get("old"), values.get("new")))
        elif name in FIELDS:
            parts.append(str(FIELDS[name]))
    parts = list(dict.fromkeys(parts))
    if not parts:
        return _("la fiche")
    if len(parts) == 1:
        return parts[0]
    return _("%(list)s et %(last)s") % {"list": ", ".join(parts[:-1]), "last": parts[-1]}


def _what(entry: AssociationChange) -> str:
    action = entry.action
    if action in FIELD_ACTIONS:
        return str(FIELD_ACTIONS[action]) % {"fields": fields_phrase(entry.changes)}
    if action in ACTIONS:
        what = str(ACTIONS[action])
        if action == "change_rejected":
            reason = ((entry.changes or {}).get("rejection_reason") or {}).get("new")
            label = dict(PendingChange.RejectionReason.choices).get(str(reason or ""))
            if label:
                what = _("%(what)s (motif : %(reason)s)") % {"what": what, "reason": str(label).lower()}
        return what
    for prefix, phrase in PREFIXES.items():
        if action.startswith(prefix):
            return str(phrase)
    return _("modifié la fiche")


def _who(entry: AssociationChange, user: User) -> str | None:
    """The third person who acted, or None for "you"."""
    if entry.actor_id is not None and entry.actor_id == user.pk:
        return None
    if entry.origin == AssociationChange.Origin.MODERATOR:
        return _("Un modérateur")
    if entry.origin == AssociationChange.Origin.IMPORT:
        return _("L'import du registre national")
    if entry.origin == AssociationChange.Origin.SYSTEM:
        return _("Lyon Assos")
    if entry.action == "claim_requested":
        return _("Une personne qui revendique la fiche")
    if entry.actor_id is None:
        return _("Un compte supprimé")
    return _("Un autre gestionnaire")


def history_sentence(entry: AssociationChange, user: User) -> str:
    """One line of a listing's history as its manager reads it, never another person's address."""
    what = _what(entry)
    who = _who(entry, user)
    if who is None:
        return _("Vous avez %(what)s.") % {"what": what}
    return _("%(who)s a %(what)s.") % {"who": who, "what": what}


def status_text(association: Association, change: PendingChange | None) -> str:
    """The listing's status in plain words, with what happens next."""
    status = association.status
    if status == Association.Status.PENDING or (
        change is not None and change.kind == PendingChange.Kind.NEW_LISTING
    ):
        return _("En attente de validation — réponse sous 3 jours en général.")
    if status == Association.Status.PUBLISHED:
        return _("Publiée : visible par tous.")
    if status == Association.Status.DRAFT:
        return _("Brouillon : pas publiée, pas envoyée aux modérateurs.")
    if status == Association.Status.REJECTED:
        return _("Refusée par les modérateurs : elle n'est pas publiée.")
    if status == Association.Status.ARCHIVED:
        return _("Archivée : elle n'apparaît plus dans l'annuaire.")
    return str(association.get_status_display())


def preview_notice(association: Association, change: PendingChange | None) -> tuple[str, bool]:
    """The one banner of the preview: (text, is a warning)."""
    if not association.is_published:
        if change is not None:
            return (
                _(
                    "En attente de validation — réponse sous 3 jours en général. Cette fiche n'est pas "
                    "encore publique : vous la voyez parce que vous la gérez."
                ),
                False,
            )
        return (
            _("Cette fiche n'est pas publique : vous la voyez parce que vous la gérez. %(status)s")
            % {"status": status_text(association, None)},
            True,
        )
    if change is not None:
        return (
            _(
                "Aperçu de la modification en attente de validation (réponse sous 3 jours en général). "
                "Les habitants voient encore la version publiée."
            ),
            False,
        )
    return "", False
