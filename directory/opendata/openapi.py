"""OpenAPI 3.1 description of the read-only JSON API (served at /api/openapi.json).

Written by hand, next to the code it describes (directory/api/views.py, directory/filters.py):
tests/test_opendata.py checks that every parameter documented here is accepted and that the
answers carry exactly the documented keys, so the two cannot drift apart silently.
"""

from data_inclusion.schema import v1 as schema_v1
from django.conf import settings
from django.urls import reverse

FLAG = {"type": "string", "enum": ["1", "0"], "description": "`1` pour filtrer (aussi : oui, true, on)."}

# (name, schema, description, example): the query parameters of GET /api/associations/.
LIST_PARAMETERS = [
    (
        "q",
        {"type": "string", "maxLength": 200},
        "Texte libre : nom, besoin, mots-clés, lieu.",
        "aide alimentaire",
    ),
    (
        "categorie",
        {"type": "string"},
        "Slug d'une catégorie (besoin ou sous-besoin), voir /api/categories/.",
        "alimentation",
    ),
    (
        "territoire",
        {"type": "string"},
        "Slug d'un territoire (commune, arrondissement, quartier), voir /api/territoires/.",
        "lyon-3",
    ),
    ("public", {"type": "string"}, "Slug d'un public (`enfants`, `familles`…).", "familles"),
    ("langue", {"type": "string"}, "Code ISO 639-1 d'une langue parlée (639-3 sans équivalent).", "ar"),
    (
        "gratuit",
        FLAG,
        "Seulement ce qui est gratuit : un service gratuit (ou l'association, sans services).",
        "1",
    ),
    (
        "sans_rdv",
        FLAG,
        "Seulement l'accueil sans rendez-vous : un service (ou l'association, sans services). "
        "`gratuit`, `sans_rdv`, `langue`, `public` et `categorie` valent pour un même service "
        "d'une association qui en décrit, pour l'association sinon.",
        "1",
    ),
    ("accessible", FLAG, "Seulement un lieu accessible en fauteuil roulant.", "1"),
    ("benevoles", FLAG, "Seulement les associations qui cherchent des bénévoles.", "1"),
    (
        "ouvert",
        {"type": "string", "enum": ["maintenant", "aujourdhui", "soir", "weekend", "le", "sans-horaires"]},
        "Seulement les associations ouvertes maintenant, aujourd'hui, ce soir (après 18 h), ce week-end "
        "ou le jour `date` (`le`), jours fériés, vacances scolaires (zone A) et dates particulières "
        "compris ; les associations sans horaires en sont exclues (`sans-horaires` : elles seules).",
        "maintenant",
    ),
    ("date", {"type": "string", "format": "date"}, "Le jour de `ouvert=le` (AAAA-MM-JJ).", "2026-12-24"),
    (
        "tri",
        {"type": "string", "enum": ["pertinence", "nom", "recent", "distance"], "default": "pertinence"},
        "Ordre des résultats ; `distance` demande `lat` et `lon` (ou un `territoire`).",
        "nom",
    ),
    (
        "lat",
        {"type": "number", "minimum": -90, "maximum": 90},
        "Latitude du point de recherche (WGS 84).",
        45.76,
    ),
    (
        "lon",
        {"type": "number", "minimum": -180, "maximum": 180},
        "Longitude du point de recherche (WGS 84).",
        4.84,
    ),
    ("rayon", {"type": "number", "exclusiveMinimum": 0}, "Rayon autour du point, en kilomètres.", 2),
    (
        "pres",
        {"type": "string", "maxLength": 200},
        "Près d'une adresse, d'une station TCL ou d'une mairie (« 12 rue de Marseille », « Gorge de "
        "Loup », « Mairie du 8e »), résolu sur notre serveur : le point de `lat`/`lon` quand ils "
        "manquent, sans texte les plus proches d'abord. La réponse dit dans `pres` le lieu retenu, "
        "ou les lieux possibles (`choices`, à repasser avec leurs `lat` et `lon`).",
        "12 rue de Marseille",
    ),
    ("rna", {"type": "string", "pattern": "^W\\d{9}$"}, "Numéro RNA exact.", "W691234567"),
    ("page", {"type": "integer", "minimum": 1, "default": 1}, "Numéro de page.", 1),
    (
        "page_size",
        {"type": "integer", "minimum": 1, "maximum": 200, "default": 50},
        "Nombre de résultats par page.",
        10,
    ),
]


