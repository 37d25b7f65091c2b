"""Opening hours that know the French calendar (Europe/Paris).

- `calendar`: public holidays (`holidays`), school holidays of zone A
  (`vacances-scolaires-france`), the clock;
- `rules`: a place's rules (weekly hours, public and school holidays, dated exceptions, a
  temporary closure), the hours of one day, the open status and its French label;
- `index`: the precomputed opening slots and the one-query open sets of the `ouvert` search.
"""
