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
from .editing import AssociationManager, Claim, Invitation, PendingChange, Photo
from .moderation import DuplicateCandidate, ModeratorScope, Report, ReviewLock, VerificationReminder
from .search import SearchFacet, SearchTerm

__all__ = [
    "Area",
    "Association",
    "AssociationChange",
    "AssociationManager",
    "Audience",
    "Category",
    "Claim",
    "DuplicateCandidate",
    "Invitation",
    "Language",
    "ModeratorScope",
    "PendingChange",
    "Photo",
    "Place",
    "Report",
    "ReviewLock",
    "SearchFacet",
    "SearchTerm",
    "SlugRedirect",
    "VerificationReminder",
]
