"""The Django template engine, whose rendered contexts leave no reference cycle.

Django's `Context` and each `ContextDict` pushed onto it refer to each other, so every rendered
context, with every value it was given (a results page's cards, facets, form and search), was
a reference cycle that only Python's cyclic collector frees: about 2 400 objects a results page
and 3 300 an API page waited for it, and its full collections then took up to 50 ms inside
later requests (docs/benchmarks.md, seventeenth round). Here a context's layers are dropped as
soon as its template is rendered (the test client keeps copies of them, taken while rendering).
Configured as the `BACKEND` of settings.TEMPLATES.
"""

from __future__ import annotations

from typing import Any

from django.template import TemplateDoesNotExist
from django.template.backends import django as django_backend
from django.template.context import make_context


class Template(django_backend.Template):
    def render(self, context: dict[str, Any] | None = None, request: Any = None) -> Any:
        rendered = make_context(context, request, autoescape=self.backend.engine.autoescape)
        try:
            return self.template.render(rendered)
        except TemplateDoesNotExist as exc:
            django_backend.reraise(exc, self.backend)
        finally:
            rendered.dicts.clear()


class DjangoTemplates(django_backend.DjangoTemplates):
    def from_string(self, template_code: str) -> Template:
        return Template(self.engine.from_string(template_code), self)

    def get_template(self, template_name: str) -> Template:
        try:
            return Template(self.engine.get_template(template_name), self)
        except TemplateDoesNotExist as exc:
            django_backend.reraise(exc, self)
