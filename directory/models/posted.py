"""What managers post on their listing (news items, volunteer needs, events of the agenda): the
fields and reads they share. Published at once, never moderated beforehand; "Retirer" archives,
nothing is deleted. Their writes are directory/posted.py."""

from typing import Self, TypeVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The model of the subclass (covariant, as QuerySet's own).
_M = TypeVar("_M", bound=models.Model, covariant=True)


class PostedItemQuerySet(models.QuerySet[_M]):
    def unarchived(self) -> Self:
        """Items their managers or a moderator have not withdrawn."""
        return self.filter(archived=False)


class PostedItem(models.Model):
    """Abstract. A subclass has an `association` foreign key and a `title`, and names itself in
    the listing's history with `log_name` (actions `<log_name>_published`, `_updated`,
    `_archived`; changes under `<log_name>` or `<log_name>.<field>`)."""

    log_name = ""
    title: str  # a subclass's field

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Labels without gender, true of "une actualité", "un besoin de bénévoles", "un rendez-vous".
    archived = models.BooleanField(_("retrait"), default=False)
    archived_at = models.DateTimeField(_("date du retrait"), null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title
