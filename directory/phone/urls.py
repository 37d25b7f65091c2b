"""The phone pages' routes, added to directory/urls.py (in the `directory` namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("associations/<slug:slug>/contact.vcf", views.contact_vcf, name="contact_vcf"),
    path("f/<int:pk>", views.short_id_link, name="short_id_link"),
    path("ma-liste/", views.my_list, name="my_list"),
    path("hors-connexion/", views.offline_page, name="offline"),
    path("sw.js", views.service_worker, name="service_worker"),
]

# Addresses that read the same in every language (not under /en/).
LANGUAGE_NEUTRAL = {"short_id_link", "service_worker"}
