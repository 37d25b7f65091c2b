"""Volunteer needs managers post on their listing and the residents' answers: services.py,
forms.py, views.py (the public list, a need with its answer form, the managers' pages), admin.py."""
