"""Uploads, built once for every app.

Images are accepted only after Pillow opens them as JPEG, PNG or WebP (an explicit list,
so a TIFF, EPS or SVG renamed ``.jpg`` is refused), within byte and pixel limits, with
decompression bombs refused before decoding. The EXIF orientation is applied and the
picture re-encoded, so no metadata (a GPS position would reveal a resident's home)
survives. Display sizes are made once, here, never while serving a page.

PDF receipts are checked by signature and size and kept private.

Public files live under ``MEDIA_ROOT/public`` and may be served directly; private files
live under ``MEDIA_ROOT/private`` and have no URL: an app serves them through a view
that checks permission (``serve_private_file``).
"""

import io
import mimetypes
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, ImageOps

ALLOWED_IMAGE_FORMATS = ("JPEG", "PNG", "WEBP")
# Small for lists on desktops, medium for a half-width card on a phone at device pixel
# ratio 2-3 (a 390 px phone would otherwise fetch the large size), large for one picture
# across the page.
DISPLAY_WIDTHS = (320, 640, 1280)
WEBP_QUALITY = 80
# The largest side the WebP format can hold.
WEBP_MAX_SIDE = 16383
PDF_SIGNATURE = b"%PDF-"


def public_storage() -> FileSystemStorage:
    return FileSystemStorage(location=Path(settings.MEDIA_ROOT) / "public", base_url=settings.PUBLIC_MEDIA_URL)


class NoURLError(AttributeError):
    """An AttributeError, so ``getattr(file, "url", None)`` (form widgets, templates) finds none."""


class PrivateStorage(FileSystemStorage):
    """Files kept out of any URL space: a template or widget cannot leak a link to them."""

    def url(self, name):
        raise NoURLError("A private file has no URL; serve it through a view that checks permission.")


def private_storage() -> FileSystemStorage:
    # A plain FileSystemStorage with base_url=None would fall back to MEDIA_URL.
    return PrivateStorage(location=Path(settings.MEDIA_ROOT) / "private")


def random_name(suffix: str) -> str:
    """A file name that says nothing about the uploader's original file."""
    return f"{uuid.uuid4().hex}{suffix}"


@dataclass
class ProcessedImage:
    width: int
    height: int
    # display width -> (re-encoded WebP file, its width, its height)
    sizes: dict[int, tuple[ContentFile, int, int]] = field(default_factory=dict)


def _not_an_image() -> ValidationError:
    return ValidationError(_("This file is not a JPEG, PNG or WebP picture."), code="not_image")


def _check_size(upload) -> None:
    size = upload.size
    if not size:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(settings.UPLOAD_MAX_BYTES)},
            code="too_large",
        )


