from django.conf.urls.i18n import i18n_patterns
from django.urls import URLResolver, path
from django.urls.resolvers import RoutePattern

from directory import health, language
from directory.accounts import mydata
from directory.agenda import urls as agenda_urls
from directory.api import views as api
from directory.digital_help import views as helpers
from directory.editing import views as editor
from directory.guides import views as guides
from directory.listings import printing
from directory.listings import views as public
from directory.moderation import public as moderation
from directory.news import views as news
from directory.offers import views as offers
from directory.opendata import embed_views as embed
from directory.opendata import feeds, seo
from directory.opendata import views as opendata
from directory.phone import urls as phone_urls
from directory.phone.offline import keep_offline
from directory.places import views as places
from directory.search import views as suggest
from directory.volunteering import views as volunteering

app_name = "directory"


def language_prefixed(patterns):
    """The pages people read: French at /…, English at /en/… (settings.LANGUAGES).

    Django refuses i18n_patterns() at the top of an included URLconf, because LocaleMiddleware
    only looks for the language prefix in the root URLconf; lyonassos/urls.py has i18n_patterns()
    at its root (the account pages), which turns that detection on. Nesting the prefix one level
    down keeps every name in the one `directory` namespace while the API, the open-data files,
    the feeds and sitemaps (LANGUAGE_NEUTRAL, at the end) stay unprefixed: they read the same
    in any language.
    """
    return URLResolver(RoutePattern(""), i18n_patterns(*patterns, prefix_default_language=False))


