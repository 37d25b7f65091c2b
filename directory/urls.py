from django.urls import path

from directory.views import api, health, public

app_name = "directory"

urlpatterns = [
    path("", public.home, name="home"),
    path("associations/", public.association_list, name="association_list"),
    path("associations/<slug:slug>/", public.association_detail, name="association"),
    path("categories/<slug:slug>/", public.category_detail, name="category"),
    path("territoires/<slug:slug>/", public.area_detail, name="area"),
    path("a-propos/", public.page, {"template": "about"}, name="about"),
    path("mentions-legales/", public.page, {"template": "legal"}, name="legal"),
    path("confidentialite/", public.page, {"template": "privacy"}, name="privacy"),
    path("accessibilite/", public.page, {"template": "accessibility"}, name="accessibility"),
    path("api/associations/", api.association_list, name="api_association_list"),
    path("api/associations/<slug:slug>/", api.association_detail, name="api_association"),
    path("api/categories/", api.category_list, name="api_category_list"),
    path("api/territoires/", api.area_list, name="api_area_list"),
    path("healthz", health.healthz, name="healthz"),
]
