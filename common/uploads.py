"""Uploads, built once for every app.

Images are accepted only after Pillow opens them as JPEG, PNG or WebP (an explicit list,
so a TIFF, EPS or SVG renamed ``.jpg`` is refused), within byte and pixel limits, with
decompression bombs refused before decoding. The EXIF orientation is applied and the
picture re-encoded, so no metadata (a GPS position would reveal a resident's home)
survives. Display sizes are made once, by the worker, never while serving a page.

An upload takes two steps. The request runs ``check_image``: the byte limit, the format
and the pixel count read from the header only (nothing is decoded), and keeps the file as
uploaded, under a random name, for private storage. The worker (``corridors.images``)
then runs ``process_image`` on it: decode, strip the metadata, make the display sizes;
the original is deleted as soon as they exist (it carries the metadata).

Receipts and scans (``check_receipt``) take the same two steps: a picture is checked in the
request and kept as uploaded (privately), and the worker re-encodes it to the largest display
size (``reencode_receipt``, run by ``corridors.images.receipt_reencode_job``).

PDF receipts are read with pypdf and refused if they carry anything active (scripts,
actions, embedded files); they are kept private and served only as downloads under a
sandboxing Content-Security-Policy.

Files go to two stores (``common.storage``): ``storages["public"]``, whose files anyone may
fetch, and ``storages["private"]``, whose files have no URL: an app serves them through a
view that checks permission and then calls ``serve_private_file`` (or ``serve_private``).
Either store is a folder on disk or a bucket on S3-compatible object storage; nothing here
touches a path on disk, so every app node sees the same files.
"""

import io
import mimetypes
import uuid
from dataclasses import dataclass, field
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, ImageOps
from pypdf import PdfReader

from common.storage import NoURLError, PrivateDiskStorage, PrivateS3Storage, StorageAlias, resolve

__all__ = ["NoURLError"]  # re-exported: callers catch it from here

ALLOWED_IMAGE_FORMATS = ("JPEG", "PNG", "WEBP")
# Small for lists on desktops, medium for a half-width card on a phone at device pixel
# ratio 2-3 (a 390 px phone would otherwise fetch the large size), large for one picture
# across the page.
DISPLAY_WIDTHS = (320, 640, 1280)
WEBP_QUALITY = 80
# The largest side the WebP format can hold.
WEBP_MAX_SIDE = 16383
PDF_SIGNATURE = b"%PDF-"


_PUBLIC = StorageAlias("public")
_PRIVATE = StorageAlias("private")


def public_storage() -> Storage:
    """``storages["public"]`` (model fields name this function, so keep it)."""
    return _PUBLIC


def private_storage() -> Storage:
    """``storages["private"]``: files with no URL (model fields name this function)."""
    return _PRIVATE


def random_name(suffix: str) -> str:
    """A file name that says nothing about the uploader's original file."""
    return f"{uuid.uuid4().hex}{suffix}"


@dataclass
class ProcessedImage:
    width: int
    height: int
    # display width -> (re-encoded WebP file, its width, its height)
    sizes: dict[int, tuple[ContentFile, int, int]] = field(default_factory=dict)


@dataclass
class UploadedImage:
    """A picture the request has checked cheaply and not decoded: the file as uploaded, under a
    random name (it still carries its metadata, so it goes to private storage only)."""

    original: ContentFile
    width: int
    height: int


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


_SUFFIXES = {"JPEG": ".jpg", "MPO": ".jpg", "PNG": ".png", "WEBP": ".webp"}


def check_image(upload) -> UploadedImage:
    """The checks cheap enough for a request: size, format and pixel count from the header.

    Nothing is decoded (a 40-megapixel photo costs no more than reading its bytes), so a file
    whose header is sound but whose pixels are cut short passes here and is found broken by
    the worker. Raises ``ValidationError`` with a message for the user; never a 500.
    """
    _check_size(upload)
    upload.seek(0)
    data = upload.read()
    try:
        image = Image.open(io.BytesIO(data), formats=ALLOWED_IMAGE_FORMATS)
    except Image.DecompressionBombError as exc:
        raise ValidationError(_("This picture is too large to open safely."), code="bomb") from exc
    except Exception as exc:  # Pillow raises many types on hostile input; all mean "not a picture".
        raise _not_an_image() from exc
    width, height = image.size
    _check_pixels(width, height)
    suffix = _SUFFIXES.get(image.format or "", ".img")
    return UploadedImage(original=ContentFile(data, name=random_name(suffix)), width=width, height=height)


def _display_mode(image: Image.Image) -> Image.Image:
    if image.mode.startswith("I") or image.mode == "F":
        # 16-bit and float greyscale: scale into 8 bits instead of clipping to white.
        image = image.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    has_alpha = image.mode in ("RGBA", "LA", "La", "RGBa", "PA") or (image.mode == "P" and "transparency" in image.info)
    return image.convert("RGBA" if has_alpha else "RGB")


