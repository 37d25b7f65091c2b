"""The agenda's addresses, included from directory/urls.py (the .ics files and the Atom feed are
machine-read: listed there in LANGUAGE_NEUTRAL, never under /en/)."""

from django.urls import path

from directory.agenda import views

urlpatterns = [
    path("agenda/", views.agenda_list, name="agenda"),
    path("agenda/imprimer/", views.agenda_print, name="agenda_print"),
    path("agenda/<int:pk>/", views.event_detail, name="event"),
    path("agenda/<int:pk>/signaler/", views.event_report, name="event_report"),
    path("agenda/<int:pk>/agenda.ics", views.event_ics, name="event_ics"),
    path("agenda.ics", views.agenda_ics, name="agenda_ics"),
    path("associations/<slug:slug>/agenda.ics", views.association_ics, name="association_ics"),
    path("flux/agenda.atom", views.AgendaFeed(), name="feed_agenda"),
    path("integrer/agenda/", views.embed_agenda, name="embed_agenda"),
    path("espace-association/<slug:slug>/agenda/", views.agenda_manage, name="agenda_manage"),
    path("espace-association/<slug:slug>/agenda/calendrier/", views.calendar_source, name="calendar_source"),
    path(
        "espace-association/<slug:slug>/agenda/<int:event_id>/modifier/", views.event_edit, name="event_edit"
    ),
    path(
        "espace-association/<slug:slug>/agenda/<int:event_id>/retirer/",
        views.event_archive,
        name="event_archive",
    ),
    path(
        "espace-association/<slug:slug>/agenda/<int:event_id>/annuler-une-date/",
        views.event_cancel_date,
        name="event_cancel_date",
    ),
    path(
        "espace-association/<slug:slug>/agenda/<int:event_id>/retablir-une-date/",
        views.event_restore_date,
        name="event_restore_date",
    ),
]

LANGUAGE_NEUTRAL = {"event_ics", "agenda_ics", "association_ics", "feed_agenda"}
