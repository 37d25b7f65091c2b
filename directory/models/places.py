"""Where a resident can say they are: the streets of the national address base (BAN) and the
stations of the TCL transit network, and the stations near each place (directory/places/)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Street(models.Model):
    """One street (or lieu-dit) of the Métropole in the BAN, with all its numbered points.

    One row per street rather than per address point: about 14 000 rows instead of 350 000 for
    the Métropole, and a house number is read from the one row the name designates. `numbers`
    holds [[number, suffix, lat, lon], …] sorted by number ("12", "bis"); the street's own
    point (`lat`, `lon`) is the middle of its numbers. `key` is the normalised name
    (directory/places/text.py) that the in-memory index of directory/places/resolve.py reads.
    """

    ban_id = models.CharField(_("identifiant BAN de la voie"), max_length=40, unique=True)
    insee = models.CharField(_("code INSEE"), max_length=5, db_index=True)
    name = models.CharField(_("nom"), max_length=150)
    city = models.CharField(_("commune"), max_length=80)
    postcode = models.CharField(_("code postal"), max_length=5)
    key = models.CharField(_("nom normalisé"), max_length=150, db_index=True)
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    numbers = models.JSONField(_("numéros"), default=list, blank=True)
    digest = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("voie")
        verbose_name_plural = _("voies")

    def __str__(self):
        return f"{self.name}, {self.city}"


class TransitStation(models.Model):
    """A station of the TCL network (a GTFS parent station, or a stop without one) and the
    lines that serve it: [{"mode": "metro"|"tram"|"funicular"|"bus", "name": "D",
    "color": "#RRGGBB", "text": "#RRGGBB"}, …], rail lines first; the text colour is the one
    of the two (the feed's or black/white) that reads best on the line's colour."""

    stop_id = models.CharField(_("identifiant GTFS"), max_length=64, unique=True)
    name = models.CharField(_("nom"), max_length=150)
    key = models.CharField(_("nom normalisé"), max_length=150, db_index=True)
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    lines = models.JSONField(_("lignes"), default=list, blank=True)
    rail = models.BooleanField(_("desservie par métro, tram ou funiculaire"), default=False)
    digest = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("station de transport en commun")
        verbose_name_plural = _("stations de transport en commun")
        indexes = [models.Index(fields=["lat", "lon"], name="transitstation_lat_lon")]

    def __str__(self):
        return self.name
