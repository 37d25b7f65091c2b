"""Guides: Markdown rendering, sanitising, the save service and the shipped first guides.

Moderators write Markdown in the admin. `render_markdown` turns it into HTML with
Python-Markdown, then sanitises it with nh3 (Ammonia) against an allow-list, so that the stored
`Guide.body_html` is safe to mark safe in templates, whatever was typed:

- kept: headings h2 to h4 (a Markdown "#" becomes h2 and "#####" h4, so the outline stays under
  the page's h1), paragraphs, line breaks, rules, lists, links, strong, em, code, pre,
  blockquote and tables;
- links keep only `href`, with the http, https and mailto schemes or a relative address, and
  get `rel="noopener"`;
- images are removed: a guide has no upload, a remote image would tell a third party who reads
  the page (and our CSP only allows our own images), and nobody checks its alt text;
- everything else is removed: script, style and iframe with their content, other tags keep
  only their text; every attribute not listed (on*, style, class, id) is dropped.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree.ElementTree import Element

import markdown
import nh3
from django.db import transaction
from markdown.treeprocessors import Treeprocessor

if TYPE_CHECKING:
    from directory.models import Guide

ALLOWED_TAGS = {
    "h2",
    "h3",
    "h4",
    "p",
    "br",
    "hr",
    "ul",
    "ol",
    "li",
    "a",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}
# Tags removed with their content (the others only lose their tag and keep their text).
DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "noscript", "template"}

FIRST_GUIDES_DIR = Path(__file__).resolve().parent.parent / "data" / "guides"


class _HeadingLevels(Treeprocessor):
    """Clamp headings to h2–h4: the page's title is the only h1."""

    def run(self, root: Element) -> None:
        for element in root.iter():
            if element.tag in {"h1", "h5", "h6"}:
                element.tag = "h2" if element.tag == "h1" else "h4"


class _HeadingLevelsExtension(markdown.Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # Python-Markdown's name
        md.treeprocessors.register(_HeadingLevels(md), "lyonassos_heading_levels", 5)


def render_markdown(text: str) -> str:
    """Moderators' Markdown as sanitised HTML, safe to output unescaped."""
    html = markdown.markdown(
        text or "",
        extensions=["tables", "fenced_code", "sane_lists", _HeadingLevelsExtension()],
        output_format="html",
    )
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener",
        strip_comments=True,
    ).strip()


def guide_save(*, guide: Guide) -> Guide:
    """Save a guide with its body rendered and sanitised: the one way guides are written."""
    with transaction.atomic():
        guide.body_html = render_markdown(guide.body)
        guide.save()
    return guide


def read_first_guides() -> list[dict[str, Any]]:
    """The guides shipped with the project (directory/data/guides/*.md), in file order.

    Each file starts with `title:`, `slug:` and `summary:` lines, then a blank line, then the
    Markdown body.
    """
    guides = []
    for position, path in enumerate(sorted(FIRST_GUIDES_DIR.glob("*.md")), start=1):
        head, _, body = path.read_text(encoding="utf-8").partition("\n\n")
        fields = dict(line.split(": ", 1) for line in head.splitlines())
        guides.append({**fields, "body": body.strip() + "\n", "position": position * 10})
    return guides


def load_first_guides(Guide: Any) -> None:  # a model class, historical in migrations
    """Create or update the shipped guides by slug (idempotent); usable with a historical model."""
    for data in read_first_guides():
        Guide.objects.update_or_create(
            slug=data["slug"],
            defaults={
                "title": data["title"],
                "summary": data["summary"],
                "body": data["body"],
                "body_html": render_markdown(data["body"]),
                "position": data["position"],
                "published": True,
            },
        )
