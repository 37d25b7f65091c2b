"""Validators for French identifiers and free-text lists."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

RNA_RE = re.compile(r"^W\d{9}$")
SIRET_RE = re.compile(r"^\d{14}$")
LA_POSTE_SIREN = "356000000"


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def validate_rna(value):
    if not RNA_RE.match(value or ""):
        raise ValidationError(
            _("Un numéro RNA s'écrit W suivi de 9 chiffres, par exemple W691234567."),
            code="invalid_rna",
        )


def validate_siret(value: str) -> None:
    if not SIRET_RE.match(value or ""):
        raise ValidationError(_("Un SIRET compte 14 chiffres."), code="invalid_siret")
    if value.startswith(LA_POSTE_SIREN):
        # La Poste's establishments follow their own rule: the digits add up to a multiple of 5.
        valid = sum(int(c) for c in value) % 5 == 0
    else:
        valid = luhn_ok(value) and luhn_ok(value[:9])
    if not valid:
        raise ValidationError(_("Ce SIRET n'est pas valide (erreur de saisie ?)."), code="invalid_siret")


def validate_url_lines(value):
    validator = URLValidator(schemes=["http", "https"])
    for line in (value or "").splitlines():
        if line.strip():
            try:
                validator(line.strip())
            except ValidationError:
                raise ValidationError(
                    _("« %(line)s » n'est pas une adresse web valide."),
                    params={"line": line.strip()[:80]},
                    code="invalid_url",
                ) from None
