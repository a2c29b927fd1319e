"""Pictures' display sizes, made by the worker and never in the upload request.

Every picture row (``common.models.PublicImage``: works' pictures, activity and corridor
photos, sketches, progress and check photos) is stored by its service through
``picture_store``: a picture the request checked cheaply (``common.uploads.check_image``)
is saved in the processing state with only its original, in private storage, and
``picture_sizes_job`` is enqueued in the same transaction (a rolled-back upload enqueues
nothing). The worker decodes the original (``common.uploads.process_image``), writes the
sizes where the row's pictures belong (public, or private when ``pictures_private``) and
marks it ready; the original, which still carries its metadata, is then deleted. A file
that cannot be decoded marks the row broken and tells its uploader why, in their
language; any other failure (storage unreachable) is retried by the queue and, after the
last attempt, shown on /manage/jobs/.

Saving the row retires the cached public pages that show it (``corridors.pagecache``,
``funds.pagecache`` tie their bumps to the row's saves), so a public page shows the
picture once it is ready and not before.
"""

import io
import logging
from typing import TypeVar

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from PIL import Image

from common.models import BrokenReason, PictureState, PublicImage
from common.systemtext import Text, word
from common.uploads import (
    DISPLAY_WIDTHS,
    WEBP_MAX_SIDE,
    WEBP_QUALITY,
    ProcessedImage,
    UploadedImage,
    delete_files_now,
    delete_files_on_commit,
    private_storage,
    process_image,
    random_name,
    reencode_receipt,
)
from jobs.core import job

logger = logging.getLogger(__name__)

BACKFILL_BATCH = 100

Picture = TypeVar("Picture", bound=PublicImage)


def _label(row: PublicImage) -> str:
    return row._meta.label_lower


def picture_store(row: Picture, image: UploadedImage | ProcessedImage, *, private: bool = False) -> Picture:
    """Save ``row`` (not yet saved) with its picture; never a file without a row.

    An ``UploadedImage`` is kept as its original in private storage and the row is
    processing until the worker's ``picture_sizes_job`` (enqueued here, in the caller's
    transaction) makes its sizes. A ``ProcessedImage`` (the demo, made in this process) is
    stored ready at once, in private storage when ``private``.
    """
    if isinstance(image, UploadedImage):
        row.set_uploaded(image)
    else:
        row.set_processed(image)
        if private:
            for stored in row.stored_files():
                stored.storage = private_storage()
    row.full_clean(exclude=["image_small", "image_large", "original"])
    try:
        # The files are written just before the INSERT: remove them if it fails.
        row.save()
    except Exception:
        delete_files_now(*row.all_files())
        raise
    if row.is_processing:
        picture_sizes_job.defer(model=_label(row), pk=row.pk)
    return row


@transaction.atomic
def broken_picture_discard(*, picture: PublicImage, by) -> None:
    """Its uploader deletes a picture the worker could not process (nothing of it is shown)."""
    from common.refusals import Refused

    locked = type(picture).objects.select_for_update().filter(pk=picture.pk).first()
    if locked is None:
        return
    if not locked.is_broken:
        raise Refused(_("Only a picture that could not be processed is deleted here."))
    if locked.uploaded_by_id != by.pk:
        raise Refused(_("Only whoever uploaded this picture may delete it."))
    files = locked.all_files()
    locked.delete()
    delete_files_on_commit(*files)


def _reason(error: ValidationError) -> str:
    if error.code in ("bomb", "too_many_pixels", "too_large"):
        return BrokenReason.TOO_LARGE
    return BrokenReason.UNREADABLE


def _where(row: PublicImage) -> str:
    """The page on which the uploader finds the picture (and deletes it): its work's,
    activity's, group's, application's or check's page."""
    for field in row._meta.concrete_fields:
        if field.is_relation and field.name != "uploaded_by":
            owner = getattr(row, field.name)
            if hasattr(owner, "get_absolute_url"):
                return owner.get_absolute_url()
    return ""


def _tell_broken(row: PublicImage) -> None:
    from corridors.services.notifications import notify

    uploader = row.uploaded_by
    if not uploader.is_active:
        return
    what = word(row._meta.verbose_name)
    reason = word(BrokenReason(row.broken_reason).label)
    notify(
        recipients=[uploader],
        actor=None,
        verb=Text(_("A picture could not be processed")),
        message=[
            Text(
                _("Your %(what)s “%(alt)s” could not be processed: %(reason)s. Please upload it again."),
                what=what,
                alt=row.alt_text,
                reason=reason,
            )
        ],
        subject=Text(_("A picture could not be processed")),
        url=_where(row) or reverse("inbox:list"),
        key="pictures.broken",
    )


def _mark_broken(model, pk: int, reason: str) -> None:
    with transaction.atomic():
        row = model.objects.select_for_update().select_related("uploaded_by").filter(pk=pk).first()
        if row is None or row.picture_state != PictureState.PROCESSING:
            return
        original = row.original
        row.picture_state, row.broken_reason, row.original = PictureState.BROKEN, reason, None
        row.save(update_fields=["picture_state", "broken_reason", "original"])
        # Nothing shows a broken upload, and it still carries its metadata: it goes.
        delete_files_on_commit(original)
        _tell_broken(row)


