"""directory/links.py: the addresses reversed once per process answer as reverse() does."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import translation

from directory.links import fixed_url, slug_url


@pytest.mark.parametrize("name", ["directory:association", "directory:category", "directory:area"])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_slug_address_is_the_one_reverse_gives(name, language):
    with translation.override(language):
        for slug in ["epicerie-solidaire", "lyon-3", "a_b-9"]:
            assert slug_url(name, slug) == reverse(name, args=[slug])


def test_the_script_prefix_is_part_of_the_address():
    set_script_prefix("/annuaire/")
    try:
        assert slug_url("directory:association", "foot") == "/annuaire/associations/foot/"
    finally:
        set_script_prefix("/")
    assert slug_url("directory:association", "foot") == "/associations/foot/"


def test_what_reverse_refuses_slug_url_refuses():
    for slug in ["café", "a b", ""]:
        with pytest.raises(NoReverseMatch):
            reverse("directory:association", args=[slug])
        with pytest.raises(NoReverseMatch):
            slug_url("directory:association", slug)


def test_an_address_without_a_slug_is_the_one_reverse_gives_in_each_language():
    for language in ["fr", "en"]:
        with translation.override(language):
            assert fixed_url("directory:my_list") == reverse("directory:my_list")
