"""What machines and other sites read: open data files, the OpenAPI description, feeds, sitemaps.

- views.py: the open-data page and files (CSV, JSON, data·inclusion), the OpenAPI document.
- exports.py: the row builders of the files; openapi.py: the API's OpenAPI 3.1 description.
- feeds.py: the Atom feeds; sitemaps.py and seo.py: sitemaps and robots.txt; jsonld.py: the
  schema.org JSON-LD of a listing page.
- embed.py and embed_views.py: the embeddable list other sites frame, and its builder.
"""
