"""Structured opening hours: {"0": [["09:00", "12:00"], ["14:00", "18:00"]], ...}.

Keys are weekdays as strings, 0 = Monday. A range closes after it opens, on the same day;
ranges of a day do not overlap. Kept as plain functions so that forms, the listing page and
the JSON API share one reading of the data.
"""

import re
from dataclasses import dataclass
from datetime import time
from itertools import pairwise

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

WEEKDAYS = [
    _("lundi"),
    _("mardi"),
    _("mercredi"),
    _("jeudi"),
    _("vendredi"),
    _("samedi"),
    _("dimanche"),
]
_TIME_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_RANGE_RE = re.compile(r"^\s*(\d{1,2})\s*[h:]\s*(\d{2})?\s*[-–à]+\s*(\d{1,2})\s*[h:]\s*(\d{2})?\s*$")


def _parse_time(value):
    match = _TIME_RE.match(value) if isinstance(value, str) else None
    if not match:
        raise ValidationError(
            _("Heure invalide : « %(value)s » (format HH:MM attendu)."),
            params={"value": str(value)[:20]},
            code="invalid_time",
        )
    return time(int(match.group(1)), int(match.group(2)))


def validate_hours(value):
    if not isinstance(value, dict):
        raise ValidationError(_("Les horaires doivent être un objet par jour."), code="invalid")
    for day, ranges in value.items():
        if day not in {str(i) for i in range(7)}:
            raise ValidationError(_("Jour inconnu : %(day)s."), params={"day": day}, code="invalid")
        if not isinstance(ranges, list):
            raise ValidationError(_("Plages horaires invalides."), code="invalid")
        parsed = []
        for item in ranges:
            if not (isinstance(item, list) and len(item) == 2):
                raise ValidationError(_("Plage horaire invalide."), code="invalid")
            opens, closes = _parse_time(item[0]), _parse_time(item[1])
            if closes <= opens:
                raise ValidationError(
                    _("Une plage doit fermer après son ouverture (%(opens)s–%(closes)s)."),
                    params={"opens": item[0], "closes": item[1]},
                    code="invalid_range",
                )
            parsed.append((opens, closes))
        parsed.sort()
        for (_opens, previous_close), (next_opens, _closes) in pairwise(parsed):
            if next_opens < previous_close:
                raise ValidationError(_("Des plages horaires se chevauchent."), code="overlap")


def parse_day(text):
    """'9h-12h, 14h-18h30' → [["09:00", "12:00"], ["14:00", "18:30"]]. Raises ValidationError."""
    ranges = []
    for chunk in re.split(r"[,;/]| et ", text or ""):
        if not chunk.strip():
            continue
        match = _RANGE_RE.match(chunk)
        if not match:
            raise ValidationError(
                _("« %(chunk)s » n'est pas une plage horaire (exemple : 9h-12h, 14h-18h30)."),
                params={"chunk": chunk.strip()[:40]},
                code="invalid_range",
            )
        h1, m1, h2, m2 = match.groups()
        if int(h1) > 23 or int(h2) > 24:
            raise ValidationError(_("Heure invalide."), code="invalid_time")
        closes = "23:59" if int(h2) == 24 else f"{int(h2):02d}:{m2 or '00'}"
        ranges.append([f"{int(h1):02d}:{m1 or '00'}", closes])
    ranges.sort()
    validate_hours({"0": ranges})
    return ranges


def format_day(ranges):
    """[["09:00", "12:00"]] → '09:00-12:00'."""
    return ", ".join(f"{a}-{b}" for a, b in ranges)


def weekly(hours):
    """Seven (day name, [(opens, closes)]) pairs, Monday first."""
    return [(WEEKDAYS[i], [tuple(r) for r in (hours or {}).get(str(i), [])]) for i in range(7)]


@dataclass(frozen=True)
class OpeningStatus:
    is_open: bool
    known: bool
    until: time | None = None  # closing time when open
    next_open: tuple | None = None  # (weekday name or None for today, time) when closed


def opening_status(hours, now):
    """Whether a place is open at `now` (an aware local datetime), and until when."""
    if not hours:
        return OpeningStatus(is_open=False, known=False)
    today = now.weekday()
    current = now.time()
    for opens, closes in hours.get(str(today), []):
        o, c = _parse_time(opens), _parse_time(closes)
        if o <= current < c:
            return OpeningStatus(is_open=True, known=True, until=c)
    for offset in range(0, 8):
        day = (today + offset) % 7
        for opens, _closes in sorted(hours.get(str(day), [])):
            o = _parse_time(opens)
            if offset == 0 and o <= current:
                continue
            label = None if offset == 0 else (_("demain") if offset == 1 else WEEKDAYS[day])
            return OpeningStatus(is_open=False, known=True, next_open=(label, o))
    return OpeningStatus(is_open=False, known=True)
