"""« Mes données » : a person downloads what the site holds about their account (RGPD art. 15/20)."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from directory.privacy import user_data


@never_cache
@login_required
def my_data(request):
    response = JsonResponse(user_data(request.user), json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'attachment; filename="lyonassos-mes-donnees.json"'
    return response
