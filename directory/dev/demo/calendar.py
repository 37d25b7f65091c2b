"""Calendar rules of the demo places (directory/opening/): most close on public holidays, some
keep other hours or close in the school holidays, a few close over Christmas, keep summer hours
or close for a day in the coming fortnight, so that a first `make run` shows them all.

Drawn from their own random generator (seeded from the demo's seed), so that adding rules did
not change the listings a seed gives.
"""

from datetime import date, timedelta

from directory.opening import calendar

# Patterns of directory/demo HOURS_PATTERNS that follow the school year.
SCHOOL_YEAR = {"homework": 0.7, "classes": 0.5, "kids": 0.2}
# Patterns that often stay open on public holidays (meals, food distributions).
HOLIDAY_OPEN = {"meals": 0.4, "distribution": 0.25}
LEISURE_HOURS = {str(day): [["09:00", "17:00"]] for day in range(5)}


def _mornings(hours):
    """The morning ranges of the weekly hours (summer or school-holiday hours)."""
    week = {}
    for day, ranges in hours.items():
        mornings = [r for r in ranges if r[0] < "13:00"]
        if mornings:
            week[day] = mornings
    return week


def _christmas(today):
    year = today.year - 1 if (today.month, today.day) <= (1, 2) else today.year
    return date(year, 12, 24), date(year + 1, 1, 2)


def _summer(today):
    year = today.year if today <= date(today.year, 8, 31) else today.year + 1
    return date(year, 7, 1), date(year, 8, 31)


def _next_public_holiday(today):
    day = today + timedelta(days=1)
    while not calendar.public_holiday(day):
        day += timedelta(days=1)
    return day


def _add(exceptions, start, end, hours):
    if any(
        start <= date.fromisoformat(e["end"]) and date.fromisoformat(e["start"]) <= end for e in exceptions
    ):
        return
    exceptions.append({"start": start.isoformat(), "end": end.isoformat(), "hours": hours})


def rules(rng, pattern, hours, today):
    """{public_holidays, school_holidays, school_hours, exceptions} of one demo place."""
    if not hours:
        return {}
    fields = {"public_holidays": "open" if rng.random() < HOLIDAY_OPEN.get(pattern, 0.05) else "closed"}
    if rng.random() < SCHOOL_YEAR.get(pattern, 0.03):
        fields["school_holidays"] = "closed"
    elif pattern == "kids" or rng.random() < 0.1:
        school = LEISURE_HOURS if pattern == "kids" else _mornings(hours)
        if school:
            fields.update(school_holidays="hours", school_hours=school)
    exceptions = []
    if rng.random() < 0.15:
        _add(exceptions, *_christmas(today), {})
    draw = rng.random()
    if draw < 0.08:
        _add(exceptions, *_summer(today), _mornings(hours))
    elif draw < 0.13:
        start, _end = _summer(today)
        _add(exceptions, start.replace(month=8), start.replace(month=8, day=31), {})
    if rng.random() < 0.05:
        day = today + timedelta(days=rng.randint(1, 13))
        _add(exceptions, day, day, {})
    if rng.random() < 0.03:
        day = _next_public_holiday(today)
        _add(exceptions, day, day, {str(day.weekday()): [["10:00", "12:00"]]})
    if exceptions:
        fields["exceptions"] = sorted(exceptions, key=lambda item: item["start"])
    return fields
