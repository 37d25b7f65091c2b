"""Structured opening hours: {"0": [["09:00", "12:00"], ["14:00", "18:00"]], ...}.

Keys are weekdays as strings, 0 = Monday. A range closes after it opens, on the same day;
ranges of a day do not overlap. Kept as plain functions so that forms, the listing page and
the JSON API share one reading of the data.
"""

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, time
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

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


def validate_hours(value: object) -> None:
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


def parse_day(text: str | None) -> list[list[str]]:
    """'9h-12h, 14h-18h30' → [["09:00", "12:00"], ["14:00", "18:30"]]. Raises ValidationError."""
    ranges: list[list[str]] = []
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


def format_day(ranges: Iterable[Sequence[str]]) -> str:
    """[["09:00", "12:00"]] → '09:00-12:00'."""
    return ", ".join(f"{a}-{b}" for a, b in ranges)


def weekly(hours: Mapping[str, Any] | None) -> "list[tuple[StrOrPromise, list[tuple[str, ...]]]]":
    """Seven (day name, [(opens, closes)]) pairs, Monday first."""
    return [(WEEKDAYS[i], [tuple(r) for r in (hours or {}).get(str(i), [])]) for i in range(7)]


# Dated exceptions --------------------------------------------------------------------------
# [{"start": "2026-12-24", "end": "2027-01-02", "hours": {}}, …]: between two dates (both
# included) the place follows these weekly hours instead of its usual ones; empty hours mean
# closed. Typed one a line: "24/12/2026 - 02/01/2027 : fermé", "14/07/2027 : 10h-12h",
# "01/07/2027 - 31/08/2027 : lun-ven 9h-12h ; sam 10h-12h".

MAX_EXCEPTIONS = 30
MAX_EXCEPTION_DAYS = 366
_DAY_NAMES = ("lun", "mar", "mer", "jeu", "ven", "sam", "dim")
_DATE = r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})"
_EXCEPTION_RE = re.compile(
    rf"^\s*(?:du\s+|le\s+)?{_DATE}(?:\s*(?:-|–|au)\s*{_DATE})?\s*:\s*(.+?)\s*$", re.IGNORECASE
)
_CLOSED_WORDS = {"fermé", "ferme", "fermée", "fermeture", "closed"}


def _exception_date(day, month, year):
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise ValidationError(
            _("Date invalide : %(value)s."), params={"value": f"{day}/{month}/{year}"}, code="invalid_date"
        ) from None


def _weekday_of(token):
    token = token.strip().lower()[:3]
    if token not in _DAY_NAMES:
        raise ValidationError(
            _("« %(value)s » n'est pas un jour (lun, mar, mer, jeu, ven, sam, dim)."),
            params={"value": token},
            code="invalid_day",
        )
    return _DAY_NAMES.index(token)


def _days_of(spec):
    """'lun-ven' → [0..4]; 'lun, mer et sam' → [0, 2, 5]; '' → every day."""
    if not spec.strip():
        return list(range(7))
    days = []
    for token in re.split(r",|\bet\b", spec):
        if not token.strip():
            continue
        first, _sep, last = token.partition("-")
        start = _weekday_of(first)
        end = _weekday_of(last) if last.strip() else start
        days.extend(range(start, end + 1) if end >= start else [*range(start, 7), *range(end + 1)])
    return sorted(set(days))


def _exception_hours(text):
    if text.strip().lower() in _CLOSED_WORDS:
        return {}
    week = {}
    for group in text.split(";"):
        match = re.match(r"^\s*([^\d]*?)\s*(\d.*)$", group)
        if not match:
            raise ValidationError(
                _("« %(value)s » : écrivez « fermé » ou des horaires (exemple : lun-ven 9h-12h)."),
                params={"value": group.strip()[:40]},
                code="invalid_exception",
            )
        ranges = parse_day(match.group(2))
        for day in _days_of(match.group(1)):
            week[str(day)] = sorted(week.get(str(day), []) + ranges)
    validate_hours(week)
    return week


