"""The texts a listing is shared with: an SMS of at most 160 characters, a WhatsApp message and
the phone's share sheet (Web Share API), each with the listing's short address."""

from urllib.parse import quote

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from directory.models import Association, Place

SMS_LIMIT = 160
NAME_SHARE = 0.6  # when name and address do not both fit, the name keeps at least this share


def shorten(text: object, limit: int) -> str:
    """`text` in at most `limit` characters: cut at a word where one is close, ending with '…'."""
    text = " ".join(str(text or "").split())
    if len(text) <= limit:
        return text
    if limit <= 1:
        return "…"[:limit]
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:-–·") + "…"


def id_link(association: Association) -> str:
    """The shortest address of a listing, by its number (/f/123): it fits in any SMS, whatever
    the length of its name and slug."""
    return settings.SITE_URL + reverse("directory:short_id_link", args=[association.pk])


def slug_link(association: Association) -> str:
    """The readable short address (/a/<slug>)."""
    return settings.SITE_URL + reverse("directory:short_link", args=[association.slug])


def sms_text(
    *, name: str | None, phone: str | None, address: str | None, link: str, limit: int = SMS_LIMIT
) -> str:
    """'Name\\nphone\\naddress\\nlink' in at most `limit` characters. The link and the phone number
    are never cut; the name and the address share what is left, the address giving way first."""
    phone = " ".join((phone or "").split())[:30]
    address = " ".join((address or "").split())
    fixed = [part for part in (phone, link) if part]
    room = limit - sum(len(part) + 1 for part in fixed)  # each part and its line break
    if address:
        room -= 1
    name = " ".join((name or "").split())
    if len(name) + len(address) > room:
        name_room = max(min(len(name), room - len(address)), int(room * NAME_SHARE))
        name = shorten(name, min(len(name), name_room))
        address = shorten(address, room - len(name)) if room - len(name) > 8 else ""
    lines = [name, phone, address, link]
    return "\n".join(line for line in lines if line)


def listing_texts(association: Association, place: Place | None) -> dict[str, str]:
    """{'sms', 'whatsapp', 'share'} texts of a published listing and its main place (or None)."""
    address = place.full_address if place is not None else ""
    sms = sms_text(name=association.name, phone=association.phone, address=address, link=id_link(association))
    details = [part for part in (association.phone, address) if part]
    share = association.name + (" – " + " – ".join(details) if details else "")
    whatsapp = _("%(listing)s, sur Lyon Assos : %(url)s") % {"listing": share, "url": slug_link(association)}
    return {"sms": sms, "whatsapp": whatsapp, "share": share}


def sms_href(text: str) -> str:
    """An sms: link with the body only, the form both Android and iOS read ('sms:?&body=')."""
    return "sms:?&body=" + quote(text, safe="")


def whatsapp_href(text: str) -> str:
    return "https://wa.me/?text=" + quote(text, safe="")
