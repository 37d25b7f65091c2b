"""Listings, as residents read them and as every feature writes them.

- views.py: the public pages (home, search results, a listing, a category, an area, static pages).
- printing.py: the printable list, a listing's poster and QR code.
- selectors.py: the reads of the home page (top categories with counts, areas).
- services.py: listing-wide writes every feature uses: status, slug, verification, the change
  log, search text refresh.
- state.py: a listing's state (the JSON form of its public fields, read and applied) and its diff.
- forms.py: a place's form and its opening hours.
- admin.py: the admins of listings and their reference data.
"""