def parse_exceptions(text: str | None) -> list[dict[str, Any]]:
    """The typed lines → the exceptions JSON, sorted by date. Raises ValidationError naming the line."""
    exceptions: list[dict[str, Any]] = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        match = _EXCEPTION_RE.match(line)
        try:
            if not match:
                raise ValidationError(
                    _("écrivez « JJ/MM/AAAA : fermé » ou « JJ/MM/AAAA - JJ/MM/AAAA : 9h-12h »."),
                    code="invalid_exception",
                )
            start = _exception_date(*match.group(1, 2, 3))
            end = _exception_date(*match.group(4, 5, 6)) if match.group(4) else start
            hours = _exception_hours(match.group(7))
        except ValidationError as error:
            raise ValidationError(
                _("Ligne %(number)s : %(error)s"),
                params={"number": number, "error": " ".join(error.messages)},
                code="invalid_exception",
            ) from None
        exceptions.append({"start": start.isoformat(), "end": end.isoformat(), "hours": hours})
    exceptions.sort(key=lambda item: item["start"])
    validate_exceptions(exceptions)
    return exceptions


def _format_date(iso):
    return date.fromisoformat(iso).strftime("%d/%m/%Y")


def format_exceptions(exceptions: list[dict[str, Any]] | None) -> str:
    """The exceptions JSON → the typed lines (parse_exceptions reads them back)."""
    lines: list[str] = []
    for item in exceptions or []:
        when = _format_date(item["start"])
        if item["end"] != item["start"]:
            when += f" - {_format_date(item['end'])}"
        lines.append(f"{when} : {_format_week(item['hours'])}")
    return "\n".join(lines)


def _format_week(week):
    if not week:
        return "fermé"
    groups = {}
    for day in range(7):
        ranges = week.get(str(day))
        if ranges:
            groups.setdefault(format_day(ranges).replace("-", "–"), []).append(day)
    parts = []
    for text, days in groups.items():
        spec = "" if len(days) == 7 else ", ".join(_DAY_NAMES[d] for d in days)
        if spec and days == list(range(days[0], days[-1] + 1)) and len(days) > 2:
            spec = f"{_DAY_NAMES[days[0]]}-{_DAY_NAMES[days[-1]]}"
        parts.append(f"{spec} {text}".strip().replace("–", "-").replace(":", "h"))
    return " ; ".join(parts)


def validate_exceptions(value):
    """The stored form: a list of {start, end, hours}, dates in order, no overlap, a year at most each."""
    if not isinstance(value, list) or len(value) > MAX_EXCEPTIONS:
        raise ValidationError(
            _("%(max)s dates particulières au plus."), params={"max": MAX_EXCEPTIONS}, code="invalid"
        )
    spans = []
    for item in value:
        if not (isinstance(item, dict) and set(item) == {"start", "end", "hours"}):
            raise ValidationError(_("Date particulière invalide."), code="invalid")
        try:
            start, end = date.fromisoformat(item["start"]), date.fromisoformat(item["end"])
        except (TypeError, ValueError):
            raise ValidationError(_("Date particulière invalide."), code="invalid") from None
        if end < start:
            raise ValidationError(
                _("Du %(start)s au %(end)s : la fin précède le début."),
                params={"start": _format_date(item["start"]), "end": _format_date(item["end"])},
                code="invalid_span",
            )
        if (end - start).days >= MAX_EXCEPTION_DAYS:
            raise ValidationError(_("Une date particulière dure un an au plus."), code="invalid_span")
        validate_hours(item["hours"])
        spans.append((start, end))
    for (_start, previous_end), (next_start, _end) in pairwise(sorted(spans)):
        if next_start <= previous_end:
            raise ValidationError(_("Deux dates particulières se chevauchent."), code="overlap")
