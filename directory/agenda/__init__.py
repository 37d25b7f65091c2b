"""The agenda: events and permanences of the listings, their .ics out and the import of the
associations' own calendars (models in directory/models/agenda.py)."""