def picture_sizes_make(*, model: str, pk: int) -> str:
    """Make the display sizes of one processing picture; returns its state afterwards.

    Safe to repeat: a row already ready or broken, or deleted meanwhile, is left alone.
    """
    cls = apps.get_model(model)
    row = cls.objects.filter(pk=pk).first()
    if row is None:
        return "gone"
    if row.picture_state != PictureState.PROCESSING:
        return row.picture_state
    if not row.original or not row.original.storage.exists(row.original.name):
        _mark_broken(cls, pk, BrokenReason.MISSING)
        return PictureState.BROKEN
    # Decoding is the slow part: done before any lock is taken.
    try:
        with row.original.open("rb") as handle:
            processed = process_image(handle)
    except ValidationError as error:
        _mark_broken(cls, pk, _reason(error))
        return PictureState.BROKEN
    with transaction.atomic():
        # The owner's lock first (a work's), then the row's: the order the services take them.
        try:
            private = row.pictures_private()
        except ObjectDoesNotExist:  # its work was deleted meanwhile (and the row with it)
            return "gone"
        row = cls.objects.select_for_update().filter(pk=pk).first()
        if row is None or row.picture_state != PictureState.PROCESSING:
            return "gone" if row is None else row.picture_state
        original = row.original
        row.set_processed(processed)
        if private:
            for stored in row.stored_files():
                stored.storage = private_storage()
        row.original = None
        try:
            row.save()
        except Exception:
            delete_files_now(*row.stored_files())
            raise
        delete_files_on_commit(original)
    return PictureState.READY


# A queue of their own: a worker may run them one at a time (decoding a 40-megapixel photo
# takes about 140 MB) while mail and other jobs go on.
@job(name="corridors.picture_sizes", label=_("Picture sizes"), queue="pictures")
def picture_sizes_job(*, model: str, pk: int) -> None:
    """The worker makes one uploaded picture's display sizes (``picture_sizes_make``)."""
    picture_sizes_make(model=model, pk=pk)


# --- Receipts and scans: re-encoded by the worker ------------------------------------------


def receipt_later(row, *, kind: str, field: str = "file") -> None:
    """After a service saved ``row`` with a receipt picture in ``field`` (as uploaded, checked
    by ``common.uploads.check_receipt``), enqueue its re-encoding in the same transaction (a
    rolled-back step enqueues nothing). A PDF is kept as it is: nothing to do."""
    if kind != "image":
        return
    stored = getattr(row, field)
    receipt_reencode_job.defer(model=_label(row), pk=row.pk, field=field, name=stored.name)


def receipt_reencode(*, model: str, pk: int, field: str, name: str) -> str:
    """Re-encode the receipt picture ``name`` of ``model`` ``pk``'s ``field`` without metadata at
    the largest display size; the original is deleted once the row names the new file.

    Safe to repeat, and it never overwrites a newer file: a row deleted meanwhile, or whose
    field no longer names ``name`` (done already, or replaced by a new upload), is left alone.
    A file that cannot be decoded is kept as uploaded (private; staff can still open it) and a
    warning is logged.
    """
    cls = apps.get_model(model)
    row = cls.objects.filter(pk=pk).first()
    if row is None:
        return "gone"
    stored = getattr(row, field)
    if stored.name != name:
        return "replaced"
    storage = stored.storage
    if not storage.exists(name):
        logger.warning("Receipt %s of %s %s is missing", name, model, pk)
        return "missing"
    # Decoding is the slow part: done before any lock is taken.
    try:
        with storage.open(name, "rb") as handle:
            content = reencode_receipt(handle)
    except ValidationError as error:
        logger.warning("Receipt %s of %s %s cannot be decoded (%s); kept as uploaded", name, model, pk, error.code)
        return "undecodable"
    new_name = storage.save(stored.field.generate_filename(row, content.name), content)
    with transaction.atomic():
        locked = cls.objects.select_for_update().filter(pk=pk).first()
        if locked is None or getattr(locked, field).name != name:
            transaction.on_commit(lambda: storage.delete(new_name))
            return "gone" if locked is None else "replaced"
        setattr(locked, field, new_name)
        try:
            locked.save(update_fields=[field])
        except Exception:
            storage.delete(new_name)
            raise
        transaction.on_commit(lambda: storage.delete(name))
    return "done"


# Every receipt or scan ``receipt_later`` is called for: (model, file field, kind field).
RECEIPT_FIELDS = (
    ("funds.payoutreceipt", "file", "kind"),
    ("funds.ledgerentry", "receipt", "receipt_kind"),
    ("funds.consentrecord", "scan", "scan_kind"),
    ("consultations.attachment", "file", "kind"),
    ("corridors.groupdocument", "file", "kind"),
)
# What ``reencode_receipt`` names a re-encoded picture ("<random>-1280.webp"); an upload keeps
# its own suffix (".jpg", ".png", ".webp") until the worker has re-encoded it.
REENCODED_SUFFIX = f"-{DISPLAY_WIDTHS[-1]}.webp"


