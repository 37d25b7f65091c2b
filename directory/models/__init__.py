from .areas import Area
from .associations import (
    Association,
    AssociationChange,
    Audience,
    Language,
    Place,
    SlugRedirect,
)
from .categories import Category

__all__ = [
    "Area",
    "Association",
    "AssociationChange",
    "Audience",
    "Category",
    "Language",
    "Place",
    "SlugRedirect",
]
