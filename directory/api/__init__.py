"""The public JSON API (`/api/…`): listings, categories and areas; described by
directory/opendata/openapi.py."""