def _nullable(kind, **extra):
    return {"type": [kind, "null"], **extra}


def _page(item, **more):
    """A page of a search (`_search_page` of directory/api/views.py): its count, the addresses of
    the pages beside it and its results, each a `#/components/schemas/<item>`; `more`: what
    else that search's page may carry."""
    return {
        "type": "object",
        "required": ["count", "next", "previous", "results"],
        "properties": {
            "count": {"type": "integer", "minimum": 0},
            "next": _nullable("string", format="uri"),
            "previous": _nullable("string", format="uri"),
            "results": {"type": "array", "items": {"$ref": f"#/components/schemas/{item}"}},
            **more,
        },
        "additionalProperties": False,
    }


STRING = {"type": "string"}
DATE_TIME = {"type": "string", "format": "date-time"}

AREA = {
    "type": "object",
    "required": ["slug", "name", "kind", "insee"],
    "properties": {
        "slug": STRING,
        "name": STRING,
        "kind": {"type": "string", "enum": ["commune", "arrondissement", "quartier"]},
        "insee": _nullable("string"),
    },
}

PLACE = {
    "type": "object",
    "required": [
        "name",
        "kind",
        "address",
        "postcode",
        "city",
        "area",
        "quartier",
        "lat",
        "lon",
        "hours",
        "hours_note",
        "public_holidays",
        "school_holidays",
        "school_hours",
        "exceptions",
        "open_now",
        "wheelchair",
        "transit",
    ],
    "properties": {
        "name": STRING,
        "kind": {"type": "string", "enum": ["seat", "branch", "permanence"]},
        "address": STRING,
        "postcode": STRING,
        "city": STRING,
        "area": {"type": "string", "description": "Slug de la commune ou de l'arrondissement."},
        "quartier": _nullable("string"),
        "lat": _nullable("number"),
        "lon": _nullable("number"),
        "hours": {
            "type": "object",
            "description": 'Par jour (`"0"` = lundi) : plages `[ouverture, fermeture]` au format HH:MM.',
            "additionalProperties": {
                "type": "array",
                "items": {"type": "array", "items": STRING, "minItems": 2, "maxItems": 2},
            },
        },
        "hours_note": STRING,
        "public_holidays": {
            "type": "string",
            "enum": ["closed", "open"],
            "description": "Fermé ou ouvert (aux horaires habituels) les jours fériés.",
        },
        "school_holidays": {
            "type": "string",
            "enum": ["same", "hours", "closed"],
            "description": "Pendant les vacances scolaires (zone A) : mêmes horaires, `school_hours`, ou fermé.",
        },
        "school_hours": {
            "type": "object",
            "description": "Comme `hours`, lu quand `school_holidays` vaut `hours`.",
        },
        "exceptions": {
            "type": "array",
            "description": "Dates particulières, du `start` au `end` inclus : les `hours` (comme `hours`) "
            "remplacent les horaires ; vides, le lieu est fermé.",
            "items": {
                "type": "object",
                "required": ["start", "end", "hours"],
                "properties": {
                    "start": {"type": "string", "format": "date"},
                    "end": {"type": "string", "format": "date"},
                    "hours": {"type": "object"},
                },
            },
        },
        "open_now": {
            "type": ["boolean", "null"],
            "description": "Ouvert au moment de la réponse (heure de Paris) ; null sans horaires.",
        },
        "wheelchair": {"type": ["string", "null"], "enum": ["yes", "partial", "no", None]},
        "transit": {
            "type": "array",
            "description": "Stations TCL à moins de 600 m, la plus proche d'abord (métro, tram, funiculaire ; "
            "le bus seulement sans elles).",
            "items": {
                "type": "object",
                "required": ["name", "distance", "lines"],
                "properties": {
                    "name": STRING,
                    "distance": {"type": "integer", "description": "En mètres."},
                    "lines": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["mode", "name", "color", "text"],
                            "properties": {
                                "mode": {"type": "string", "enum": ["metro", "tram", "funicular", "bus"]},
                                "name": STRING,
                                "color": {"type": "string", "pattern": "^#[0-9A-F]{6}$"},
                                "text": {
                                    "type": "string",
                                    "pattern": "^#[0-9A-F]{6}$",
                                    "description": "Couleur du texte sur `color`, contraste 4,5:1 au moins.",
                                },
                            },
                        },
                    },
                },
            },
        },
    },
}

