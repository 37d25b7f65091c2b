"""English names of the reference tables (categories, areas, audiences, languages).

The French name is the reference (`name`, what moderators, exports and the API use); each
table has a `<field>_en` column beside it, loaded from directory/data/*.csv and editable in the
admin. Pages show `label` (and a category's `summary`): the active language's value, or the
French one where no translation is filled in. Model fields rather than gettext catalogs because
moderators edit these rows in the admin, and a new category must be translatable there too.
"""

from django.utils import translation


def in_active_language(obj, field):
    """`obj.<field>_<language>` when it exists and is filled, else the French `obj.<field>`."""
    language = (translation.get_language() or "").split("-")[0]
    value = getattr(obj, f"{field}_{language}", "") if language else ""
    return value or getattr(obj, field)


class TranslatedName:
    """Mixin of the models with a `name` and a `name_en`."""

    @property
    def label(self):
        return in_active_language(self, "name")
