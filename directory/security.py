"""Abuse protection: client address, rate limits and the 429 page, login lockout, honeypot and
minimum-time check for public forms, outgoing e-mail throttling, and the log filter that keeps
passwords, tokens and e-mail addresses out of the logs.

Everything counts in Django's cache (Redis in production, shared by every worker) with atomic
`cache.add` + `cache.incr` in fixed windows. Identifiers (addresses, submitted e-mails) are
HMAC-hashed before they become cache keys, so Redis never holds them in clear.

Rate limits are declared in one table, `settings.RATE_LIMITS`, by URL name, and applied by
`RateLimitMiddleware`: views of other modules need no decorator.
"""

import ipaddress
import logging
import math
import re
import time
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core import signing
from django.core.cache import cache
from django.core.mail.backends.base import BaseEmailBackend
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.crypto import salted_hmac
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

logger = logging.getLogger("directory.security")

# Client address ---------------------------------------------------------------------------


def client_ip(request):
    """The client's address: REMOTE_ADDR, or the first trusted hop of X-Forwarded-For.

    With TRUSTED_PROXY_COUNT = n > 0 (nginx in front: 1), the address is the n-th entry from the
    right of X-Forwarded-For, the one our own proxy appended; entries left of it are written by
    the client and never trusted. A malformed header falls back to REMOTE_ADDR.
    """
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [hop for hop in hops if hop]
        if len(hops) >= count:
            candidate = hops[-count]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return remote