_HOURS = {
    "type": "object",
    "description": 'Par jour (`"0"` = lundi) : plages `[ouverture, fermeture]` au format HH:MM.',
    "additionalProperties": {
        "type": "array",
        "items": {"type": "array", "items": STRING, "minItems": 2, "maxItems": 2},
    },
}
_CODES = {"type": "array", "items": STRING}
SERVICE_FIELDS = {
    "id": {"type": "integer"},
    "name": STRING,
    "description": STRING,
    "kind": {
        "type": ["string", "null"],
        "enum": [
            "accompagnement",
            "aide-financiere",
            "aide-materielle",
            "atelier",
            "formation",
            "information",
            None,
        ],
        "description": "TypeService de data·inclusion (schéma v1).",
    },
    "categories": {**_CODES, "description": "Slugs des catégories (besoins)."},
    "audiences": {**_CODES, "description": "Slugs des publics."},
    "audiences_details": STRING,
    "fees": {
        "type": ["string", "null"],
        "enum": ["gratuit", "payant", None],
        "description": "Frais (data·inclusion v1).",
    },
    "fees_details": STRING,
    "reception": {"type": ["string", "null"], "enum": ["walk_in", "appointment", "both", None]},
    "modes": {**_CODES, "description": "ModeAccueil (data·inclusion v1) : `en-presentiel`, `a-distance`."},
    "at_home": {"type": "boolean"},
    "mobilisation": {**_CODES, "description": "ModeMobilisation (data·inclusion v1)."},
    "mobilisable_by": {**_CODES, "description": "PersonneMobilisatrice (data·inclusion v1)."},
    "booking_url": _nullable("string", format="uri"),
    "mobilisation_details": STRING,
    "access_conditions": STRING,
    "documents": STRING,
    "languages": {**_CODES, "description": "Codes des langues parlées."},
    "places": {
        "type": "array",
        "items": {"type": "integer"},
        "description": "Les lieux du service : leurs rangs dans `places` de l'association.",
    },
    "eligibility": {**_CODES, "description": "Zone d'éligibilité : codes INSEE."},
    "hours": {
        **_HOURS,
        "description": "Horaires propres au service (comme ceux d'un lieu) ; vides : ceux de ses lieux.",
    },
    "hours_note": STRING,
    "phone": STRING,
    "email": STRING,
    "contact_name": STRING,
    "status": {"type": "string", "enum": ["running", "paused"]},
    "paused_until": _nullable("string", format="date"),
    "running": {"type": "boolean", "description": "En cours aujourd'hui (pas en pause, ou pause finie)."},
    "source": _nullable("string"),
    "source_url": _nullable("string", format="uri"),
}
SERVICE = {
    "type": "object",
    "required": list(SERVICE_FIELDS),
    "properties": SERVICE_FIELDS,
    "additionalProperties": False,
}
FOUND_SERVICE = {
    "type": "object",
    "required": [*SERVICE_FIELDS, "association"],
    "properties": {
        **SERVICE_FIELDS,
        "places": {"type": "array", "items": {"$ref": "#/components/schemas/Place"}},
        "association": {
            "type": "object",
            "required": ["id", "slug", "name", "url"],
            "properties": {
                "id": {"type": "integer"},
                "slug": STRING,
                "name": STRING,
                "url": {"type": "string", "format": "uri"},
            },
            "additionalProperties": False,
        },
    },
    "additionalProperties": False,
}
SERVICE_PAGE = _page("FoundService")

ASSOCIATION_FIELDS = {
    "id": {"type": "integer"},
    "slug": STRING,
    "name": STRING,
    "url": {"type": "string", "format": "uri"},
    "short_description": STRING,
    "rna": _nullable("string"),
    "siret": _nullable("string"),
    "categories": {"type": "array", "items": STRING, "description": "Slugs des catégories."},
    "areas": {"type": "array", "items": {"$ref": "#/components/schemas/Area"}},
    "places": {"type": "array", "items": {"$ref": "#/components/schemas/Place"}},
    "phone": STRING,
    "email": STRING,
    "website": STRING,
    "fees": {"type": ["string", "null"], "enum": ["free", "membership", "paid", None]},
    "reception": {"type": ["string", "null"], "enum": ["walk_in", "appointment", "both", None]},
    "volunteers_sought": {"type": "boolean"},
    "services": {"type": "array", "items": {"$ref": "#/components/schemas/Service"}},
    "last_verified_at": _nullable("string", format="date"),
    "updated_at": DATE_TIME,
}
DETAIL_FIELDS = {
    "description": STRING,
    "social_links": {"type": "array", "items": STRING},
    "fees_details": STRING,
    "volunteers_details": STRING,
    "audiences": {"type": "array", "items": STRING},
    "languages": {"type": "array", "items": STRING},
    "logo": _nullable("string", format="uri"),
    "photos": {
        "type": "array",
        "description": "Published photos (1200 px wide variant) with their alternative text.",
        "items": {
            "type": "object",
            "required": ["url", "alt"],
            "properties": {"url": {"type": "string", "format": "uri"}, "alt": STRING},
            "additionalProperties": False,
        },
    },
    "created_at": DATE_TIME,
}

