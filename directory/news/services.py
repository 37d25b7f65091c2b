"""News items of a listing: published at once by its managers, archived, never deleted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from directory import images
from directory.models import NewsItem
from directory.posted import posted_item_archive, posted_item_publish

if TYPE_CHECKING:
    from django.contrib.auth.models import User as Account

    from directory.access import User
    from directory.images import ProcessedImage
    from directory.models import Association

NEWS_IMAGE_WIDTHS = ("medium", "large")  # 400 and 1200 px


@transaction.atomic
def news_publish(
    *,
    association: Association,
    user: Account,
    title: str,
    text: str,
    link: str = "",
    image: ProcessedImage | None = None,
    alt: str = "",
    origin: str = "manager",
) -> NewsItem:
    """Publish a news item; `image` is a directory.images.ProcessedImage (already validated)."""
    item = NewsItem(association=association, title=title, text=text, link=link, alt=alt)
    if image is not None:
        stored = images.store_image(
            images.ProcessedImage(
                width=image.width,
                height=image.height,
                variants={name: image.variants[name] for name in NEWS_IMAGE_WIDTHS},
            ),
            folder="news",
        )
        item.medium, item.large = stored["medium"], stored["large"]
        item.image_width, item.image_height = image.width, image.height
    return posted_item_publish(item=item, user=user, origin=origin)


def news_archive(*, item: NewsItem, user: User | None, origin: str = "manager") -> bool:
    """Withdraw a news item from the listing (it is kept, archived). Returns False if it already was."""
    return posted_item_archive(item=item, user=user, origin=origin)
