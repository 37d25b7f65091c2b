"""Open data: the /donnees/ page, streamed full exports, and the OpenAPI description of the API."""

from django.conf import settings
from django.http import JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from directory.models import Association
from directory.opendata import exports, openapi

LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"


def _stream(chunks, *, content_type, name, extension):
    response = StreamingHttpResponse(chunks, content_type=content_type)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="lyonassos-{name}-{stamp}.{extension}"'
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def index(request):
    return render(
        request,
        "opendata/index.html",
        {
            "count": Association.objects.published().count(),
            "licence_url": LICENCE_URL,
            "csv_fields": exports.CSV_FIELDS,
            "csv_delimiter": exports.CSV_DELIMITER,
            "site_url": settings.SITE_URL,
            "today": timezone.localdate(),
        },
    )


@require_GET
def associations_csv(request):
    return _stream(
        exports.iter_csv(), content_type="text/csv; charset=utf-8", name="associations", extension="csv"
    )


@require_GET
def associations_json(request):
    return _stream(
        exports.iter_json(), content_type="application/json", name="associations", extension="json"
    )


@require_GET
def datainclusion_structures(request):
    return _stream(
        exports.iter_datainclusion(),
        content_type="application/json",
        name="data-inclusion-structures",
        extension="json",
    )


@require_GET
def datainclusion_services(request):
    return _stream(
        exports.iter_datainclusion_services(),
        content_type="application/json",
        name="data-inclusion-services",
        extension="json",
    )


@require_GET
def openapi_json(request):
    return JsonResponse(openapi.spec(), json_dumps_params={"ensure_ascii": False, "indent": 2})
