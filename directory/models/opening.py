"""The precomputed opening slots of published places (see directory/opening/).

One narrow row per (place, weekday, range) of its weekly hours, of its school-holiday hours,
and of each dated exception, plus one marker row per dated exception and temporary closure, in
minutes since local midnight. "Which listings are open at this moment" is then one query over
these rows (directory/opening/index.py), never a loop over listings. Only published listings
with weekly hours have rows: a listing without hours is never counted as closed.
Maintained by directory.search.index() (directory/opening/index.write).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OpeningSlot(models.Model):
    class Kind(models.IntegerChoices):
        WEEKLY = 0, "weekly"
        SCHOOL = 1, "school holidays"
        DATED = 2, "dated exception"
        CLOSURE = 3, "temporary closure"

    MARKER_WEEKDAY = 7  # the row that marks a dated exception or closure as covering its dates

    association = models.ForeignKey("directory.Association", on_delete=models.CASCADE, related_name="+")
    place = models.ForeignKey("directory.Place", on_delete=models.CASCADE, related_name="+")
    kind = models.PositiveSmallIntegerField(choices=Kind.choices)
    weekday = models.PositiveSmallIntegerField()  # 0 = Monday; MARKER_WEEKDAY for markers
    opens = models.PositiveSmallIntegerField()  # minutes since local midnight
    closes = models.PositiveSmallIntegerField()
    start = models.DateField(null=True)  # dated rows: first and last day
    end = models.DateField(null=True)
    holidays_open = models.BooleanField(default=False)  # open on a public holiday
    school_rule = models.CharField(max_length=6, blank=True)  # the place's Place.SchoolHolidays

    class Meta:
        verbose_name = _("créneau d'ouverture")
        verbose_name_plural = _("créneaux d'ouverture")
        indexes = [
            models.Index(fields=["weekday", "kind", "opens"], name="opening_slot_day"),
            models.Index(fields=["kind", "start", "end"], name="opening_slot_dated"),
        ]

    def __str__(self):
        return f"{self.place_id} {self.kind} {self.weekday} {self.opens}-{self.closes}"
