"""Uploaded logos and photos: checked, fully decoded, cleaned, re-encoded, stored in three widths.

Never trust an upload: the file must be a JPEG, PNG or WebP of at most IMAGE_MAX_BYTES and
IMAGE_MAX_PIXELS (check_image: the header only, cheap, while a form validates), then it is fully
decoded once (process_image, once the whole form is valid; a truncated file fails here, not later),
its EXIF orientation is applied, then it is re-encoded to WebP from its pixels only, so no
metadata (GPS position, camera, author) survives. The original upload is never stored.
Files go through Django's storage API (`default_storage`): local disk, or S3-compatible.
"""

import io
import math
import uuid
import warnings
from collections.abc import Iterable
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
    variants: dict[str, bytes]  # {"small": bytes, "medium": bytes, "large": bytes}, WebP


def _invalid(message, code):
    return ValidationError(message, code=code)


def _too_large():
    return _invalid(_("Cette image est trop grande (plus de 40 mégapixels)."), "too_many_pixels")


def _corrupt():
    return _invalid(
        _("Ce fichier n'est pas une image lisible (JPEG, PNG ou WebP) : il est peut-être abîmé."),
        "corrupt",
    )


def _open_checked(fileobj):
    """Image.open (the header only, nothing decoded) with the format and pixel count checked."""
    image = Image.open(fileobj)
    if image.format not in ALLOWED_FORMATS:
        raise _invalid(_("Formats acceptés : JPEG, PNG ou WebP."), "format")
    if image.width * image.height > settings.IMAGE_MAX_PIXELS:
        raise _too_large()
    return image


def _check_bytes(upload):
    max_bytes = settings.IMAGE_MAX_BYTES
    if upload.size > max_bytes:
        raise _invalid(
            _("Cette image pèse plus de %(mb)d Mo : réduisez-la avant de l'envoyer.")
            % {"mb": max_bytes >> 20},
            "too_large",
        )


def check_image(upload):
    """The cheap checks, nothing decoded: bytes, then format and pixel count from the header.

    Forms call it while validating; process_image() decodes, once the whole form is valid.
    """
    _check_bytes(upload)
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with _open_checked(upload):  # `with` leaves the upload open, close() would not
                pass
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_large() from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise _corrupt() from None
    finally:
        upload.seek(0)
    return upload


def _transposed_size(image):
    """The size once the EXIF orientation is applied (5 to 8 turn the image a quarter)."""
    orientation = image.getexif().get(0x0112, 1)
    return (image.height, image.width) if orientation in (5, 6, 7, 8) else image.size


def process_image(upload):
    """Validate an uploaded file and return its re-encoded variants. Raises ValidationError.

    The file is opened and decoded once, straight to the largest width; each smaller width is
    resized from the next larger one, never from the full-size pixels.
    """
    _check_bytes(upload)
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = _open_checked(io.BytesIO(data))
            width, height = _transposed_size(image)
            # A JPEG is decoded at the smallest scale that still covers the largest width
            # (Pillow's draft mode, DCT scaling), other formats in full; either way to the end
            # (a truncated file fails here, not later). It is then brought down to the largest
            # width at once, so the copies below are made of at most 1200 px, not of 40 Mpx.
            box = (WIDTHS["large"], WIDTHS["large"] * 4)
            if (width, height) != image.size:
                box = box[::-1]  # stored a quarter turn away from how it is shown
            scale = min(box[0] / image.width, box[1] / image.height, 1)
            if scale < 1:
                image.draft(image.mode, (math.ceil(image.width * scale), math.ceil(image.height * scale)))
            image.load()
            image.thumbnail(box, Image.Resampling.LANCZOS)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_large() from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise _corrupt() from None
    image = ImageOps.exif_transpose(image)
    image = image.convert("RGBA" if _has_alpha(image) else "RGB")
    # A fresh image from the pixels alone: no EXIF, XMP, ICC profile or text chunk survives.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    del image
    variants = {}
    variant = clean
    for name, target in sorted(WIDTHS.items(), key=lambda item: -item[1]):
        variant = variant.copy()
        variant.thumbnail((target, target * 4), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        variant.save(out, format="WEBP", quality=WEBP_QUALITY, method=4)
        variants[name] = out.getvalue()
    # The size of the upload as shown (orientation applied), whatever scale it was decoded at.
    return ProcessedImage(width=width, height=height, variants={name: variants[name] for name in WIDTHS})


def _has_alpha(image):
    return image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)


def store_image(processed: ProcessedImage, *, folder: str = "images") -> dict[str, str]:
    """Save the variants through the default storage; returns {"small": name, ...}."""
    key = f"{folder}/{timezone.now():%Y}/{uuid.uuid4().hex}"
    return {
        name: default_storage.save(f"{key}/{WIDTHS[name]}.webp", ContentFile(content))
        for name, content in processed.variants.items()
    }


def delete_files(names: Iterable[str]) -> None:
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
    except Exception:  # any decoding failure means "not an accepted document"
        kind = None
    if kind is None:
        raise _invalid(_("Justificatif accepté : PDF, JPEG ou PNG."), "format")
    return kind
