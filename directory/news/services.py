"""News items of a listing: published at once by its managers, archived, never deleted."""

from django.db import transaction
from django.utils import timezone

from directory import images
from directory.listings.services import association_log_change
from directory.models import NewsItem

NEWS_IMAGE_WIDTHS = ("medium", "large")  # 400 and 1200 px


@transaction.atomic
def news_publish(*, association, user, title, text, link="", image=None, alt="", origin="manager"):
    """Publish a news item; `image` is a directory.images.ProcessedImage (already validated)."""
    item = NewsItem(association=association, created_by=user, title=title, text=text, link=link, alt=alt)
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
    item.save()
    association_log_change(
        association=association,
        actor=user,
        origin=origin,
        action="news_published",
        changes={"news": {"old": None, "new": title}},
    )
    return item


@transaction.atomic
def news_archive(*, item, user, origin="manager"):
    """Withdraw a news item from the listing (it is kept, archived). Returns False if it already was."""
    if item.archived:
        return False
    item.archived = True
    item.archived_at = timezone.now()
    item.save(update_fields=["archived", "archived_at"])
    association_log_change(
        association=item.association,
        actor=user,
        origin=origin,
        action="news_archived",
        changes={"news": {"old": item.title, "new": None}},
    )
    return True