ASSOCIATION = {
    "type": "object",
    "required": list(ASSOCIATION_FIELDS),
    "properties": {
        **ASSOCIATION_FIELDS,
        "distance_km": {
            "type": ["number", "null"],
            "description": "Distance au point de recherche (présente seulement avec `lat`/`lon` ou `tri=distance`).",
        },
    },
    "additionalProperties": False,
}
ASSOCIATION_DETAIL = {
    "type": "object",
    "required": list(ASSOCIATION_FIELDS) + list(DETAIL_FIELDS),
    "properties": {**ASSOCIATION_FIELDS, **DETAIL_FIELDS},
    "additionalProperties": False,
}
ASSOCIATION_PAGE = _page(
    "Association",
    pres={
        "type": "object",
        "description": "Avec `pres` seulement : le lieu retenu, ou les lieux possibles.",
        "required": ["label", "lat", "lon", "choices"],
        "properties": {
            "label": _nullable("string"),
            "lat": _nullable("number"),
            "lon": _nullable("number"),
            "choices": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["type", "label", "detail", "lat", "lon"],
                    "properties": {
                        "type": {"type": "string", "enum": ["address", "station", "mairie"]},
                        "label": STRING,
                        "detail": STRING,
                        "lat": {"type": "number"},
                        "lon": {"type": "number"},
                    },
                },
            },
        },
    },
)
CATEGORY_LIST = {
    "type": "object",
    "required": ["count", "results"],
    "properties": {
        "count": {"type": "integer"},
        "results": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["slug", "name", "parent", "description", "datainclusion_thematiques"],
                "properties": {
                    "slug": STRING,
                    "name": STRING,
                    "parent": _nullable("string"),
                    "description": STRING,
                    "datainclusion_thematiques": {"type": "array", "items": STRING},
                },
                "additionalProperties": False,
            },
        },
    },
    "additionalProperties": False,
}
AREA_LIST = {
    "type": "object",
    "required": ["count", "results"],
    "properties": {
        "count": {"type": "integer"},
        "results": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["slug", "name", "kind", "insee", "postcodes", "parent", "lat", "lon"],
                "properties": {
                    "slug": STRING,
                    "name": STRING,
                    "kind": {"type": "string", "enum": ["commune", "arrondissement", "quartier"]},
                    "insee": _nullable("string"),
                    "postcodes": {"type": "array", "items": STRING},
                    "parent": _nullable("string"),
                    "lat": _nullable("number"),
                    "lon": _nullable("number"),
                },
                "additionalProperties": False,
            },
        },
    },
    "additionalProperties": False,
}
ERROR = {
    "type": "object",
    "required": ["detail"],
    "properties": {"detail": STRING, "errors": {"type": "object"}},
}


def datainclusion_schemas():
    """The JSON Schemas of the data·inclusion v1 rows, from the official package itself (so the
    description is the schema, to the letter): Structure, Service and their enumerations."""
    schemas = {}
    for model in (schema_v1.Structure, schema_v1.Service):
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(schema.pop("$defs", {}))
        schemas[f"DataInclusion{model.__name__}"] = schema
    return schemas


def _export(name, schema, summary, description):
    return {
        "get": {
            "operationId": name,
            "summary": summary,
            "description": description,
            "responses": {
                "200": {
                    "description": "Un tableau JSON, envoyé au fil de l'eau.",
                    "content": {
                        "application/json": {
                            "schema": {"type": "array", "items": {"$ref": f"#/components/schemas/{schema}"}}
                        }
                    },
                }
            },
        }
    }


def _json(ref, description):
    return {"description": description, "content": {"application/json": {"schema": {"$ref": ref}}}}


