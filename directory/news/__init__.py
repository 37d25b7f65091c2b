"""News items managers post on their listing: services.py (publish, archive), views.py (the
managers' page and the listing's short address), admin.py (moderators withdraw them)."""
