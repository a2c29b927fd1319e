"""Abstract building blocks shared by the domain apps (no tables of their own)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.uploads import DISPLAY_WIDTHS, ProcessedImage, public_storage


class PublicImage(models.Model):
    """A picture shown on public pages: two metadata-free WebP display sizes made at upload."""

    # FileField, not ImageField: dimensions come from the upload step, so nothing ever
    # decodes a picture again while a page is served.
    image_small = models.FileField(_("small picture"), storage=public_storage, upload_to="img/%Y/%m")
    image_large = models.FileField(_("large picture"), storage=public_storage, upload_to="img/%Y/%m")
    small_width = models.PositiveIntegerField(default=0, editable=False)
    small_height = models.PositiveIntegerField(default=0, editable=False)
    large_width = models.PositiveIntegerField(default=0, editable=False)
    large_height = models.PositiveIntegerField(default=0, editable=False)
    alt_text = models.CharField(_("description of the picture"), max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def set_processed(self, processed: ProcessedImage) -> None:
        small, large = DISPLAY_WIDTHS
        self.image_small, self.small_width, self.small_height = processed.sizes[small]
        self.image_large, self.large_width, self.large_height = processed.sizes[large]

    @property
    def srcset(self) -> str:
        if self.large_width <= self.small_width:
            # A picture narrower than the small size has two identical widths, and a
            # srcset with a repeated width descriptor is invalid.
            return f"{self.image_large.url} {self.large_width}w"
        return f"{self.image_small.url} {self.small_width}w, {self.image_large.url} {self.large_width}w"

    def stored_files(self) -> list:
        return [self.image_small, self.image_large]
