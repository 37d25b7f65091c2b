"""Practical guides moderators write in the admin: services.py (Markdown rendering and sanitising,
the first guides shipped in directory/data/guides/), views.py (the public pages), admin.py."""
