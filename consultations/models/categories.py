"""Request categories (电梯, 垃圾分类, ...): each street edits its own list."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from common.models import StreetListEntry


class Category(StreetListEntry):
    """A request category; each street edits its own list."""

    street = models.ForeignKey(
        "corridors.Street", on_delete=models.PROTECT, related_name="consultation_categories", verbose_name=_("street")
    )

    class Meta:
        verbose_name = _("request category")
        verbose_name_plural = _("request categories")
        ordering = ["street_id", "position", "name"]
        constraints = [models.UniqueConstraint(fields=["street", "name"], name="category_unique_name")]
