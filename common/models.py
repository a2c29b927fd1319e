"""Abstract building blocks shared by the domain apps (no tables of their own)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.uploads import DISPLAY_WIDTHS, ProcessedImage, UploadedImage, private_storage, public_storage


class PictureState(models.TextChoices):
    # A picture is shown once the worker has made its display sizes.
    PROCESSING = "processing", _("Processing")
    READY = "ready", _("Ready")
    BROKEN = "broken", _("Cannot be processed")


class BrokenReason(models.TextChoices):
    """Why the worker could not make a picture's sizes, in words for its uploader."""

    UNREADABLE = "unreadable", _("the file is damaged or cut short, so it cannot be read as a picture")
    TOO_LARGE = "too_large", _("the picture is too large to be processed safely")
    MISSING = "missing", _("the uploaded file was lost before it could be processed")


class PublicImage(models.Model):
    """A picture: metadata-free WebP display sizes, made by the worker from the upload.

    While ``picture_state`` is processing only ``original`` (the file as uploaded, private)
    exists; once ready the sizes do and the original is gone; broken: neither, and
    ``broken_reason`` says why.
    """

    # FileField, not ImageField: dimensions come from the processing step, so nothing ever
    # decodes a picture again while a page is served. Blank while the picture is processed.
    image_small = models.FileField(_("small picture"), storage=public_storage, upload_to="img/%Y/%m", blank=True)
    image_large = models.FileField(_("large picture"), storage=public_storage, upload_to="img/%Y/%m", blank=True)
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
    # Rows stored before the worker made the sizes were made ready at upload.
    picture_state = models.CharField(
        _("picture state"), max_length=12, choices=PictureState.choices, default=PictureState.READY
    )
    broken_reason = models.CharField(
        _("why it cannot be processed"), max_length=12, choices=BrokenReason.choices, blank=True
    )
    # The file as uploaded, kept (private: it still carries its metadata) only until processed.
    original = models.FileField(_("uploaded file"), storage=private_storage, upload_to="originals/%Y/%m", blank=True)

    class Meta:
        abstract = True

    def set_processed(self, processed: ProcessedImage) -> None:
        small, medium, large = DISPLAY_WIDTHS
        self.image_small, self.small_width, self.small_height = processed.sizes[small]
        self.image_medium, self.medium_width, self.medium_height = processed.sizes[medium]
        self.image_large, self.large_width, self.large_height = processed.sizes[large]
        self.picture_state, self.broken_reason = PictureState.READY, ""

    def set_uploaded(self, uploaded: UploadedImage) -> None:
        """Keep the upload to be processed by the worker (``corridors.images``)."""
        self.original = uploaded.original
        self.picture_state, self.broken_reason = PictureState.PROCESSING, ""

    @property
    def is_ready(self) -> bool:
        return self.picture_state == PictureState.READY and bool(self.image_small)

    @property
    def is_processing(self) -> bool:
        return self.picture_state == PictureState.PROCESSING

    @property
    def is_broken(self) -> bool:
        return self.picture_state == PictureState.BROKEN

    def pictures_private(self) -> bool:
        """Whether the display sizes go to private storage (a subclass whose pictures no
        public page shows says so); asked by the worker under the row's lock."""
        return False

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
        """The display sizes (they follow the row between public and private storage)."""
        return [f for f in (self.image_small, self.image_medium, self.image_large) if f]

    def all_files(self) -> list:
        """Every file of the row, the upload still waiting to be processed included (to delete)."""
        return [*self.stored_files(), *([self.original] if self.original else [])]


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