def spec():
    """The OpenAPI document, with the server URL taken from SITE_URL."""
    parameters = [
        {
            "name": name,
            "in": "query",
            "required": False,
            "description": text,
            "schema": schema,
            "example": example,
        }
        for name, schema, text, example in LIST_PARAMETERS
    ]
    bad_request = _json("#/components/schemas/Error", "Paramètre invalide.")
    not_found = _json("#/components/schemas/Error", "Introuvable.")
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Lyon Assos : API des associations de la Métropole de Lyon",
            "version": "1.0.0",
            "description": (
                "API en lecture seule sur les fiches publiées de l'annuaire Lyon Assos. "
                "Pas de clé ni d'inscription. Voir aussi les exports complets sur /donnees/."
            ),
            "license": {
                "name": "Licence Ouverte / Open Licence 2.0 (Etalab)",
                "identifier": "etalab-2.0",
            },
        },
        "servers": [{"url": settings.SITE_URL}],
        "paths": {
            reverse("directory:api_association_list"): {
                "get": {
                    "operationId": "listAssociations",
                    "summary": "Rechercher des associations publiées",
                    "description": "Mêmes paramètres et même ordre que la page /associations/.",
                    "parameters": parameters,
                    "responses": {
                        "200": _json("#/components/schemas/AssociationPage", "Une page de résultats."),
                        "400": bad_request,
                        "404": not_found,
                    },
                }
            },
            reverse("directory:api_service_list"): {
                "get": {
                    "operationId": "listServices",
                    "summary": "Rechercher des services",
                    "description": (
                        "Mêmes paramètres que /api/associations/ : les services en cours des associations "
                        "trouvées, dans leur ordre, qui réunissent les conditions demandées (gratuit, sans "
                        "rendez-vous, langue, public, besoin) ; avec un texte, ceux qu'il désigne (ou tous "
                        "ceux d'une association trouvée par son nom)."
                    ),
                    "parameters": parameters,
                    "responses": {
                        "200": _json("#/components/schemas/ServicePage", "Une page de services."),
                        "400": bad_request,
                        "404": not_found,
                    },
                }
            },
            reverse("directory:api_association", args=["slug"]).replace("/slug/", "/{slug}/"): {
                "get": {
                    "operationId": "getAssociation",
                    "summary": "Une fiche publiée",
                    "parameters": [{"name": "slug", "in": "path", "required": True, "schema": STRING}],
                    "responses": {
                        "200": _json("#/components/schemas/AssociationDetail", "La fiche."),
                        "404": not_found,
                    },
                }
            },
            reverse("directory:api_category_list"): {
                "get": {
                    "operationId": "listCategories",
                    "summary": "Les besoins et sous-besoins",
                    "responses": {
                        "200": _json("#/components/schemas/CategoryList", "Toutes les catégories.")
                    },
                }
            },
            reverse("directory:api_area_list"): {
                "get": {
                    "operationId": "listAreas",
                    "summary": "Communes, arrondissements et quartiers",
                    "responses": {"200": _json("#/components/schemas/AreaList", "Tous les territoires.")},
                }
            },
            reverse("directory:opendata_datainclusion"): _export(
                "dataInclusionStructures",
                "DataInclusionStructure",
                "Les fiches publiées, structures data·inclusion v1",
                "Toutes les fiches publiées, au schéma data·inclusion v1 (identifiants lyon-assos--<id>).",
            ),
            reverse("directory:opendata_datainclusion_services"): _export(
                "dataInclusionServices",
                "DataInclusionService",
                "Les services des fiches publiées, services data·inclusion v1",
                "Les services en cours des fiches publiées (un service en pause n'y figure pas jusqu'à sa "
                "reprise) ; une fiche sans service y figure par un service tiré de ses propres champs "
                "(lyon-assos--fiche-<id>) quand ses besoins correspondent à une thématique.",
            ),
        },
        "components": {
            "schemas": {
                "Area": AREA,
                "Place": PLACE,
                "Service": SERVICE,
                "FoundService": FOUND_SERVICE,
                "ServicePage": SERVICE_PAGE,
                "Association": ASSOCIATION,
                "AssociationDetail": ASSOCIATION_DETAIL,
                "AssociationPage": ASSOCIATION_PAGE,
                "CategoryList": CATEGORY_LIST,
                "AreaList": AREA_LIST,
                "Error": ERROR,
                **datainclusion_schemas(),
            }
        },
    }
