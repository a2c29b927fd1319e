"""Abstract building blocks shared by the domain apps (no tables of their own)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.uploads import DISPLAY_WIDTHS, ProcessedImage, public_storage


class PublicImage(models.Model):
    """A picture shown on public pages: metadata-free WebP display sizes made at upload."""

    # FileField, not ImageField: dimensions come from the upload step, so nothing ever
    # decodes a picture again while a page is served.
    image_small = models.FileField(_("small picture"), storage=public_storage, upload_to="img/%Y/%m")
    image_large = models.FileField(_("large picture"), storage=public_storage, upload_to="img/%Y/%m")
    # Blank on pictures stored before the medium size existed; srcset then offers two sizes.
    image_medium = models.FileField(_("medium picture"), storage=public_storage, upload_to="img/%Y/%m", blank=True)
    small_width = models.PositiveIntegerField(default=0, editable=False)
    small_height = models.PositiveIntegerField(default=0, editable=False)
    large_width = models.PositiveIntegerField(default=0, editable=False)
    large_height = models.PositiveIntegerField(default=0, editable=False)
    medium_width = models.PositiveIntegerField(default=0, editable=False)
    medium_height = models.PositiveIntegerField(default=0, editable=False)
    alt_text = models.CharField(_("description of the picture"), max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def set_processed(self, processed: ProcessedImage) -> None:
        small, medium, large = DISPLAY_WIDTHS
        self.image_small, self.small_width, self.small_height = processed.sizes[small]
        self.image_medium, self.medium_width, self.medium_height = processed.sizes[medium]
        self.image_large, self.large_width, self.large_height = processed.sizes[large]

    @property
    def srcset(self) -> str:
        sizes = [(self.image_small, self.small_width), (self.image_large, self.large_width)]
        if self.image_medium:
            sizes.insert(1, (self.image_medium, self.medium_width))
        # A picture narrower than a display size is stored at the same width twice, and a
        # srcset with a repeated width descriptor is invalid: each width is offered once.
        widths = {}
        for file, width in sizes:
            widths[width] = file
        return ", ".join(f"{file.url} {width}w" for width, file in widths.items())

    def stored_files(self) -> list:
        return [f for f in (self.image_small, self.image_medium, self.image_large) if f]


class StateChange(models.Model):
    """History of a workflow: one row per step (who, when, from, to, why).

    Every workflow's concrete history model (``ApplicationTransition``, ``AwardTransition``,
    ...) subclasses this, adds the foreign key to its subject and narrows the state fields'
    choices, so all histories read and render alike.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    action = models.CharField(_("action"), max_length=32)
    from_state = models.CharField(_("from"), max_length=24)
    to_state = models.CharField(_("to"), max_length=24)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        abstract = True


class StreetListEntry(models.Model):
    """One entry of a list each street keeps and edits itself (themes, request categories).

    A subclass adds the ``street`` foreign key (with its own ``related_name``) and the unique
    constraint on (street, name); ``common.streetlists`` holds the one set of services that add,
    rename, withdraw and seed such entries.
    """

    name = models.CharField(_("name"), max_length=50)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    street_id: int  # the subclass's foreign key

    class Meta:
        abstract = True

    def __str__(self):
        return self.name
