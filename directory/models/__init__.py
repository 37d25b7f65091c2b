from .accounts import PendingSignup
from .agenda import CalendarSource, Event, EventOccurrence
from .areas import Area
from .associations import Association, AssociationChange, Place, SlugRedirect
from .categories import Audience, Category, Language
from .editing import (
    AssociationManager,
    Claim,
    Invitation,
    ListingDraft,
    PendingChange,
    Photo,
    TemporaryUpload,
)
from .guides import Guide
from .helpers import DigitalSkill, HelperProfile, HelperSkill, HelpOffer, HelpRequest, RequestSkill
from .moderation import DuplicateCandidate, ModeratorScope, Report, ReviewLock, VerificationReminder
from .news import NewsItem
from .offers import Service
from .opening import OpeningSlot
from .places import Street, TransitStation
from .search import SearchFacet, SearchFacetSet, SearchPoint, SearchRow, SearchService, SearchTerm
from .volunteering import Moment, VolunteerNeed, VolunteerResponse

__all__ = [
    "Area",
    "Association",
    "AssociationChange",
    "AssociationManager",
    "Audience",
    "CalendarSource",
    "Category",
    "Claim",
    "DigitalSkill",
    "DuplicateCandidate",
    "Event",
    "EventOccurrence",
    "Guide",
    "HelpOffer",
    "HelpRequest",
    "HelperProfile",
    "HelperSkill",
    "Invitation",
    "Language",
    "ListingDraft",
    "ModeratorScope",
    "Moment",
    "NewsItem",
    "OpeningSlot",
    "PendingChange",
    "PendingSignup",
    "Photo",
    "Place",
    "Report",
    "RequestSkill",
    "ReviewLock",
    "SearchFacet",
    "SearchFacetSet",
    "SearchPoint",
    "SearchRow",
    "SearchService",
    "SearchTerm",
    "Service",
    "SlugRedirect",
    "Street",
    "TemporaryUpload",
    "TransitStation",
    "VerificationReminder",
    "VolunteerNeed",
    "VolunteerResponse",
]
