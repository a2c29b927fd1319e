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
import uuid
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_IMAGE_FORMATS = ("JPEG", "PNG", "WEBP")
DISPLAY_WIDTHS = (320, 1280)
WEBP_QUALITY = 80


def public_storage() -> FileSystemStorage:
    return FileSystemStorage(location=Path(settings.MEDIA_ROOT) / "public", base_url=settings.PUBLIC_MEDIA_URL)


def private_storage() -> FileSystemStorage:
    # base_url=None: a private file has no URL, so a template cannot leak one.
    return FileSystemStorage(location=Path(settings.MEDIA_ROOT) / "private", base_url=None)


def random_name(suffix: str) -> str:
    """A file name that says nothing about the uploader's original file."""
    return f"{uuid.uuid4().hex}{suffix}"


@dataclass
class ProcessedImage:
    width: int
    height: int
    # display width -> (re-encoded WebP file, its width, its height)
    sizes: dict[int, tuple[ContentFile, int, int]] = field(default_factory=dict)


def _check_size(upload) -> None:
    size = upload.size
    if size is None or size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(settings.UPLOAD_MAX_BYTES)},
            code="too_large",
        )


def process_image(upload) -> ProcessedImage:
    """Validate an uploaded image and return its metadata-free display sizes.

    Raises ``ValidationError`` with a message for the user; never a 500.
    """
    _check_size(upload)
    upload.seek(0)
    data = upload.read()
    not_an_image = ValidationError(_("This file is not a JPEG, PNG or WebP picture."), code="not_image")
    try:
        with warnings.catch_warnings():
            # Pillow warns (rather than raises) between 1x and 2x its own pixel limit:
            # treat that as the bomb it may be.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=ALLOWED_IMAGE_FORMATS)
            width, height = image.size
            if width * height > settings.UPLOAD_MAX_PIXELS:
                raise ValidationError(
                    _("The picture is %(w)s×%(h)s pixels; the limit is %(limit)s million pixels.")
                    % {"w": width, "h": height, "limit": settings.UPLOAD_MAX_PIXELS // 1_000_000},
                    code="too_many_pixels",
                )
            image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(_("This picture is too large to open safely."), code="bomb") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise not_an_image from exc

    image = ImageOps.exif_transpose(image)
    has_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
    image = image.convert("RGBA" if has_alpha else "RGB")
    result = ProcessedImage(width=image.width, height=image.height)
    for target in DISPLAY_WIDTHS:
        copy = image.copy()
        if copy.width > target:
            copy.thumbnail((target, target * 20))
        buffer = io.BytesIO()
        # A fresh encode with no exif=/icc_profile= arguments writes no metadata at all.
        copy.save(buffer, format="WEBP", quality=WEBP_QUALITY, method=4)
        result.sizes[target] = (ContentFile(buffer.getvalue(), name=random_name(f"-{target}.webp")), *copy.size)
    return result


def check_pdf(upload) -> ContentFile:
    """Validate an uploaded PDF (signature and size) and return it under a random name."""
    _check_size(upload)
    upload.seek(0)
    data = upload.read()
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        raise ValidationError(_("This file is not a PDF document."), code="not_pdf")
    return ContentFile(data, name=random_name(".pdf"))


def process_receipt(upload) -> tuple[str, ContentFile]:
    """A receipt or scan: a PDF as it is, or a picture re-encoded without metadata.

    Returns ``(kind, file)`` where kind is "pdf" or "image".
    """
    upload.seek(0)
    if upload.read(5) == b"%PDF-":
        return "pdf", check_pdf(upload)
    processed = process_image(upload)
    largest = processed.sizes[DISPLAY_WIDTHS[-1]][0]
    return "image", largest


def serve_private_file(file_field, *, download_name: str) -> FileResponse:
    """Stream a private file; the caller has already checked permission."""
    content_type = mimetypes.guess_type(file_field.name)[0] or "application/octet-stream"
    response = FileResponse(file_field.open("rb"), filename=download_name, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
