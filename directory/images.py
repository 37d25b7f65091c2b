"""Uploaded logos and photos: checked, fully decoded, cleaned, re-encoded, stored in three widths.

Never trust an upload: the file must be a JPEG, PNG or WebP of at most IMAGE_MAX_BYTES and
IMAGE_MAX_PIXELS, it is verified then fully decoded (a truncated file fails here, not later),
its EXIF orientation is applied, then it is re-encoded to WebP from its pixels only, so no
metadata (GPS position, camera, author) survives. The original upload is never stored.
Files go through Django's storage API (`default_storage`): local disk, or S3-compatible.
"""

import io
import uuid
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
WIDTHS = {"small": 96, "medium": 400, "large": 1200}
WEBP_QUALITY = 82

# Pillow warns above MAX_IMAGE_PIXELS and raises above twice that; we refuse at the limit itself
# (warnings are turned into errors while decoding, and the size is checked before decoding).
Image.MAX_IMAGE_PIXELS = settings.IMAGE_MAX_PIXELS


@dataclass
class ProcessedImage:
    width: int
    height: int
    variants: dict  # {"small": bytes, "medium": bytes, "large": bytes}, WebP


def _invalid(message, code):
    return ValidationError(message, code=code)


def process_image(upload):
    """Validate an uploaded file and return its re-encoded variants. Raises ValidationError."""
    max_bytes = settings.IMAGE_MAX_BYTES
    if upload.size > max_bytes:
        raise _invalid(
            _("Cette image pèse plus de %(mb)d Mo : réduisez-la avant de l'envoyer.")
            % {"mb": max_bytes >> 20},
            "too_large",
        )
    upload.seek(0)
    data = upload.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in ALLOWED_FORMATS:
                    raise _invalid(_("Formats acceptés : JPEG, PNG ou WebP."), "format")
                if probe.width * probe.height > settings.IMAGE_MAX_PIXELS:
                    raise _invalid(
                        _("Cette image est trop grande (plus de 40 mégapixels)."), "too_many_pixels"
                    )
                probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _invalid(_("Cette image est trop grande (plus de 40 mégapixels)."), "too_many_pixels") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise _invalid(
            _("Ce fichier n'est pas une image lisible (JPEG, PNG ou WebP) : il est peut-être abîmé."),
            "corrupt",
        ) from None
    image = ImageOps.exif_transpose(image)
    image = image.convert("RGBA" if _has_alpha(image) else "RGB")
    # A fresh image from the pixels alone: no EXIF, XMP, ICC profile or text chunk survives.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    variants = {}
    for name, width in WIDTHS.items():
        variant = clean.copy()
        variant.thumbnail((width, width * 4), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        variant.save(out, format="WEBP", quality=WEBP_QUALITY, method=4)
        variants[name] = out.getvalue()
    return ProcessedImage(width=clean.width, height=clean.height, variants=variants)


def _has_alpha(image):
    return image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)


def store_image(processed, *, folder="images"):
    """Save the variants through the default storage; returns {"small": name, ...}."""
    key = f"{folder}/{timezone.now():%Y}/{uuid.uuid4().hex}"
    return {
        name: default_storage.save(f"{key}/{WIDTHS[name]}.webp", ContentFile(content))
        for name, content in processed.variants.items()
    }


def delete_files(names):
    for name in names:
        if name:
            default_storage.delete(name)


# Claim documents -----------------------------------------------------------------------------

DOCUMENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}


def check_document(upload):
    """A PDF, JPEG or PNG of at most CLAIM_DOCUMENT_MAX_BYTES; returns its extension."""
    if upload.size > settings.CLAIM_DOCUMENT_MAX_BYTES:
        raise _invalid(_("Le justificatif ne doit pas dépasser 5 Mo."), "too_large")
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if data.startswith(b"%PDF-") and b"%%EOF" in data[-2048:]:
        return "pdf"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                kind = {"JPEG": "jpg", "PNG": "png"}.get(probe.format)
                probe.verify()
    except Exception:  # noqa: BLE001 (any decoding failure means "not an accepted document")
        kind = None
    if kind is None:
        raise _invalid(_("Justificatif accepté : PDF, JPEG ou PNG."), "format")
    return kind