urlpatterns = [
    # The home and listing pages may be kept by the service worker for reading offline.
    path("", keep_offline(public.home), name="home"),
    path("associations/", public.association_list, name="association_list"),
    path("associations/<slug:slug>/", keep_offline(public.association_detail), name="association"),
    path("associations/<slug:slug>/affiche/", printing.poster, name="poster"),
    path("associations/<slug:slug>/qr.svg", printing.qr_code, name="qr_code"),
    path("imprimer/", printing.printable_list, name="print_list"),
    path("categories/<slug:slug>/", public.category_detail, name="category"),
    path("territoires/", public.area_index, name="areas"),
    path("territoires/<slug:slug>/", public.area_detail, name="area"),
    path("a-propos/", public.page, {"template": "about"}, name="about"),
    path("mentions-legales/", public.page, {"template": "legal"}, name="legal"),
    path("confidentialite/", public.page, {"template": "privacy"}, name="privacy"),
    path("accessibilite/", public.page, {"template": "accessibility"}, name="accessibility"),
    path("guides/", guides.guide_list, name="guides"),
    path("guides/<slug:slug>/", guides.guide_detail, name="guide"),
    path("api/associations/", api.association_list, name="api_association_list"),
    path("api/associations/<slug:slug>/", api.association_detail, name="api_association"),
    path("api/services/", api.service_list, name="api_service_list"),
    path("api/categories/", api.category_list, name="api_category_list"),
    path("api/territoires/", api.area_list, name="api_area_list"),
    path("api/openapi.json", opendata.openapi_json, name="api_openapi"),
    # Open data, crawlers and feeds.
    path("donnees/", opendata.index, name="opendata"),
    path("donnees/associations.csv", opendata.associations_csv, name="opendata_csv"),
    path("donnees/associations.json", opendata.associations_json, name="opendata_json"),
    path(
        "donnees/data-inclusion/structures.json",
        opendata.datainclusion_structures,
        name="opendata_datainclusion",
    ),
    path(
        "donnees/data-inclusion/services.json",
        opendata.datainclusion_services,
        name="opendata_datainclusion_services",
    ),
    path("sitemap.xml", seo.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", seo.sitemap_section, name="sitemap_section"),
    path("robots.txt", seo.robots_txt, name="robots"),
    path("flux/associations.atom", feeds.NewAssociationsFeed(), name="feed_associations"),
    path("flux/categories/<slug:slug>.atom", feeds.CategoryFeed(), name="feed_category"),
    path("flux/territoires/<slug:slug>.atom", feeds.AreaFeed(), name="feed_area"),
    path("api/suggestions/", suggest.suggestions, name="api_suggestions"),
    path("api/lieux/", places.place_suggestions, name="api_places"),
    path("healthz", health.healthz, name="healthz"),
    # The language switcher's links: remember the visitor's pick, then the page in that language.
    path("langue/<str:code>/", language.language_choose, name="language_choose"),
]

# The association space: dashboard, add and edit a listing, claims, co-managers.
urlpatterns += [
    path("espace-association/", editor.dashboard, name="dashboard"),
    path("espace-association/ajouter/", editor.add, name="add"),
    path("espace-association/ajouter/commencer/", editor.add_start, name="add_start"),
    path("espace-association/ajouter/<uuid:key>/relire/", editor.add_review, name="add_review"),
    path("espace-association/ajouter/<uuid:key>/envoyer/", editor.add_submit, name="add_submit"),
    path("espace-association/ajouter/<uuid:key>/supprimer/", editor.add_discard, name="add_discard"),
    path("espace-association/ajouter/<uuid:key>/<slug:step>/", editor.add_step, name="add_step"),
    path("espace-association/invitation/<str:token>/", editor.invitation, name="invitation"),
    path("espace-association/mes-donnees/", mydata.my_data, name="my_data"),
    path("espace-association/<slug:slug>/", editor.manage, name="manage"),
    path("espace-association/<slug:slug>/modifier/", editor.edit, name="edit"),
    path("espace-association/<slug:slug>/modifier/relire/", editor.edit_review, name="edit_review"),
    path("espace-association/<slug:slug>/modifier/envoyer/", editor.edit_submit, name="edit_submit"),
    path("espace-association/<slug:slug>/modifier/abandonner/", editor.edit_discard, name="edit_discard"),
    path("espace-association/<slug:slug>/modifier/tout/", editor.edit_all, name="edit_all"),
    path("espace-association/<slug:slug>/modifier/<slug:step>/", editor.edit_step, name="edit_step"),
    path("espace-association/<slug:slug>/apercu/", editor.preview, name="preview"),
    path("espace-association/<slug:slug>/modification/", editor.pending_change, name="pending_change"),
    path(
        "espace-association/<slug:slug>/modification/retirer/",
        editor.pending_withdraw,
        name="pending_withdraw",
    ),
    path("espace-association/<slug:slug>/verifier/", editor.verify, name="verify"),
    path("espace-association/<slug:slug>/gestionnaires/inviter/", editor.invite, name="invite"),
    path(
        "espace-association/<slug:slug>/gestionnaires/invitations/<uuid:invitation_id>/annuler/",
        editor.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "espace-association/<slug:slug>/gestionnaires/<int:user_id>/retirer/",
        editor.manager_remove,
        name="manager_remove",
    ),
    path(
        "espace-association/<slug:slug>/demandes/<int:claim_id>/accepter/",
        editor.claim_accept,
        name="claim_accept",
    ),
    path(
        "espace-association/<slug:slug>/demandes/<int:claim_id>/refuser/",
        editor.claim_refuse,
        name="claim_refuse",
    ),
    path("associations/<slug:slug>/revendiquer/", editor.claim, name="claim"),
    path("associations/<slug:slug>/revendiquer/code/", editor.claim_code, name="claim_code"),
    path("associations/<slug:slug>/revendiquer/demande/", editor.claim_request, name="claim_request"),
]

# The services an association offers, edited through the same pending change as the listing.
urlpatterns += [
    path("espace-association/<slug:slug>/services/", offers.service_list, name="services"),
    path("espace-association/<slug:slug>/services/ajouter/", offers.service_add, name="service_add"),
    path(
        "espace-association/<slug:slug>/services/<int:position>/modifier/",
        offers.service_edit,
        name="service_edit",
    ),
    path(
        "espace-association/<slug:slug>/services/<int:position>/retirer/",
        offers.service_remove,
        name="service_remove",
    ),
]

# The listing as the association's website: short address, news items and their feed.
urlpatterns += [
    path("a/<slug:slug>", news.short_link, name="short_link"),
    path("espace-association/<slug:slug>/actualites/", news.news_list, name="news"),
    path(
        "espace-association/<slug:slug>/actualites/<int:news_id>/retirer/",
        news.news_archive,
        name="news_archive",
    ),
    path(
        "flux/associations/<slug:slug>/actualites.atom",
        feeds.AssociationNewsFeed(),
        name="feed_association_news",
    ),
    # Embeddable lists: the builder, and the list other sites frame.
    path("integrer/", embed.builder, name="embed_builder"),
    path("integrer/liste/", embed.embed_list, name="embed_list"),
]

# Volunteer needs: the public list, a need with its answer form, the managers' pages.
urlpatterns += [
    path("benevolat/", volunteering.volunteer_list, name="volunteer_list"),
    path("benevolat/<int:pk>/", volunteering.volunteer_need, name="volunteer_need"),
    path("benevolat/<int:pk>/merci/", volunteering.volunteer_thanks, name="volunteer_thanks"),
    path("flux/benevolat.atom", feeds.VolunteerNeedsFeed(), name="feed_volunteer_needs"),
    path("espace-association/<slug:slug>/benevolat/", volunteering.manage_needs, name="volunteer_manage"),
    path(
        "espace-association/<slug:slug>/benevolat/<int:need_id>/modifier/",
        volunteering.edit_need,
        name="volunteer_edit",
    ),
    path(
        "espace-association/<slug:slug>/benevolat/<int:need_id>/retirer/",
        volunteering.archive_need,
        name="volunteer_archive",
    ),
    path(
        "espace-association/<slug:slug>/benevolat/<int:need_id>/reponses/",
        volunteering.need_responses,
        name="volunteer_responses",
    ),
]

# Moderation: public reports, one-click confirmation from a verification reminder.
urlpatterns += [
    path("associations/<slug:slug>/signaler/", moderation.report, name="report"),
    path("associations/<slug:slug>/signaler/merci/", moderation.report_thanks, name="report_thanks"),
    path("confirmer-la-fiche/<str:token>/", moderation.confirm_listing, name="confirm_listing"),
    path(
        "confirmer-la-fiche/<str:token>/confirmer/",
        moderation.confirm_listing_post,
        name="confirm_listing_post",
    ),
]

# Digital helpers: volunteers who help associations get online.
urlpatterns += [
    path("aidants-numeriques/", helpers.landing, name="helpers"),
    path("aidants-numeriques/bilan/", helpers.achievements, name="helper_achievements"),
    path("aidants-numeriques/inscription/", helpers.helper_profile, name="helper_signup"),
    path("aidants-numeriques/mon-espace/", helpers.helper_space, name="helper_space"),
    path("aidants-numeriques/mon-espace/profil/", helpers.helper_profile, name="helper_profile"),
    path("aidants-numeriques/mon-espace/retirer/", helpers.helper_withdraw, name="helper_withdraw"),
    path("aidants-numeriques/demandes/<int:request_id>/", helpers.helper_request, name="helper_request"),
    path("aidants-numeriques/demandes/<int:request_id>/proposer/", helpers.helper_offer, name="helper_offer"),
    path(
        "aidants-numeriques/propositions/<int:offer_id>/retirer/",
        helpers.helper_offer_withdraw,
        name="helper_offer_withdraw",
    ),
    path(
        "aidants-numeriques/propositions/<int:offer_id>/bilan/",
        helpers.helper_feedback,
        name="helper_feedback",
    ),
    path("espace-association/<slug:slug>/aide-numerique/", helpers.help_requests, name="help_requests"),
    path(
        "espace-association/<slug:slug>/aide-numerique/<int:request_id>/",
        helpers.help_request_detail,
        name="help_request",
    ),
    path(
        "espace-association/<slug:slug>/aide-numerique/<int:request_id>/annuler/",
        helpers.help_request_cancel,
        name="help_request_cancel",
    ),
    path(
        "espace-association/<slug:slug>/aide-numerique/<int:request_id>/terminer/",
        helpers.help_request_done,
        name="help_request_done",
    ),
    path(
        "espace-association/<slug:slug>/aide-numerique/<int:request_id>/bilan/",
        helpers.help_request_feedback,
        name="help_request_feedback",
    ),
    path(
        "espace-association/<slug:slug>/aide-numerique/<int:request_id>/prevenir/<int:helper_id>/",
        helpers.help_request_invite,
        name="help_request_invite",
    ),
    path(
        "espace-association/<slug:slug>/aide-numerique/<int:request_id>/propositions/<int:offer_id>/accepter/",
        helpers.help_offer_accept,
        name="help_offer_accept",
    ),
    path(
        "espace-association/<slug:slug>/aide-numerique/<int:request_id>/propositions/<int:offer_id>/refuser/",
        helpers.help_offer_decline,
        name="help_offer_decline",
    ),
]

# Made for the phone: contact card, "Ma liste", the offline page and the service worker.
urlpatterns += phone_urls.urlpatterns
# The agenda: events and permanences, their .ics, feed, embed and the managers' pages.
urlpatterns += agenda_urls.urlpatterns

# Machine-read addresses, the same in every language (French data, no interface text to
# translate): never under /en/. Every other route above is a page, French at /… and English
# at /en/….
LANGUAGE_NEUTRAL = {
    "api_association_list",
    "api_association",
    "api_service_list",
    "api_category_list",
    "api_area_list",
    "api_openapi",
    "opendata_csv",
    "opendata_json",
    "opendata_datainclusion",
    "opendata_datainclusion_services",
    "sitemap",
    "sitemap_section",
    "robots",
    "feed_associations",
    "feed_category",
    "feed_area",
    "feed_association_news",
    "feed_volunteer_needs",
    "qr_code",
    "short_link",
    "healthz",
    "language_choose",
    *phone_urls.LANGUAGE_NEUTRAL,
    *agenda_urls.LANGUAGE_NEUTRAL,
}
urlpatterns = [route for route in urlpatterns if route.name in LANGUAGE_NEUTRAL] + [
    language_prefixed([route for route in urlpatterns if route.name not in LANGUAGE_NEUTRAL])
]
