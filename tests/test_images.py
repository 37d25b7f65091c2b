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
            assert "exif" not in image.info
            assert "xmp" not in image.info
            assert "icc_profile" not in image.info
        assert b"CameraMaker" not in content


@pytest.mark.parametrize(
    ("fmt", "stored", "orientation", "shown", "large"),
    [
        ("JPEG", (3000, 1500), 6, (1500, 3000), (1200, 2400)),  # decoded at a reduced scale
        ("JPEG", (6000, 2000), None, (6000, 2000), (1200, 400)),
        ("PNG", (6000, 2000), None, (6000, 2000), (1200, 400)),
    ],
)
def test_large_images_are_decoded_once_to_the_largest_width(fmt, stored, orientation, shown, large):
    exif = gps_exif(orientation=orientation) if orientation else None
    data = builders.image_bytes(fmt, stored, exif=exif)
    opened = []
    original = Image.open

    def counting_open(*args, **kwargs):
        opened.append(args)
        return original(*args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Image, "open", counting_open)
        processed = images.process_image(builders.upload("x", data))
    assert len(opened) == 1
    assert (processed.width, processed.height) == shown
    sizes = {name: original(io.BytesIO(content)).size for name, content in processed.variants.items()}
    assert sizes["large"] == large
    assert sizes["medium"][0] == 400
    assert sizes["small"][0] == 96


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
    response = client.post(reverse("directory:edit_all", args=[listing.slug]), data)
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
    response = client.post(reverse("directory:edit_all", args=[listing.slug]), data)
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
    response = client.post(reverse("directory:edit_all", args=[listing.slug]), data)
    assert response.status_code == 200  # the second photo lacks its description
    data["photos-1-alt"] = "Le jardin"
    data["photos-0-image"] = builders.upload("a.jpg")
    data["photos-1-image"] = builders.upload("b.jpg")
    assert client.post(reverse("directory:edit_all", args=[listing.slug]), data).status_code == 302
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
    response = client.post(reverse("directory:edit_all", args=[listing.slug]), data)
    assert response.status_code == 200
    assert "6 photos au plus." in builders.visible_text(response)
    assert len(existing) == Photo.objects.count()


def test_a_logo_replaces_the_previous_one_on_approval(client, listing, manager, moderator):
    from directory.editing import services

    client.force_login(manager)
    data = builders.editor_post_data(
        listing, **{"listing-logo": builders.upload("logo.webp", builders.image_bytes("WEBP"), "image/webp")}
    )
    client.post(reverse("directory:edit_all", args=[listing.slug]), data)
    change = PendingChange.objects.get(association=listing)
    services.pending_change_approve(change=change, moderator=moderator)
    listing = Association.objects.get(pk=listing.pk)
    assert listing.logo.name == change.proposed["logo"]
    assert default_storage.exists(listing.logo.name)


# Bounded work per request --------------------------------------------------------------------


@pytest.fixture
def decodes(monkeypatch):
    """Counts process_image (the full decode) and Image.open (header reads included)."""
    counts = {"process_image": 0, "open": 0}
    process_image, image_open = images.process_image, Image.open

    def counting_process(*args, **kwargs):
        counts["process_image"] += 1
        return process_image(*args, **kwargs)

    def counting_open(*args, **kwargs):
        counts["open"] += 1
        return image_open(*args, **kwargs)

    monkeypatch.setattr(images, "process_image", counting_process)
    monkeypatch.setattr(Image, "open", counting_open)
    return counts


def photo_post(listing, count, **overrides):
    data = builders.editor_post_data(listing, **{"photos-TOTAL_FORMS": count})
    for i in range(count):
        data[f"photos-{i}-image"] = builders.upload(f"p{i}.jpg", builders.image_bytes(size=(2000, 1500)))
        data[f"photos-{i}-alt"] = f"Photo {i}"
    data.update(overrides)
    return data


def test_eight_photos_are_refused_before_any_is_decoded(client, listing, manager, decodes):
    from directory.editing.forms import MAX_PHOTOS

    client.force_login(manager)
    response = client.post(reverse("directory:edit_all", args=[listing.slug]), photo_post(listing, 8))
    assert response.status_code == 200
    summary = [e.get_text(strip=True) for e in builders.soup(response).select("#error-summary li")]
    assert summary == ["6 photos au plus."]
    assert decodes["process_image"] == 0
    assert decodes["open"] <= MAX_PHOTOS  # at most the header of each of the first 6 forms
    assert not PendingChange.objects.exists()
    assert not Photo.objects.exists()


def test_photos_are_decoded_only_once_the_rest_of_the_form_is_valid(client, listing, manager, decodes):
    client.force_login(manager)
    url = reverse("directory:edit_all", args=[listing.slug])
    response = client.post(url, photo_post(listing, 2, **{"listing-name": ""}))
    assert response.status_code == 200
    assert decodes["process_image"] == 0
    assert client.post(url, photo_post(listing, 2)).status_code == 302
    assert decodes["process_image"] == 2  # each image decoded once
    assert len(PendingChange.objects.get().proposed["photos"]) == 2


def test_a_news_image_is_decoded_only_once_the_form_is_valid(client, listing, manager, decodes):
    client.force_login(manager)
    url = reverse("directory:news", args=[listing.slug])
    data = {"title": "", "text": "Fête", "image": builders.upload(), "alt": "Affiche"}
    assert client.post(url, data).status_code == 200
    assert decodes["process_image"] == 0
    data.update(title="Fête de quartier", image=builders.upload())
    assert client.post(url, data).status_code == 302
    assert decodes["process_image"] == 1


def test_edit_and_news_posts_are_rate_limited_per_account(client, listing, manager, settings):
    from django.core.cache import cache

    from lyonassos import settings as project

    configured = {(name, per) for name, methods, per, _rate in project.RATE_LIMITS if "POST" in methods}
    assert {
        ("directory:edit_all", "user"),
        ("directory:edit_step", "user"),
        ("directory:news", "user"),
    } <= configured
    # The suite runs with DJANGO_RATE_LIMITS=0: switched on here, with small rates.
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = [
        ("directory:edit_all", "POST", "user", "2/h"),
        ("directory:news", "POST", "user", "2/h"),
    ]
    cache.clear()
    client.force_login(manager)
    for name in ("directory:edit_all", "directory:news"):
        url = reverse(name, args=[listing.slug])
        assert [client.post(url, {}).status_code for _ in range(3)] == [200, 200, 429]
        assert int(client.post(url, {})["Retry-After"]) >= 1
    assert client.get(reverse("directory:edit_all", args=[listing.slug])).status_code == 200
    # Another account is counted on its own.
    client.force_login(builders.make_manager(listing, "collegue"))
    assert client.post(reverse("directory:edit_all", args=[listing.slug]), {}).status_code == 200
    cache.clear()
