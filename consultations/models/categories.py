"""Request categories (电梯, 垃圾分类, ...): each street edits its own list."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.Model):
    """A request category; each street edits its own list."""

    street = models.ForeignKey(
        "corridors.Street", on_delete=models.PROTECT, related_name="consultation_categories", verbose_name=_("street")
    )
    name = models.CharField(_("name"), max_length=50)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("request category")
        verbose_name_plural = _("request categories")
        ordering = ["street_id", "position", "name"]
        constraints = [models.UniqueConstraint(fields=["street", "name"], name="category_unique_name")]

    def __str__(self):
        return self.name
