"""The error summary shown at the top of every form sent back with errors.

One place decides how errors are announced (WCAG 3.3.1, 3.3.3): a summary that takes the
focus when the page loads (`autofocus` on a `tabindex="-1"` region, no script needed), a
heading saying how many errors there are, and each error a link to its field. Django's own
rendering (`as_field_group`) already marks each invalid field `aria-invalid="true"` and points
its `aria-describedby` at the `<id>_error` list beside it.
"""

from django import forms, template

register = template.Library()


def field_target(bound_field):
    """The id to link to: the field's input, or the first choice of a radio/checkbox group."""
    if bound_field.field.widget.use_fieldset:
        subwidgets = bound_field.subwidgets
        if subwidgets:
            return subwidgets[0].id_for_label
    return bound_field.id_for_label or bound_field.auto_id


def _errors_of(form):
    """(message, target id or None) for one form: its non-field errors first, then each field's."""
    entries = [(str(error), None) for error in form.non_field_errors()]
    for name in form.errors:
        if name == forms.forms.NON_FIELD_ERRORS or name not in form.fields:
            continue
        bound = form[name]
        if bound.is_hidden:
            entries.extend((str(error), None) for error in bound.errors)
            continue
        label = bound.label
        entries.extend(
            (f"{label} : {error}" if label else str(error), field_target(bound)) for error in bound.errors
        )
    return entries


@register.inclusion_tag("forms/_error_summary.html")
def error_summary(*forms_or_formsets):
    """Every error of the given forms and formsets (None entries are skipped), in page order."""
    entries = []
    for item in forms_or_formsets:
        if item is None or not getattr(item, "is_bound", False):
            continue
        if isinstance(item, forms.BaseFormSet):
            entries.extend((str(error), None) for error in item.non_form_errors())
            for form in item.forms:
                entries.extend(_errors_of(form))
        else:
            entries.extend(_errors_of(item))
    return {"entries": entries, "count": len(entries)}
