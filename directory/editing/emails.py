"""Our e-mails: French unless told otherwise, plain text and HTML, sent once the transaction has
committed."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape


def send_email(*, to, template, context=None, reply_to=None, language=None):
    """Render templates/emails/<template>{_subject.txt,.txt} and send after the commit.

    The HTML part is the same text in templates/emails/_layout.html (paragraphs, links made
    clickable, everything escaped): one wording per e-mail, two formats.

    `reply_to`: an address answers go to (a resident's, so that our sender stays the From).

    Called inside a service's transaction: if it rolls back, nothing is sent.

    In French (settings.LANGUAGE_CODE, links to the French pages) unless `language` is given:
    most e-mails go to associations and moderators, whatever language the person whose action
    sends them reads the site in (a moderator's admin may be English). The account e-mails a
    visitor asks for pass the language of their request.
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

    transaction.on_commit(send)
