def test_a_sprite_missing_from_the_collected_files_costs_the_icons_not_the_page(settings, tmp_path):
    from directory.templatetags import icon_tags

    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path  # collected without the sprite: no manifest entry for it
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    icon_tags._built.clear()
    try:
        html = icon_tags.icon("phone")
    finally:
        icon_tags._built.clear()
    assert 'href="/static/icons/sprite.svg#phone"' in html