def _check_pixels(width: int, height: int) -> None:
    if width * height > settings.UPLOAD_MAX_PIXELS:
        raise ValidationError(
            _("The picture is %(w)s×%(h)s pixels; the limit is %(limit)s million pixels.")
            % {"w": width, "h": height, "limit": settings.UPLOAD_MAX_PIXELS // 1_000_000},
            code="too_many_pixels",
        )


def _decode(data: bytes) -> tuple[Image.Image, tuple[int, int]]:
    """Open (header only), check the pixel count, and only then decode.

    Returns the upright picture and its upright size as uploaded (before any reduced
    JPEG decoding).
    """
    try:
        # Our own pixel limit (below Pillow's) is checked right after this header-only
        # read; Pillow still raises DecompressionBombError on its own for absurd sizes.
        image = Image.open(io.BytesIO(data), formats=ALLOWED_IMAGE_FORMATS)
    except Image.DecompressionBombError as exc:
        raise ValidationError(_("This picture is too large to open safely."), code="bomb") from exc
    except Exception as exc:  # Pillow raises many types on hostile input; all mean "not a picture".
        raise _not_an_image() from exc
    _check_pixels(*image.size)
    try:
        width, height = image.size
        if image.getexif().get(ExifTags.Base.Orientation) in (5, 6, 7, 8):
            width, height = height, width
        if image.format in ("JPEG", "MPO"):
            # Let libjpeg decode at a reduced scale (never below the largest display
            # size): less memory, same display sizes.
            image.draft(None, (DISPLAY_WIDTHS[-1], DISPLAY_WIDTHS[-1]))
        image.load()
        return ImageOps.exif_transpose(image), (width, height)
    except Image.DecompressionBombError as exc:
        raise ValidationError(_("This picture is too large to open safely."), code="bomb") from exc
    except Exception as exc:
        raise _not_an_image() from exc


def _display_mode(image: Image.Image) -> Image.Image:
    if image.mode.startswith("I") or image.mode == "F":
        # 16-bit and float greyscale: scale into 8 bits instead of clipping to white.
        image = image.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    has_alpha = image.mode in ("RGBA", "LA", "La", "RGBa", "PA") or (image.mode == "P" and "transparency" in image.info)
    return image.convert("RGBA" if has_alpha else "RGB")


def process_image(upload) -> ProcessedImage:
    """Validate an uploaded image and return its metadata-free display sizes.

    Order matters: bytes are checked before reading, pixels before decoding. Raises
    ``ValidationError`` with a message for the user; never a 500.
    """
    _check_size(upload)
    upload.seek(0)
    data = upload.read()
    image, (width, height) = _decode(data)
    try:
        image = _display_mode(image)
        result = ProcessedImage(width=width, height=height)
        for target in DISPLAY_WIDTHS:
            copy = image.copy()
            copy.thumbnail((min(target, WEBP_MAX_SIDE), WEBP_MAX_SIDE))
            # No exif=/icc_profile=/xmp= arguments and an empty info: the WebP carries no
            # metadata at all.
            copy.info.clear()
            buffer = io.BytesIO()
            copy.save(buffer, format="WEBP", quality=WEBP_QUALITY, method=4)
            result.sizes[target] = (ContentFile(buffer.getvalue(), name=random_name(f"-{target}.webp")), *copy.size)
    except Exception as exc:
        raise _not_an_image() from exc
    return result


def check_pdf(upload) -> ContentFile:
    """Validate an uploaded PDF (signature and size) and return it under a random name."""
    _check_size(upload)
    upload.seek(0)
    data = upload.read()
    if not data.startswith(PDF_SIGNATURE) or b"%%EOF" not in data[-2048:]:
        raise ValidationError(_("This file is not a PDF document."), code="not_pdf")
    return ContentFile(data, name=random_name(".pdf"))


def process_receipt(upload) -> tuple[str, ContentFile]:
    """A receipt or scan: a PDF as it is, or a picture re-encoded without metadata.

    Returns ``(kind, file)`` where kind is "pdf" or "image".
    """
    _check_size(upload)
    upload.seek(0)
    if upload.read(len(PDF_SIGNATURE)) == PDF_SIGNATURE:
        return "pdf", check_pdf(upload)
    try:
        processed = process_image(upload)
    except ValidationError as exc:
        if exc.code != "not_image":
            raise
        raise ValidationError(
            _("This file is neither a PDF document nor a JPEG, PNG or WebP picture."), code="not_receipt"
        ) from exc
    largest = processed.sizes[DISPLAY_WIDTHS[-1]][0]
    return "image", largest


def serve_private_file(file_field, *, download_name: str) -> FileResponse:
    """Stream a private file; the caller has already checked permission."""
    content_type = mimetypes.guess_type(download_name)[0] or "application/octet-stream"
    try:
        handle = file_field.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, filename=download_name, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def delete_files_on_commit(*files) -> None:
    """Remove stored files once the surrounding transaction commits (never before, so a
    rolled-back delete keeps its files)."""
    targets = [(f.storage, f.name) for f in files if f and f.name]

    def remove():
        for storage, name in targets:
            storage.delete(name)

    transaction.on_commit(remove)


def delete_files_now(*files) -> None:
    """Remove files already written for a row that was never saved."""
    for f in files:
        if f and f.name and getattr(f, "_committed", True):
            f.storage.delete(f.name)


def _move(files, *, source: FileSystemStorage, target: FileSystemStorage) -> None:
    for f in files:
        if not (f and f.name) or not source.exists(f.name):
            # Already moved (the move is repeated safely) or never written.
            continue
        destination = Path(target.path(f.name))
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(source.path(f.name), destination)


def move_to_private(*files) -> None:
    """Take public files off their URL: they keep their names, under private storage."""
    _move(files, source=public_storage(), target=private_storage())


def move_to_public(*files) -> None:
    """Put files taken off their URL by ``move_to_private`` back where their URL points."""
    _move(files, source=private_storage(), target=public_storage())


def delete_public_or_private_files_on_commit(*files) -> None:
    """Like ``delete_files_on_commit``, for public files that may have been moved to private storage."""
    names = [f.name for f in files if f and f.name]

    def remove():
        for storage in (public_storage(), private_storage()):
            for name in names:
                storage.delete(name)

    transaction.on_commit(remove)