def receipts_waiting():
    """(model label, field, pk, name) of every receipt picture not re-encoded yet: its job is
    queued, or was lost, or the picture would not decode (then it is tried again, harmlessly)."""
    for label, field, kind_field in RECEIPT_FIELDS:
        model = apps.get_model(label)
        rows = (
            model.objects.filter(**{kind_field: "image"})
            .exclude(**{field: ""})
            .exclude(**{f"{field}__endswith": REENCODED_SUFFIX})
            .order_by("pk")
            .values_list("pk", field)
        )
        for pk, name in rows.iterator(chunk_size=BACKFILL_BATCH):
            yield label, field, pk, name


@job(name="corridors.receipt_reencode", label=_("Receipt pictures"), queue="pictures")
def receipt_reencode_job(*, model: str, pk: int, field: str, name: str) -> None:
    """The worker re-encodes one receipt or scan picture (``receipt_reencode``)."""
    receipt_reencode(model=model, pk=pk, field=field, name=name)


# --- Backfill: sizes added after a picture was stored ---------------------------------------


def picture_models() -> list:
    return [model for model in apps.get_models() if issubclass(model, PublicImage)]


def _make_medium(row: PublicImage) -> bool:
    """Make the medium size of a ready row stored before it existed, from its large size."""
    medium = DISPLAY_WIDTHS[1]
    source = row.image_large
    storage = source.storage
    if not storage.exists(source.name):
        # A picture taken off its URL (a hidden work) lives in private storage under the same name.
        storage = private_storage()
        if not storage.exists(source.name):
            return False
    with storage.open(source.name, "rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    image.thumbnail((min(medium, WEBP_MAX_SIDE), WEBP_MAX_SIDE))
    image.info.clear()
    buffer = io.BytesIO()
    image.save(buffer, format="WEBP", quality=WEBP_QUALITY, method=4)
    with transaction.atomic():
        locked = type(row).objects.select_for_update().filter(pk=row.pk).first()
        if locked is None or locked.image_medium or not locked.is_ready:
            return False
        locked.image_medium.storage = storage
        locked.image_medium.save(random_name(f"-{medium}.webp"), ContentFile(buffer.getvalue()), save=False)
        locked.medium_width, locked.medium_height = image.size
        try:
            locked.save(update_fields=["image_medium", "medium_width", "medium_height"])
        except Exception:
            delete_files_now(locked.image_medium)
            raise
    return True


def backfill_derivatives(*, dry_run: bool = False, batch: int = BACKFILL_BATCH, log=None) -> dict[str, int]:
    """Make the sizes pictures lack: the medium size of pictures stored before it existed, the
    sizes of processing pictures whose job was lost, and the re-encoding of receipt and scan
    pictures whose job was lost (``receipts_waiting``). Idempotent; batched by primary key.

    Returns counts: ``missing`` (found), ``made``, ``failed`` (left as they were).
    """
    counts = {"missing": 0, "made": 0, "failed": 0}
    for model in picture_models():
        lacking = model.objects.filter(picture_state=PictureState.READY, image_medium="").exclude(image_large="")
        last = 0
        while True:
            rows = list(lacking.filter(pk__gt=last).order_by("pk")[:batch])
            if not rows:
                break
            last = rows[-1].pk
            counts["missing"] += len(rows)
            if dry_run:
                continue
            for row in rows:
                try:
                    made = _make_medium(row)
                except Exception:
                    logger.exception("No medium size for %s %s", _label(row), row.pk)
                    made = False
                counts["made" if made else "failed"] += 1
        waiting = model.objects.filter(picture_state=PictureState.PROCESSING).values_list("pk", flat=True)
        for pk in waiting.iterator(chunk_size=batch):
            counts["missing"] += 1
            if dry_run:
                continue
            try:
                state = picture_sizes_make(model=model._meta.label_lower, pk=pk)
            except Exception:
                logger.exception("No sizes for %s %s", model._meta.label_lower, pk)
                state = "failed"
            counts["made" if state == PictureState.READY else "failed"] += 1
        if log is not None:
            log(f"{model._meta.label}: {counts}")
    # Receipts and scans whose re-encoding job was lost: ``receipt_reencode`` leaves alone a
    # row re-encoded or replaced meanwhile, so a job still queued does no harm either.
    for label, field, pk, name in receipts_waiting():
        counts["missing"] += 1
        if dry_run:
            continue
        try:
            state = receipt_reencode(model=label, pk=pk, field=field, name=name)
        except Exception:
            logger.exception("Receipt %s of %s %s not re-encoded", name, label, pk)
            state = "failed"
        counts["made" if state in ("done", "replaced", "gone") else "failed"] += 1
    if log is not None:
        log(f"receipts: {counts}")
    return counts


@job(name="corridors.backfill_derivatives", label=_("Missing picture sizes"))
def backfill_derivatives_job() -> None:
    """The worker makes the picture sizes that are missing (``manage.py backfill_derivatives``)."""
    backfill_derivatives()
