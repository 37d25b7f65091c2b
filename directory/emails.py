"""Our e-mails: French unless told otherwise, plain text and HTML, sent once the transaction has
committed; the account e-mails after the response, from a small thread pool."""

import logging
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape

logger = logging.getLogger("directory.emails")
_pool = None


def _send_quietly(send):
    try:
        send()
    except Exception:  # nobody is waiting for this answer: log it
        logger.exception("e-mail not sent")


def deliver_after_response(send):
    """Call `send()` after the commit, in a thread of a small pool (EMAIL_BACKGROUND_THREADS;
    0: at once, as tests do), so that the response never waits for the mail server.

    For the account e-mails (sign-up, password reset, e-mail change): whether one leaves, and
    which, must not show in the time a public page takes to answer. A message still queued when
    its worker stops is lost; the person asks again.
    """
    global _pool
    threads = settings.EMAIL_BACKGROUND_THREADS
    if threads <= 0:
        transaction.on_commit(send)
        return
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="email")
    transaction.on_commit(lambda: _pool.submit(_send_quietly, send))


def send_email(
    *,
    to: str | Iterable[str],
    template: str,
    context: Mapping[str, Any] | None = None,
    reply_to: str | None = None,
    language: str | None = None,
    after_response: bool = False,
) -> None:
    """Render templates/emails/<template>{_subject.txt,.txt} and send after the commit.

    The HTML part is the same text in templates/emails/_layout.html (paragraphs, links made
    clickable, everything escaped): one wording per e-mail, two formats.

    `reply_to`: an address answers go to (a resident's, so that our sender stays the From).

    Called inside a service's transaction: if it rolls back, nothing is sent.

    In French (settings.LANGUAGE_CODE, links to the French pages) unless `language` is given:
    most e-mails go to associations and moderators, whatever language the person whose action
    sends them reads the site in (a moderator's admin may be English). The account e-mails a
    visitor asks for pass the language of their request.

    `after_response`: sent from the thread pool of `deliver_after_response`.
    """
    recipients = [to] if isinstance(to, str) else [address for address in to if address]
    if not recipients:
        return
    context = {"site_url": settings.SITE_URL, **(context or {})}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
        text = render_to_string(f"emails/{template}.txt", context)
        # The text part is rendered as plain text (no autoescape of what users wrote in it), so
        # it is escaped before it goes into the HTML part.
        html = render_to_string("emails/_layout.html", {"subject": subject, "body": escape(text)})

    def send():
        message = EmailMultiAlternatives(
            subject, text, settings.DEFAULT_FROM_EMAIL, recipients, reply_to=[reply_to] if reply_to else None
        )
        message.attach_alternative(html, "text/html")
        message.send()

    if after_response:
        deliver_after_response(send)
    else:
        transaction.on_commit(send)