def process_image(upload, *, widths: tuple[int, ...] = DISPLAY_WIDTHS) -> ProcessedImage:
    """Validate an uploaded image and return its metadata-free display sizes (``widths``).

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
        for target in widths:
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


# What a receipt never needs and an attacker would use: scripts, launching programs, files
# carried inside, forms that send data, multimedia, actions run on opening.
PDF_ACTIVE_KEYS = frozenset(
    {"/JS", "/JavaScript", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia", "/XFA", "/AA"}
)
PDF_ACTIVE_ACTIONS = frozenset(
    {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToE", "/GoToR", "/RichMediaExecute", "/Rendition"}
)
# A receipt is a few pages; a file with more objects than this is not one (and would take long to read).
PDF_MAX_OBJECTS = 50_000


def _not_a_pdf() -> ValidationError:
    return ValidationError(_("This file is not a PDF document."), code="not_pdf")


def _pdf_objects(reader):
    """Every object of the file (each indirect object, and what it holds directly)."""
    numbers = [number for table in reader.xref.values() for number in table]
    numbers += list(getattr(reader, "xref_objStm", {}))
    if len(numbers) > PDF_MAX_OBJECTS:
        raise _not_a_pdf()
    stack = [reader.trailer]
    # A damaged object raises, and the file is refused: another reader might make sense of it.
    stack.extend(reader.get_object(number) for number in numbers)
    while stack:
        obj = stack.pop()
        if isinstance(obj, dict):
            yield obj
            stack.extend(value for value in obj.values() if isinstance(value, dict | list))
        elif isinstance(obj, list):
            stack.extend(value for value in obj if isinstance(value, dict | list))


def check_pdf(upload) -> ContentFile:
    """Accept an uploaded PDF only if it is one, and a passive one; return it under a random name.

    Checked: size, the ``%PDF-`` header, that pypdf reads it (not encrypted, a catalogue with
    at least one page), and that no object carries JavaScript, a launch or submit action,
    embedded files, multimedia, XFA forms or automatic actions. The file is kept as uploaded
    (never rewritten) and is only ever served as a download under a sandboxing CSP.
    """
    _check_size(upload)
    upload.seek(0)
    data = upload.read()
    if not data.startswith(PDF_SIGNATURE):
        raise _not_a_pdf()
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ValidationError(
                _("This PDF is encrypted, so it cannot be checked. Please upload it without a password."),
                code="pdf_encrypted",
            )
        root = reader.trailer["/Root"].get_object()
        if root.get("/Type") != "/Catalog" or len(reader.pages) < 1:
            raise _not_a_pdf()
        active = next((obj for obj in _pdf_objects(reader) if _is_active(obj)), None)
    except ValidationError:
        raise
    except Exception as exc:  # pypdf raises many types on hostile input; all mean "not a PDF we can read"
        raise _not_a_pdf() from exc
    if active is not None:
        raise ValidationError(
            _("This PDF contains scripts, attached files or automatic actions, which are not accepted. "
              "Please print it to a new PDF or scan the paper, and upload that."),
            code="pdf_active",
        )  # fmt: skip
    return ContentFile(data, name=random_name(".pdf"))


def _is_active(obj: dict) -> bool:
    if PDF_ACTIVE_KEYS.intersection(obj.keys()):
        return True
    return obj.get("/S") in PDF_ACTIVE_ACTIONS


def check_receipt(upload) -> tuple[str, ContentFile]:
    """A receipt or scan, checked cheaply enough for a request: a PDF as it is (read, not
    decoded), or a picture as uploaded (``check_image``: size, format and pixel count from the
    header). Returns ``(kind, file)`` where kind is "pdf" or "image".

    A picture still carries its metadata: it goes to private storage only, and the worker
    re-encodes it (``reencode_receipt``, through ``corridors.images.receipt_later``).
    """
    _check_size(upload)
    upload.seek(0)
    if upload.read(len(PDF_SIGNATURE)) == PDF_SIGNATURE:
        return "pdf", check_pdf(upload)
    try:
        uploaded = check_image(upload)
    except ValidationError as exc:
        if exc.code != "not_image":
            raise
        raise ValidationError(
            _("This file is neither a PDF document nor a JPEG, PNG or WebP picture."), code="not_receipt"
        ) from exc
    return "image", uploaded.original


def receipt_suffix(kind: str, name: str) -> str:
    """A receipt's download name ends in its stored format: "pdf", "webp" once the worker has
    re-encoded a picture, or the uploaded picture's own suffix ("jpg", "png") until then."""
    if kind == "pdf":
        return "pdf"
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return suffix if suffix in ("jpg", "png", "webp") else "webp"


def reencode_receipt(upload) -> ContentFile:
    """A receipt picture decoded and re-encoded at the largest display size only (the size a
    receipt is kept at), without metadata. Slow (a 40-megapixel photo: about 2 s and 140 MB):
    the worker's, never a request's. Raises ``ValidationError`` for a file that will not decode.
    """
    processed = process_image(upload, widths=(DISPLAY_WIDTHS[-1],))
    return processed.sizes[DISPLAY_WIDTHS[-1]][0]


