"""Pictograms: which icon stands for what, and the one SVG sprite that holds them.

The icons come from the npm package lucide-static (ISC licence, package.json). `manage.py
build_icons` (run by `make run`, `make serve` and `make test`) copies the few this module names
into one sprite, static/icons/sprite.svg (git-ignored), which pages reference with
`<svg aria-hidden="true"><use href="…sprite.svg#name">` beside a text that says the same: an
icon is never the only carrier of a meaning.

This module is the one place that maps a need (a top-level category, whose sub-categories take
its icon), a badge or a card fact to an icon name.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings

PACKAGE = "lucide-static"
SPRITE = "icons/sprite.svg"  # under STATICFILES_DIRS[0] (static/), as {% static %} names it

# Top-level need (Category.slug) → icon; a sub-category takes its parent's.
CATEGORY_ICONS = {
    "alimentation": "utensils",
    "soutien-scolaire": "book-open",
    "apprendre-le-francais": "languages",
    "droits-et-acces-au-droit": "scale",
    "logement": "house",
    "sante-et-bien-etre": "heart-pulse",
    "emploi-et-insertion": "briefcase",
    "numerique": "laptop",
    "famille-et-parentalite": "baby",
    "seniors": "armchair",
    "handicap": "accessibility",
    "sport": "volleyball",
    "culture-et-loisirs": "palette",
    "environnement-et-vie-de-quartier": "sprout",
    "droits-des-femmes-et-violences": "shield-half",
    "solidarite-internationale": "earth",
}
# A need added later by a moderator, before it gets its own icon here.
DEFAULT_CATEGORY_ICON = "tag"

# The facts a card states (badges and lines), by the name the templates use.
FACT_ICONS = {
    "free": "hand-coins",
    "walk_in": "door-open",
    "appointment": "calendar-clock",
    "accessible": "accessibility",
    "volunteers": "hand-heart",
    "place": "map-pin",
    "distance": "navigation",
    "opening": "clock",
    "phone": "phone",
}


def all_names() -> list[str]:
    """Every icon the site uses, sorted: what the sprite holds."""
    return sorted({*CATEGORY_ICONS.values(), DEFAULT_CATEGORY_ICON, *FACT_ICONS.values()})


def for_category(category: Any) -> str:
    """The icon of a need: its own, its parent's (read from the reference snapshot: no query),
    or the default."""
    if category.slug in CATEGORY_ICONS:
        return CATEGORY_ICONS[category.slug]
    if category.parent_id is not None:
        if type(category).parent.is_cached(category):  # the snapshot's rows hold their parent
            parent = category.parent
        else:
            from directory import reference

            parent = reference.get().categories_by_id.get(category.parent_id)
        if parent is not None and parent.slug in CATEGORY_ICONS:
            return CATEGORY_ICONS[parent.slug]
    return DEFAULT_CATEGORY_ICON


def for_fact(name: str) -> str:
    return FACT_ICONS[name]


# The sprite ----------------------------------------------------------------------------------

SVG_NS = "http://www.w3.org/2000/svg"
# Lucide draws with strokes: these presentation attributes of each icon's <svg> go on its <symbol>.
KEPT_ATTRIBUTES = ("viewBox", "fill", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin")


class IconError(Exception):
    pass


def package_dir() -> Path:
    return Path(settings.BASE_DIR) / "node_modules" / PACKAGE


def sprite_path() -> Path:
    return Path(settings.BASE_DIR) / "static" / SPRITE


def package_version(source: Path) -> str:
    import json

    try:
        return str(json.loads((source / "package.json").read_text())["version"])
    except (OSError, ValueError, KeyError) as error:
        raise IconError(f"{source}: not the {PACKAGE} package ({error}); run `make install-node`.") from None


def build_sprite(names: Iterable[str], source: Path) -> str:
    """The sprite (an SVG document of one <symbol id=name> per icon) from the package's
    icons/<name>.svg files. An unknown name raises IconError."""
    ET.register_namespace("", SVG_NS)
    version = package_version(source)
    sprite = ET.Element(f"{{{SVG_NS}}}svg")
    for name in sorted(set(names)):
        if not re.fullmatch(r"[a-z0-9-]+", name):
            raise IconError(f"{name!r} is not an icon name")
        path = source / "icons" / f"{name}.svg"
        try:
            icon = ET.parse(path).getroot()  # noqa: S314 (the pinned package's own files, not user input)
        except FileNotFoundError:
            raise IconError(f"{PACKAGE} {version} has no icon {name!r} ({path})") from None
        symbol = ET.SubElement(sprite, f"{{{SVG_NS}}}symbol", id=name)
        for attribute in KEPT_ATTRIBUTES:
            if attribute in icon.attrib:
                symbol.set(attribute, icon.attrib[attribute])
        symbol.extend(list(icon))
    ET.indent(sprite, space="")
    body = ET.tostring(sprite, encoding="unicode")
    notice = (
        f"<!-- {PACKAGE} {version} (ISC licence, Lucide Contributors): built by manage.py build_icons -->"
    )
    return f"{notice}\n{body}\n"
