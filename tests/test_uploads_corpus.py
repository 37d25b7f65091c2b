"""Hostile uploads against directory.images: bombs, disguised and truncated files, polyglots,
huge and GPS EXIF. The corpus is generated (tests/fixtures/hostile/generate.py)."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from directory import images
from tests.fixtures.hostile import generate

CORPUS = generate.CORPUS


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return generate.build(tmp_path_factory.mktemp("hostile"))


def upload(path):
    content_type = "image/png" if path.suffix == ".png" else "image/jpeg"  # what a browser claims
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type=content_type)


@pytest.mark.parametrize("name", [n for n, (_, e) in CORPUS.items() if e == "reject"])
def test_hostile_file_is_refused_with_a_message(corpus, name):
    path, _ = corpus[name]
    with pytest.raises(ValidationError) as error:
        images.process_image(upload(path))
    assert error.value.code in {"corrupt", "format", "too_many_pixels", "too_large"}
    assert error.value.messages[0]  # a message for the person, not a stack trace


def test_decompression_bomb_is_refused_before_decoding(corpus):
    path, _ = corpus["bomb-20000x20000.png"]
    assert path.stat().st_size < 10_000  # tiny on disk, 400 megapixels declared
    with pytest.raises(ValidationError) as error:
        images.process_image(upload(path))
    assert error.value.code == "too_many_pixels"


@pytest.mark.parametrize("name", [n for n, (_, e) in CORPUS.items() if e == "clean"])
def test_accepted_file_is_reencoded_without_any_metadata(corpus, name):
    path, _ = corpus[name]
    processed = images.process_image(upload(path))
    stored = images.store_image(processed, folder="corpus")
    assert set(stored) == {"small", "medium", "large"}
    for variant in stored.values():
        data = default_storage.open(variant).read()
        assert b"PK\x03\x04" not in data
        assert b"<script" not in data
        assert b"HostileCam" not in data
        with Image.open(io.BytesIO(data)) as image:
            assert image.format == "WEBP"
            exif = image.getexif()
            assert len(exif) == 0, f"{variant}: EXIF kept {dict(exif)}"
            assert exif.get_ifd(0x8825) == {}  # no GPS
            assert not {"exif", "xmp", "icc_profile", "Comment"} & set(image.info)


def test_gps_fixture_really_carries_gps(corpus):
    """The corpus must be hostile for the test above to mean anything."""
    path, _ = corpus["gps-exif.jpg"]
    with Image.open(path) as image:
        assert image.getexif().get_ifd(0x8825)[2] == (45.0, 45.0, 59.0)
