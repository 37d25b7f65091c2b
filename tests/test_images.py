"""Uploaded images: formats, size, pixel count, corrupt files, EXIF orientation and metadata."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from directory import images
from directory.models import Association, PendingChange, Photo
from tests import builders

FIXTURES = __import__("pathlib").Path(__file__).parent / "fixtures" / "images"


def gps_exif(orientation=None):
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (45.0, 45.0, 0.0)
    if orientation:
        exif[0x0112] = orientation
    return exif


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_accepted_formats_give_three_webp_widths(fmt):
    processed = images.process_image(builders.upload("x", builders.image_bytes(fmt, (2000, 1000))))
    sizes = {}
    for name, data in processed.variants.items():
        with Image.open(io.BytesIO(data)) as image:
            assert image.format == "WEBP"
            sizes[name] = image.size
    assert sizes == {"small": (96, 48), "medium": (400, 200), "large": (1200, 600)}


def test_small_images_are_not_enlarged():
    processed = images.process_image(builders.upload("x", builders.image_bytes("PNG", (50, 40))))
    with Image.open(io.BytesIO(processed.variants["large"])) as image:
        assert image.size == (50, 40)


def test_exif_orientation_is_applied_and_every_metadata_removed():
    # Orientation 6: the camera was turned; the stored pixels are 600×300, shown 300×600.
    data = builders.image_bytes("JPEG", (600, 300), exif=gps_exif(orientation=6))
    with Image.open(io.BytesIO(data)) as original:
        assert original.getexif().get_ifd(0x8825)  # the fixture really has GPS data
    processed = images.process_image(builders.upload("x.jpg", data))
    assert (processed.width, processed.height) == (300, 600)
    for content in processed.variants.values():
        with Image.open(io.BytesIO(content)) as image:
            assert not image.getexif()
            assert "exif" not in image.info and "xmp" not in image.info and "icc_profile" not in image.info
        assert b"CameraMaker" not in content


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"not an image at all", "corrupt"),
        (builders.image_bytes("JPEG")[:400], "corrupt"),  # truncated: fails when fully decoded
        (builders.image_bytes("GIF"), "format"),
        (builders.image_bytes("BMP"), "format"),
    ],
)
def test_bad_files_are_refused(content, code):
    with pytest.raises(ValidationError) as error:
        images.process_image(builders.upload("x.jpg", content))
    assert error.value.code == code


def noise_png(size=(100, 100)):
    import os

    out = io.BytesIO()
    Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(out, format="PNG")
    return out.getvalue()


def test_too_many_bytes(settings):
    settings.IMAGE_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as error:
        images.process_image(builders.upload("x.png", noise_png()))
    assert error.value.code == "too_large"


def test_decompression_bomb_is_refused_before_decoding():
    # A 10,000 × 5,000 PNG (50 megapixels) compresses to a few kilobytes.
    bomb = (FIXTURES / "bomb.png").read_bytes()
    assert len(bomb) < 200_000
    with pytest.raises(ValidationError) as error:
        images.process_image(builders.upload("bomb.png", bomb, "image/png"))
    assert error.value.code == "too_many_pixels"


def test_stored_through_the_storage_api_original_never_kept(settings):
    processed = images.process_image(builders.upload("x.jpg", builders.image_bytes()))
    names = images.store_image(processed)
    assert sorted(n.rsplit("/", 1)[1] for n in names.values()) == ["1200.webp", "400.webp", "96.webp"]
    for name in names.values():
        assert default_storage.exists(name)
    stored = list((settings.MEDIA_ROOT).rglob("*"))
    assert not [p for p in stored if p.is_file() and p.suffix != ".webp"]


def test_a_corrupt_logo_is_a_form_error_and_the_rest_is_kept(client, listing, manager):
    client.force_login(manager)
    data = builders.editor_post_data(
        listing,
        **{
            "listing-short_description": "Texte gardé.",
            "listing-logo": builders.upload("logo.jpg", b"\xff\xd8\xff garbage"),
        },
    )
    response = client.post(reverse("directory:edit", args=[listing.slug]), data)
    assert response.status_code == 200
    page = builders.soup(response)
    errors = [e.get_text(strip=True) for e in page.select(".errorlist li")]
    assert "Ce fichier n'est pas une image lisible (JPEG, PNG ou WebP) : il est peut-être abîmé." in errors
    assert page.select_one("textarea[name=listing-short_description]").get_text().strip() == "Texte gardé."
    assert not PendingChange.objects.exists()
    assert not Photo.objects.exists()


def test_an_oversized_photo_is_a_form_error(client, listing, manager, settings):
    settings.IMAGE_MAX_BYTES = 2_000
    client.force_login(manager)
    data = builders.editor_post_data(
        listing,
        **{
            "photos-TOTAL_FORMS": 1,
            "photos-0-image": builders.upload(
                "big.png", builders.image_bytes("PNG", (300, 300)) + b"\0" * 3000, "image/png"
            ),
            "photos-0-alt": "Bénévoles",
        },
    )
    response = client.post(reverse("directory:edit", args=[listing.slug]), data)
    assert response.status_code == 200
    errors = [e.get_text(strip=True) for e in builders.soup(response).select(".errorlist li")]
    assert "Cette image pèse plus de 0 Mo : réduisez-la avant de l'envoyer." in errors
    assert not PendingChange.objects.exists()


def test_photos_with_alt_text_are_published_on_approval(client, listing, manager, moderator):
    from directory.editing import services

    client.force_login(manager)
    data = builders.editor_post_data(
        listing,
        **{
            "photos-TOTAL_FORMS": 2,
            "photos-0-image": builders.upload("a.jpg"),
            "photos-0-alt": "Distribution du samedi",
            "photos-1-image": builders.upload("b.jpg"),
            "photos-1-alt": "",
        },
    )
    response = client.post(reverse("directory:edit", args=[listing.slug]), data)
    assert response.status_code == 200  # the second photo lacks its description
    data["photos-1-alt"] = "Le jardin"
    data["photos-0-image"] = builders.upload("a.jpg")
    data["photos-1-image"] = builders.upload("b.jpg")
    assert client.post(reverse("directory:edit", args=[listing.slug]), data).status_code == 302
    change = PendingChange.objects.get(association=listing)
    assert [p["alt"] for p in change.proposed["photos"]] == ["Distribution du samedi", "Le jardin"]
    assert not Photo.objects.filter(is_public=True).exists()
    services.pending_change_approve(change=change, moderator=moderator)
    assert list(Photo.objects.filter(is_public=True).values_list("alt", flat=True)) == [
        "Distribution du samedi",
        "Le jardin",
    ]


def test_at_most_six_photos(client, listing, manager):
    client.force_login(manager)
    existing = [
        Photo.objects.create(
            association=listing,
            small="s",
            medium="m",
            large="l",
            width=1,
            height=1,
            alt=f"p{i}",
            is_public=True,
        )
        for i in range(6)
    ]
    data = builders.editor_post_data(listing)
    assert data["photos-TOTAL_FORMS"] == 6
    data.update(
        {"photos-TOTAL_FORMS": 7, "photos-6-image": builders.upload("c.jpg"), "photos-6-alt": "Une de trop"}
    )
    response = client.post(reverse("directory:edit", args=[listing.slug]), data)
    assert response.status_code == 200
    assert "6 photos au plus." in builders.visible_text(response)
    assert len(existing) == Photo.objects.count()


def test_a_logo_replaces_the_previous_one_on_approval(client, listing, manager, moderator):
    from directory.editing import services

    client.force_login(manager)
    data = builders.editor_post_data(
        listing, **{"listing-logo": builders.upload("logo.webp", builders.image_bytes("WEBP"), "image/webp")}
    )
    client.post(reverse("directory:edit", args=[listing.slug]), data)
    change = PendingChange.objects.get(association=listing)
    services.pending_change_approve(change=change, moderator=moderator)
    listing = Association.objects.get(pk=listing.pk)
    assert listing.logo.name == change.proposed["logo"]
    assert default_storage.exists(listing.logo.name)
