"""Where an imported listing or service comes from (directory/offers/datainclusion.py)."""

from django import template

from directory.offers import datainclusion

register = template.Library()


@register.simple_tag
def source_of(item):
    """The SourceNote of a listing or a service imported from data·inclusion, else None."""
    return datainclusion.source_note(item)


@register.simple_tag
def service_sources(association):
    """[(service, SourceNote)] of the listing's imported services. Only a listing the import has
    touched reads its services here (one query, none when the page has prefetched them)."""
    if not association.datainclusion_imported:
        return []
    notes = [(service, datainclusion.source_note(service)) for service in association.services.all()]
    return [(service, note) for service, note in notes if note is not None]
