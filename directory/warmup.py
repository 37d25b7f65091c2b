"""What a serving process does once, before its first request (gunicorn's `post_worker_init`,
gunicorn.conf.py; the in-process benchmark, which stands for a worker).

1. Load what the first requests would otherwise load one by one: the URL resolver, the compiled
   templates of the public pages, the reference snapshot (directory/reference.py), both
   languages' catalogs.
2. `gc.freeze()`: everything alive then (Django, the snapshot, the compiled templates: about
   170 000 objects) moves to the collector's permanent generation. Python's full collections walk
   every tracked object; with them frozen, the one a worker runs every hundred requests or so took
   8 ms instead of 88 (measured on the results page, docs/benchmarks.md): without it, a resident's
   search now and then paid a 90 ms pause for nothing.

A snapshot reloaded later (reference data changed) is collected as usual. Nothing here may stop
a worker from serving: a failure is logged and the process goes on unwarmed.
"""

from __future__ import annotations

import gc
import logging

logger = logging.getLogger(__name__)

# The templates of the pages residents open first: the results page and its parts, a listing.
TEMPLATES = (
    "directory/home.html",
    "directory/association_list.html",
    "directory/_results.html",
    "directory/association_detail.html",
    "directory/search_busy.html",
)


def load() -> None:
    """Load the resolver, the templates, the reference snapshot and the catalogs."""
    from django.conf import settings
    from django.template.loader import get_template
    from django.urls import get_resolver
    from django.utils import translation

    from directory import reference

    get_resolver().url_patterns  # noqa: B018 (imports every view module)
    get_resolver()._populate()
    for name in TEMPLATES:
        get_template(name)
    reference.get()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Rechercher")


def prepare_process() -> None:
    """Warm this process, then freeze what is alive (see the module's docstring)."""
    try:
        load()
    except Exception:  # a worker unwarmed still serves (its first requests load what they need)
        logger.exception("Warm-up of the serving process failed")
    gc.collect()
    gc.freeze()