def serve_private_file(file_field, *, download_name: str) -> HttpResponse:
    """Hand a private file to the browser; the caller has already checked permission.

    ``file_field`` is a model's file (its storage and name are used) or, for older callers,
    an open file, which is streamed.
    """
    storage = getattr(file_field, "storage", None)
    if storage is None:
        if not isinstance(file_field, File):
            raise Http404
        content_type = mimetypes.guess_type(download_name)[0] or "application/octet-stream"
        response = FileResponse(
            file_field,
            filename=download_name,
            content_type=content_type,
            as_attachment=content_type == "application/pdf",
        )
        return _private_headers(response)
    if not file_field.name:
        raise Http404
    return serve_private(file_field.name, download_name=download_name, storage=storage)


def serve_private(name: str, *, download_name: str, storage: Storage | None = None) -> HttpResponse:
    """Hand the file ``name`` of ``storage`` (private by default) to the browser.

    Object storage: a redirect to a presigned link that expires in ``PRIVATE_URL_SECONDS``
    and names the file and its type. Disk behind nginx (``PRIVATE_MEDIA_ACCEL``): an empty
    answer whose ``X-Accel-Redirect`` sends nginx to its internal location. Otherwise (the
    quick start): the app streams the file. Either way the file is named ``download_name``;
    a PDF is a download (``attachment``), a picture is shown (``inline``); nobody may keep a
    copy on the way, and the answer carries a sandboxing Content-Security-Policy.
    """
    storage = storage if storage is not None else private_storage()
    content_type = mimetypes.guess_type(download_name)[0] or "application/octet-stream"
    # A PDF is a download, never a page of ours the browser renders (with its viewer's scripting).
    disposition = content_disposition_header(content_type == "application/pdf", download_name)
    target = resolve(storage)
    if isinstance(target, PrivateS3Storage):
        response = HttpResponseRedirect(target.presigned_url(name, content_type=content_type, disposition=disposition))
        return _private_headers(response)
    if settings.PRIVATE_MEDIA_ACCEL and isinstance(target, PrivateDiskStorage):
        if not target.exists(name):
            raise Http404
        response = HttpResponse(content_type=content_type)
        # nginx's `internal` location for MEDIA_ROOT/private (deploy/nginx/corridors.conf).
        response["X-Accel-Redirect"] = f"{settings.PRIVATE_MEDIA_ACCEL_PREFIX}{quote(name)}"
        response["Content-Disposition"] = disposition
        return _private_headers(response)
    try:
        handle = storage.open(name, "rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(
        handle, filename=download_name, content_type=content_type, as_attachment=content_type == "application/pdf"
    )
    return _private_headers(response)


# A private file is no page of ours: it may run nothing, load nothing, and be framed by nobody.
PRIVATE_FILE_CSP = (
    "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'none'"
)


def _private_headers(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = PRIVATE_FILE_CSP
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


def _move(files, *, source: Storage, target: Storage) -> None:
    """Copy each file to ``target`` under the same name, then delete it from ``source``.

    Only the storage API is used (open, save, delete), so it works on disk and on object
    storage alike. Safe to repeat: a file missing from ``source`` was already moved (or
    never written); a copy left in ``target`` by an interrupted run is replaced.
    """
    for f in files:
        name = f.name if f else ""
        if not name or not source.exists(name):
            continue
        if target.exists(name):
            target.delete(name)
        with source.open(name, "rb") as handle:
            saved = target.save(name, handle)
        if saved != name:  # never expected: the name is what the database row points at
            target.delete(saved)
            raise RuntimeError(f"{name} could not keep its name in {target!r}")
        source.delete(name)


def move_to_private(*files) -> None:
    """Take public files off their URL: they keep their names, under private storage."""
    _move(files, source=public_storage(), target=private_storage())


def move_to_public(*files) -> None:
    """Put files taken off their URL by ``move_to_private`` back where their URL points."""
    _move(files, source=private_storage(), target=public_storage())


PICTURE_SIZES = ("small", "medium", "large")


def serve_picture(row, *, size: str, download_name: str) -> HttpResponse:
    """One display size of a private picture row (the caller has checked permission).

    A picture stored before such pictures were kept private is still in public storage:
    a redirect to its public address.
    """
    if size not in PICTURE_SIZES:
        raise Http404
    stored = getattr(row, f"image_{size}") or row.image_small
    if not stored.name:
        raise Http404
    if private_storage().exists(stored.name):
        return serve_private(stored.name, download_name=download_name, storage=private_storage())
    if public_storage().exists(stored.name):
        return _private_headers(HttpResponseRedirect(stored.url))
    raise Http404


def delete_public_or_private_files_on_commit(*files) -> None:
    """Like ``delete_files_on_commit``, for public files that may have been moved to private storage."""
    names = [f.name for f in files if f and f.name]

    def remove():
        for storage in (public_storage(), private_storage()):
            for name in names:
                storage.delete(name)

    transaction.on_commit(remove)