def address_bucket(ip):
    """IPv6 addresses count per /64 (one subscriber's network); IPv4 per address."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip or "unknown"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def hashed(value):
    """A short keyed hash: cache keys and logs never hold addresses or e-mails in clear."""
    return salted_hmac("directory.security", str(value), algorithm="sha256").hexdigest()[:24]


# Counting ---------------------------------------------------------------------------------

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")


@dataclass(frozen=True)
class Rate:
    limit: int
    period: int  # seconds

    @classmethod
    def parse(cls, text):
        """'120/m', '10/15m', '5/h' → Rate(limit, period in seconds)."""
        match = _RATE_RE.match(text)
        if not match:
            raise ValueError(f"Invalid rate {text!r}: expected 'N/unit' or 'N/Munit' (s, m, h, d).")
        limit, multiple, unit = match.groups()
        return cls(int(limit), int(multiple or 1) * _UNITS[unit])


def count_hit(scope, identifier, rate, *, now=None):
    """Count one hit in the current fixed window; the seconds to wait if over the limit, else 0."""
    now = time.time() if now is None else now
    window = int(now // rate.period)
    key = f"rl:{scope}:{hashed(identifier)}:{rate.period}:{window}"
    cache.add(key, 0, timeout=rate.period + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=rate.period + 1)
        count = 1
    if count > rate.limit:
        return max(1, math.ceil((window + 1) * rate.period - now))
    return 0


# Rate-limit middleware and the 429 answer ---------------------------------------------------


def too_many_requests(request, retry_after, *, message=None):
    """429 with Retry-After: a French page, or JSON for the API."""
    retry_after = max(1, int(retry_after))
    minutes = math.ceil(retry_after / 60)
    if retry_after < 60:
        when = _("dans %(n)s secondes") % {"n": retry_after}
    elif minutes == 1:
        when = _("dans une minute")
    else:
        when = _("dans %(n)s minutes") % {"n": minutes}
    message = message or _("Vous avez envoyé trop de demandes en peu de temps.")
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"detail": f"{message} " + _("Réessayez %(when)s.") % {"when": when}}, status=429
        )
    else:
        response = render(
            request,
            "429.html",
            {"message": message, "when": when, "retry_after": retry_after},
            status=429,
        )
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


@dataclass(frozen=True)
class Rule:
    url_name: str  # "namespace:name", or "*" for every view
    methods: frozenset
    per: str  # "ip", "user" (the signed-in account), or "post:<field>" (e.g. the e-mail of a login)
    rate: Rate

    @classmethod
    def from_setting(cls, entry):
        url_name, methods, per, rate = entry
        if per not in ("ip", "user") and not per.startswith("post:"):
            raise ValueError(f"RATE_LIMITS: per must be 'ip', 'user' or 'post:<field>', not {per!r}.")
        return cls(url_name, frozenset(methods.upper().split(",")), per, Rate.parse(rate))

    def identifier(self, request):
        if self.per == "ip":
            return address_bucket(client_ip(request))
        if self.per == "user":  # anonymous requests are not counted here (the "ip" rules do)
            user = getattr(request, "user", None)
            return f"user:{user.pk}" if user is not None and user.is_authenticated else None
        value = request.POST.get(self.per.removeprefix("post:"), "")
        return value.strip().lower()[:254] or None


def _url_name(request):
    match = request.resolver_match
    if match is None or not match.url_name:
        return None
    return f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name


class RateLimitMiddleware:
    """Applies settings.RATE_LIMITS by URL name, and the login lockout.

    Place it after AuthenticationMiddleware (it may render the 429 page with the user's menu).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.rules = [Rule.from_setting(entry) for entry in settings.RATE_LIMITS]
        self.exempt = set(settings.RATE_LIMITS_EXEMPT)

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.RATE_LIMITS_ENABLED:
            return None
        name = _url_name(request)
        if name is None or name in self.exempt:
            return None
        if name in settings.LOGIN_URL_NAMES and request.method == "POST":
            wait = login_locked_for(request.POST.get("username", ""), request)
            if wait:
                return too_many_requests(
                    request,
                    wait,
                    message=_(
                        "Trop de tentatives de connexion ont échoué pour cet identifiant : "
                        "la connexion est suspendue un moment."
                    ),
                )
        for rule in self.rules:
            if rule.url_name not in ("*", name) or request.method not in rule.methods:
                continue
            identifier = rule.identifier(request)
            if identifier is None:
                continue
            scope = name if rule.url_name != "*" else "*"
            wait = count_hit(f"{scope}:{rule.per}", identifier, rule.rate)
            if wait:
                logger.warning("rate limit %s on %s (%s %s)", rule.rate, name, rule.per, hashed(identifier))
                return too_many_requests(request, wait)
        return None


# Login lockout ------------------------------------------------------------------------------
# Failures are counted per submitted identifier (an existing account or not: the answer is the
# same, so the lockout reveals nothing) AND per client address (address_bucket):
# LOGIN_FAILURE_LIMIT in LOGIN_FAILURE_WINDOW seconds locks that pair for LOGIN_LOCKOUT_SECONDS.
# Someone guessing from elsewhere locks only themselves out, never the account's owner; a spread
# attack still meets the per-address RATE_LIMITS of the login URLs. A moderator lifts every lock
# of an identifier with `manage.py unlock_account EMAIL` (login_unlock): the identifier's
# "generation" is part of each key, so bumping it forgets every address's count and lock.


def _login_key(kind, identifier, request=None):
    identifier = (identifier or "").strip().lower()[:254]
    generation = cache.get(f"login-gen:{hashed(identifier)}", 0)
    address = address_bucket(client_ip(request)) if request is not None else ""
    return f"login-{kind}:{hashed(f'{identifier}|{address}')}:{generation}"


def login_locked_for(identifier, request=None):
    """Seconds left of the lock of this identifier from this client's address, 0 when not locked."""
    if not (identifier or "").strip():
        return 0
    until = cache.get(_login_key("lock", identifier, request))
    return max(0, math.ceil(until - time.time())) if until else 0


def record_login_failure(identifier, request=None):
    """Count a failed login; True when this failure locks the identifier for this address."""
    identifier = (identifier or "").strip().lower()[:254]
    if not identifier:
        return False
    rate = Rate(settings.LOGIN_FAILURE_LIMIT, settings.LOGIN_FAILURE_WINDOW)
    if count_hit(
        "login-failure", _login_key("failure", identifier, request), Rate(rate.limit - 1, rate.period)
    ):
        lockout = settings.LOGIN_LOCKOUT_SECONDS
        cache.set(_login_key("lock", identifier, request), time.time() + lockout, timeout=lockout)
        cache.set(f"login-locked:{hashed(identifier)}", True, timeout=lockout)
        logger.warning("login locked for %s s (account %s)", lockout, hashed(identifier))
        return True
    return False


def login_locked_anywhere(identifier):
    """Whether a failure locked this identifier from some address in the last lockout period."""
    identifier = (identifier or "").strip().lower()[:254]
    return cache.get(f"login-locked:{hashed(identifier)}") is not None


def login_unlock(identifier):
    """Lift every lock and forget every failure of this identifier, from any address.
    True when it was locked from somewhere."""
    identifier = (identifier or "").strip().lower()[:254]
    key = f"login-gen:{hashed(identifier)}"
    cache.set(key, cache.get(key, 0) + 1, timeout=None)
    was_locked = login_locked_anywhere(identifier)
    cache.delete(f"login-locked:{hashed(identifier)}")
    return was_locked


@receiver(user_login_failed, dispatch_uid="directory.security.login_failed")
def _on_login_failed(sender, credentials, request=None, **kwargs):
    record_login_failure(credentials.get("username") or credentials.get("email") or "", request)


# Honeypot and minimum time ------------------------------------------------------------------

_STAMP_SALT = "directory.security.form-started"


def form_stamp(now=None):
    return signing.dumps(int(time.time() if now is None else now), salt=_STAMP_SALT)


class HumanCheckMixin:
    """For public forms: a honeypot field and a signed start time.

    A robot fills every field (the honeypot `website`, hidden from people by the template) or
    posts within HUMAN_MIN_SECONDS of loading the form. Both fail validation with a neutral
    message; a person who really was that fast just sends again (the stamp is renewed).
    Render the two fields with `{% include "security/_human_check.html" %}`.
    """

    honeypot_field = "website"
    stamp_field = "form_started"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[self.honeypot_field] = forms.CharField(
            label=gettext_lazy("Ne pas remplir ce champ"),
            required=False,
            widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
        )
        self.fields[self.stamp_field] = forms.CharField(
            required=False, widget=forms.HiddenInput, initial=form_stamp
        )

    @property
    def is_spam(self):
        return getattr(self, "_spam", False)

    def _renew_stamp(self):
        if self.is_bound:
            data = self.data.copy()
            data[self.add_prefix(self.stamp_field)] = form_stamp()
            self.data = data

    def clean(self):
        cleaned = super().clean()
        if cleaned.get(self.honeypot_field):
            self._spam = True
            logger.info("honeypot filled on %s", type(self).__name__)
            raise forms.ValidationError(_("Le formulaire n'a pas pu être envoyé."), code="spam")
        try:
            started = signing.loads(
                cleaned.get(self.stamp_field) or "", salt=_STAMP_SALT, max_age=settings.HUMAN_MAX_AGE
            )
        except signing.BadSignature:
            self._renew_stamp()
            raise forms.ValidationError(
                _("Le formulaire a expiré : vérifiez vos réponses et envoyez-le à nouveau."),
                code="stale",
            ) from None
        if time.time() - started < settings.HUMAN_MIN_SECONDS:
            self._spam = True
            self._renew_stamp()
            raise forms.ValidationError(
                _("Envoi trop rapide : relisez le formulaire et envoyez-le à nouveau."), code="too_fast"
            )
        return cleaned


# Outgoing e-mail throttling -----------------------------------------------------------------


class ThrottledEmailBackend(BaseEmailBackend):
    """Wraps the real backend: at most EMAIL_PER_RECIPIENT_PER_HOUR messages to one address and
    EMAIL_PER_HOUR in all per hour. An over-limit message is dropped and logged (recipient
    hashed); the others of the batch go on.

    MAILERS = {"default": {"BACKEND": "directory.security.ThrottledEmailBackend",
                           "OPTIONS": {"backend": "...smtp.EmailBackend", "options": {...}}}}
    """

    def __init__(self, *, backend, options=None, alias=None, **kwargs):
        inner_kwargs = {}
        if "fail_silently" in kwargs:
            inner_kwargs["fail_silently"] = kwargs.pop("fail_silently")
        kwargs.pop("_ignore_unknown_kwargs", None)
        super().__init__(alias=alias, **kwargs)
        self.inner = import_string(backend)(alias=alias, **(options or {}), **inner_kwargs)

    def open(self):
        return self.inner.open()

    def close(self):
        return self.inner.close()

    def _allowed(self, message):
        hour = Rate(settings.EMAIL_PER_HOUR, 3600)
        per_recipient = Rate(settings.EMAIL_PER_RECIPIENT_PER_HOUR, 3600)
        recipients = [address.strip().lower() for address in message.recipients()]
        over = [r for r in recipients if count_hit("mail-recipient", r, per_recipient)]
        if over:
            logger.warning(
                "e-mail dropped: recipient over %s/h (%s), subject %r",
                per_recipient.limit,
                ", ".join(hashed(r) for r in over),
                scrub(str(message.subject))[:80],
            )
            return False
        if count_hit("mail-global", "all", hour):
            logger.error("e-mail dropped: global cap of %s/h reached", hour.limit)
            return False
        return True

    def send_messages(self, email_messages):
        allowed = [message for message in email_messages if self._allowed(message)]
        if not allowed:
            return 0
        return self.inner.send_messages(allowed) or 0


# Log privacy --------------------------------------------------------------------------------

_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_SECRET_RE = re.compile(
    r"(?i)\b(password|passwd|mot_de_passe|token|code|secret|key|uidb64|sessionid|csrftoken)"
    r"(\s*[=:]\s*|\"?\s*:\s*\"?|')([^\s&,;\"']+)"
)
# Verification, reset, invitation and confirmation links carry their secret in the path.
_PATH_TOKEN_RE = re.compile(
    r"(/(?:verifier|nouveau|invitation|confirmer|confirmer-la-fiche|email/confirmer)/)[^\s\"?]+"
)


def scrub(text):
    """The text with e-mail addresses, `password=`/`token=`/`code=` values and link tokens masked."""
    text = _EMAIL_RE.sub("[email]", text)
    text = _SECRET_RE.sub(lambda m: f"{m.group(1)}{m.group(2)}[masqué]", text)
    return _PATH_TOKEN_RE.sub(r"\1[masqué]", text)


class ScrubFilter(logging.Filter):
    """A logging filter: formats the record's message once and scrubs it."""

    def filter(self, record):
        try:
            message = record.getMessage()
        except Exception:  # a broken log call must not break the request
            return True
        cleaned = scrub(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            # Formatters reuse exc_text: format the traceback here, scrubbed.
            record.exc_text = scrub(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = scrub(record.exc_text)
        return True
