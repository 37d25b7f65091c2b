"""Opening hours: typing them, validating them, and telling whether a place is open now."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from directory import hours
from directory.models import Place
from directory.opening import rules
from tests import builders

PARIS = ZoneInfo("Europe/Paris")
WEEKDAYS = builders.WEEKDAY_HOURS  # Monday–Friday 09:00–12:00 and 14:00–18:00


def at(day, hh, mm=0):
    """An aware datetime in the week of Monday 2026-03-02 (day 0 = Monday)."""
    return datetime(2026, 3, 2 + day, hh, mm, tzinfo=PARIS)


# parse_day -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9h-12h, 14h-18h30", [["09:00", "12:00"], ["14:00", "18:30"]]),
        ("09:00-12:00", [["09:00", "12:00"]]),
        ("9h à 12h et 14h – 17h", [["09:00", "12:00"], ["14:00", "17:00"]]),
        ("14h-18h; 8h30-11h", [["08:30", "11:00"], ["14:00", "18:00"]]),
        ("20h-24h", [["20:00", "23:59"]]),
        ("", []),
        ("  ", []),
    ],
)
def test_parse_day(text, expected):
    assert hours.parse_day(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("le matin", "invalid_range"),
        ("9-12", "invalid_range"),
        ("9h-12h, fermé", "invalid_range"),
        ("25h-26h", "invalid_time"),
        ("9h60-12h", "invalid_time"),
        ("9h-12h, 11h-14h", "overlap"),
        ("14h-9h", "invalid_range"),
        ("9h-9h", "invalid_range"),
    ],
)
def test_parse_day_rejects(text, code):
    with pytest.raises(ValidationError) as error:
        hours.parse_day(text)
    assert error.value.code == code


def test_format_day_round_trips_parse_day():
    ranges = hours.parse_day("9h-12h, 14h-18h30")
    assert hours.format_day(ranges) == "09:00-12:00, 14:00-18:30"
    assert hours.parse_day(hours.format_day(ranges)) == ranges


# validate_hours --------------------------------------------------------------------------


def test_validate_hours_accepts_ranges_in_any_order():
    hours.validate_hours({"0": [["14:00", "18:00"], ["09:00", "12:00"]], "6": []})
    hours.validate_hours({})


@pytest.mark.parametrize(
    "value",
    [
        [],
        "lundi 9h-12h",
        {"7": [["09:00", "12:00"]]},
        {"lundi": [["09:00", "12:00"]]},
        {"0": "09:00-12:00"},
        {"0": [["09:00"]]},
        {"0": [["9:00", "12:00"]]},
        {"0": [["09:00", "24:00"]]},
        {"0": [["12:00", "09:00"]]},
        {"0": [["09:00", "12:00"], ["11:30", "13:00"]]},
        # Malformed data from an import must fail validation, not crash the validator.
        {"0": [[9, 12], ["14:00", "18:00"]]},
    ],
)
def test_validate_hours_rejects(value):
    with pytest.raises(ValidationError):
        hours.validate_hours(value)


def test_weekly_lists_seven_days_monday_first():
    week = hours.weekly(WEEKDAYS)
    assert [str(name) for name, _ranges in week] == [
        "lundi",
        "mardi",
        "mercredi",
        "jeudi",
        "vendredi",
        "samedi",
        "dimanche",
    ]
    assert week[0][1] == [("09:00", "12:00"), ("14:00", "18:00")]
    assert week[6][1] == []


# opening status (directory/opening/rules.py; the calendar cases are in test_opening.py) -----


def weekly_status(week, moment):
    return rules.status(rules.Rules.of_values({"hours": week}), moment)


def test_open_now_until_closing_time():
    status = weekly_status(WEEKDAYS, at(0, 10, 30))
    assert (status.is_open, status.closes) == (True, time(12, 0))
    assert status.label == "Ouvert · ferme à 12 h"


def test_closing_time_itself_is_closed_and_opening_time_is_open():
    assert not weekly_status(WEEKDAYS, at(0, 12, 0)).is_open
    assert weekly_status(WEEKDAYS, at(0, 14, 0)).is_open


def test_lunch_break_reopens_later_today():
    status = weekly_status(WEEKDAYS, at(1, 12, 30))
    assert (status.is_open, status.known) == (False, True)
    assert (status.opens_on, status.opens) == (date(2026, 3, 3), time(14, 0))
    assert status.label == "Fermé · ouvre à 14 h"


def test_evening_reopens_tomorrow():
    assert weekly_status(WEEKDAYS, at(3, 19, 0)).label == "Ouvre demain à 9 h"


def test_friday_evening_skips_the_empty_weekend():
    assert weekly_status(WEEKDAYS, at(4, 18, 0)).label == "Ouvre lundi à 9 h"
    assert weekly_status(WEEKDAYS, at(6, 11, 0)).label == "Ouvre demain à 9 h"


def test_open_one_day_a_week_reopens_next_week():
    status = weekly_status({"2": [["10:00", "12:00"]]}, at(2, 15, 0))
    assert (status.opens_on, status.opens) == (date(2026, 3, 11), time(10, 0))
    assert status.label == "Ouvre le 11 mars à 10 h"


def test_early_morning_opens_later_today():
    assert weekly_status(WEEKDAYS, at(0, 7, 0)).label == "Fermé · ouvre à 9 h"


def test_no_hours_is_unknown():
    status = weekly_status({}, at(0, 10))
    assert (status.known, status.is_open) == (False, False)
    assert status.label == "Horaires non précisés"


# Place.opening_status: temporary closures ------------------------------------------------


@pytest.fixture
def place(db):
    association = builders.make_association("Permanence", hours=WEEKDAYS)
    return association.places.get()


def test_place_open_without_closure(place):
    status = place.opening_status(at(0, 10))
    assert status.is_open
    assert status.closes == time(12, 0)


def test_place_temporarily_closed_says_when_it_reopens(place):
    place.closed_from = date(2026, 3, 1)
    place.closed_until = date(2026, 3, 8)
    status = place.opening_status(at(0, 10))
    assert not status.is_open
    assert status.label == "Fermé temporairement, réouverture le 9 mars"


def test_place_closure_without_end_date_lasts(place):
    place.closed_from = date(2026, 3, 2)
    assert not place.opening_status(at(0, 10)).is_open
    assert not place.opening_status(at(0, 10) + timedelta(days=60)).is_open
    assert place.opening_status(at(0, 10)).label == "Fermé temporairement"


def test_place_open_again_after_the_closure(place):
    place.closed_from = date(2026, 2, 1)
    place.closed_until = date(2026, 3, 1)
    assert place.opening_status(at(0, 10)).is_open
    # The first and last day of a closure are closed days.
    assert place.is_temporarily_closed(date(2026, 2, 1))
    assert place.is_temporarily_closed(date(2026, 3, 1))
    assert not place.is_temporarily_closed(date(2026, 1, 31))


def test_place_status_uses_local_time(place):
    # 08:30 UTC is 09:30 in Lyon (UTC+1 in March before the change of time).
    utc = datetime(2026, 3, 2, 8, 30, tzinfo=ZoneInfo("UTC"))
    assert place.opening_status(utc).is_open


def test_place_form_turns_typed_hours_into_json(db):
    from directory.listings.forms import PlaceForm

    lyon3 = builders.area("lyon-3")
    data = {
        "position": 0,
        "kind": Place.Kind.SEAT,
        "address": "3 rue Paul Bert",
        "postcode": "69003",
        "area": lyon3.pk,
        "hours_0": "9h-12h, 14h-18h30",
        "hours_2": "10h-12h",
    }
    form = PlaceForm(data=data)
    assert form.is_valid(), form.errors
    assert form.instance.hours == {"0": [["09:00", "12:00"], ["14:00", "18:30"]], "2": [["10:00", "12:00"]]}
    bad = PlaceForm(
        data={**data, "hours_1": "14h-9h", "closed_from": "2026-03-10", "closed_until": "2026-03-01"}
    )
    assert not bad.is_valid()
    assert set(bad.errors) == {"hours_1", "closed_until"}
