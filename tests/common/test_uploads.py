"""The shared upload module under attack: only real JPEG/PNG/WebP pictures and real PDFs
get through, within limits, and nothing the uploader's camera recorded survives."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageFile

from common.forms import ReceiptField, SafeImageField
from common.uploads import (
    DISPLAY_WIDTHS,
    WEBP_MAX_SIDE,
    ProcessedImage,
    UploadedImage,
    check_image,
    check_pdf,
    check_receipt,
    process_image,
    public_storage,
    reencode_receipt,
)
from corridors.models import WorkImage
from tests.factories import pdf_bytes

GPS_IFD = 0x8825
ORIENTATION = 0x0112
VALID_PDF = pdf_bytes()


# --- Builders ---------------------------------------------------------------------


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def picture(fmt: str = "JPEG", size=(400, 300), mode: str = "RGB", color=(200, 30, 30), **save_args) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, format=fmt, **save_args)
    return buffer.getvalue()


def gps_jpeg(size=(1600, 800)) -> bytes:
    """A phone photo: GPS position of the resident's home, orientation 6 (rotate 90° CW)."""
    image = Image.new("RGB", size, (30, 120, 200))
    # A red left edge, so the rotation direction can be checked too.
    image.paste((255, 0, 0), (0, 0, size[0] // 10, size[1]))
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "PhoneModel"  # Model
    exif[GPS_IFD] = {
        1: "N",  # GPSLatitudeRef
        2: (31.0, 16.0, 40.0),  # GPSLatitude: 31°16'40" — Siping Road, Shanghai
        3: "E",  # GPSLongitudeRef
        4: (121.0, 30.0, 10.0),  # GPSLongitude
    }
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif, xmp=b"<x:xmpmeta>home</x:xmpmeta>", quality=90)
    return buffer.getvalue()


def png_with_header_size(width: int, height: int) -> bytes:
    """A real 1-bit PNG of the given size; all-zero rows compress to almost nothing."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def webp_chunks(data: bytes) -> list[bytes]:
    """The RIFF chunk names of a WebP file (metadata would be EXIF, XMP or ICCP)."""
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    names, offset = [], 12
    while offset + 8 <= len(data):
        name, size = data[offset : offset + 4], struct.unpack("<I", data[offset + 4 : offset + 8])[0]
        names.append(name)
        offset += 8 + size + (size & 1)
    return names


def refused(data: bytes, name: str = "photo.jpg", process=process_image) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        process(upload(data, name))
    assert caught.value.messages and all(caught.value.messages)
    return caught.value


@pytest.fixture
def no_decoding(monkeypatch):
    """Fail the test if Pillow decodes any pixel data."""

    def forbidden(self):
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", forbidden)


# --- The attack set ---------------------------------------------------------------


def test_text_named_jpg_is_refused():
    assert refused(b"just some text, not a picture\n" * 10).code == "not_image"


def test_html_with_png_header_is_refused():
    data = b"\x89PNG\r\n\x1a\n<html><script>alert(document.cookie)</script></html>"
    assert refused(data, "x.png").code == "not_image"


def test_decompression_bomb_is_refused_without_decoding(no_decoding):
    data = png_with_header_size(20_000, 20_000)
    assert len(data) < 200_000  # tiny on the wire, 400 million pixels once decoded
    assert refused(data, "bomb.png").code in {"bomb", "too_many_pixels"}


def test_pixel_limit_is_checked_before_decoding(no_decoding, settings):
    # 8000×6000 = 48 MP: under Pillow's own bomb limit, over ours.
    data = png_with_header_size(8000, 6000)
    error = refused(data, "big.png")
    assert error.code == "too_many_pixels"
    assert "8000×6000" in error.messages[0]


def test_pixel_limit_follows_the_setting(settings):
    settings.UPLOAD_MAX_PIXELS = 100 * 100
    assert refused(picture("PNG", size=(101, 100)), "p.png").code == "too_many_pixels"
    assert process_image(upload(picture("PNG", size=(100, 100)), "p.png")).width == 100


def test_file_over_the_byte_limit_is_refused_before_opening(monkeypatch):
    monkeypatch.setattr(Image, "open", lambda *a, **k: pytest.fail("a file over the limit was opened"))
    assert refused(b"\xff\xd8\xff" + b"\x00" * (12 * 1024 * 1024)).code == "too_large"


def test_empty_file_is_refused():
    assert refused(b"").code == "empty"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(picture("TIFF"), id="tiff"),
        pytest.param(picture("EPS"), id="eps"),
        pytest.param(picture("GIF", mode="P", color=1), id="gif"),
        pytest.param(picture("BMP"), id="bmp"),
        pytest.param(
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
            b'<script>alert(1)</script><rect width="10" height="10"/></svg>',
            id="svg",
        ),
        pytest.param(b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n", id="fake-eps"),
        pytest.param(picture("JPEG")[:200], id="truncated-jpeg"),
    ],
)
def test_other_formats_are_refused_even_named_jpg(data):
    assert refused(data, "photo.jpg").code == "not_image"


# --- What gets through, and how it comes out -------------------------------------


def test_gps_exif_is_stripped_and_orientation_applied():
    processed = process_image(upload(gps_jpeg()))
    # Upright size as uploaded: orientation 6 swaps width and height.
    assert (processed.width, processed.height) == (800, 1600)
    storage = public_storage()
    for target in DISPLAY_WIDTHS:
        content, width, height = processed.sizes[target]
        name = storage.save(f"test/{content.name}", content)
        try:
            with storage.open(name) as stored:
                data = stored.read()
            image = Image.open(io.BytesIO(data))
            image.load()
            assert image.format == "WEBP"
            assert image.size == (width, height)
            assert height == 2 * width  # rotated: the landscape original is now portrait
            assert width == min(target, 800)
            assert not image.getexif()
            assert not image.getexif().get_ifd(GPS_IFD)
            assert "exif" not in image.info and "xmp" not in image.info and "icc_profile" not in image.info
            assert webp_chunks(data)[0] in {b"VP8 ", b"VP8L", b"VP8X"}
            assert not {b"EXIF", b"XMP ", b"ICCP"} & set(webp_chunks(data))
            assert b"PhoneMaker" not in data and b"home" not in data
            # Orientation 6 turns the red left edge into the top edge.
            red, _, blue = image.convert("RGB").getpixel((width // 2, 2))
            assert red > 200 and blue < 80
        finally:
            storage.delete(name)


def test_display_sizes_are_webp_at_320_640_and_1280():
    processed = process_image(upload(picture("JPEG", size=(3000, 2000))))
    assert isinstance(processed, ProcessedImage)
    assert (processed.width, processed.height) == (3000, 2000)
    # 640 px is what a phone at device pixel ratio 2-3 needs for a half-width card.
    assert {target: size[1:] for target, size in processed.sizes.items()} == {
        320: (320, 213),
        640: (640, 427),
        1280: (1280, 853),
    }
    for content, *_ in processed.sizes.values():
        assert content.name.endswith(".webp") and "photo" not in content.name


def test_small_picture_is_not_enlarged():
    processed = process_image(upload(picture("PNG", size=(200, 100)), "p.png"))
    assert processed.sizes[320][1:] == (200, 100) and processed.sizes[1280][1:] == (200, 100)


def stored_picture(processed: ProcessedImage, *, medium: bool = True) -> WorkImage:
    """An unsaved picture row named after ``processed`` (no file is written)."""
    row = WorkImage(alt_text="图")
    row.set_processed(processed)
    for field in ("image_small", "image_medium", "image_large"):
        getattr(row, field).name = f"img/{field}.webp"
    if not medium:
        # A row stored before the medium size existed.
        row.image_medium, row.medium_width, row.medium_height = "", 0, 0
    return row


def test_srcset_offers_the_three_sizes():
    row = stored_picture(process_image(upload(picture("JPEG", size=(3000, 2000)))))
    assert (row.medium_width, row.medium_height) == (640, 427)
    assert sorted(row.srcset.split(", ")) == sorted(
        [
            "/media/public/img/image_small.webp 320w",
            "/media/public/img/image_medium.webp 640w",
            "/media/public/img/image_large.webp 1280w",
        ]
    )
    assert row.image_medium in row.stored_files()


def test_srcset_of_a_row_without_the_medium_size_keeps_working():
    row = stored_picture(process_image(upload(picture("JPEG", size=(3000, 2000)))), medium=False)
    assert row.srcset == "/media/public/img/image_small.webp 320w, /media/public/img/image_large.webp 1280w"
    assert row.stored_files() == [row.image_small, row.image_large]


def test_srcset_never_repeats_a_width():
    # 500 px wide: the medium and large sizes are the same 500 px picture.
    row = stored_picture(process_image(upload(picture("JPEG", size=(500, 400)))))
    widths = [part.rsplit(" ", 1)[1] for part in row.srcset.split(", ")]
    assert sorted(widths) == ["320w", "500w"]
    tiny = stored_picture(process_image(upload(picture("JPEG", size=(200, 100)))))
    assert tiny.srcset.count("200w") == 1 and ", " not in tiny.srcset


def test_png_transparency_is_kept():
    source = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    source.paste((0, 128, 0, 255), (16, 16, 48, 48))
    buffer = io.BytesIO()
    source.save(buffer, format="PNG")
    content, width, height = process_image(upload(buffer.getvalue(), "t.png")).sizes[320]
    image = Image.open(io.BytesIO(content.read()))
    assert image.mode == "RGBA" and (width, height) == (64, 64)
    assert image.getpixel((2, 2))[3] == 0
    assert image.getpixel((32, 32))[3] == 255


def test_palette_png_with_transparency_is_kept():
    data = picture("PNG", size=(40, 40), mode="P", color=0, transparency=0)
    content, *_ = process_image(upload(data, "p.png")).sizes[320]
    assert Image.open(io.BytesIO(content.read())).getpixel((1, 1))[3] == 0


@pytest.mark.parametrize(
    ("data", "name"),
    [
        pytest.param(picture("WEBP"), "w.webp", id="webp"),
        pytest.param(picture("JPEG", mode="CMYK", color=(0, 255, 255, 0)), "c.jpg", id="cmyk-jpeg"),
        pytest.param(picture("PNG", mode="I;16", color=40000), "deep.png", id="16-bit-png"),
        pytest.param(picture("PNG", mode="LA", color=(100, 50)), "la.png", id="grey-alpha-png"),
    ],
)
def test_other_real_pictures_are_accepted(data, name):
    processed = process_image(upload(data, name))
    content, *_ = processed.sizes[1280]
    Image.open(io.BytesIO(content.read())).load()


def test_16_bit_png_is_scaled_not_clipped():
    content, *_ = process_image(upload(picture("PNG", mode="I;16", color=32768), "deep.png")).sizes[320]
    value = Image.open(io.BytesIO(content.read())).convert("L").getpixel((0, 0))
    assert 110 < value < 145


def test_very_tall_picture_fits_webp():
    processed = process_image(upload(picture("PNG", size=(300, 20_000), mode="L", color=128), "tall.png"))
    for _, width, height in processed.sizes.values():
        assert width <= 300 and height <= WEBP_MAX_SIDE


# --- PDFs and receipts ------------------------------------------------------------


def test_valid_pdf_is_accepted_under_a_random_name():
    content = check_pdf(upload(VALID_PDF, "my-home-address.pdf", "application/pdf"))
    assert content.read() == VALID_PDF
    assert content.name.endswith(".pdf") and "home" not in content.name


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"<html><body>not a pdf</body></html>", id="html"),
        pytest.param(b"%PDF-1.7\n<html><script>alert(1)</script></html>", id="header-only"),
        pytest.param(picture("JPEG"), id="jpeg"),
        # A header and an end, but no document: what the old signature check let through.
        pytest.param(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", id="no-catalogue"),
    ],
)
def test_fake_pdf_is_refused(data):
    assert refused(data, "doc.pdf", process=check_pdf).code == "not_pdf"


@pytest.mark.parametrize(
    "catalog",
    [
        pytest.param({"OpenAction": {"/S": "/JavaScript", "/JS": "app.alert(1)"}}, id="javascript-on-open"),
        pytest.param({"OpenAction": {"/S": "/Launch", "/F": "cmd.exe"}}, id="launch"),
        pytest.param({"Names": {"/EmbeddedFiles": {"/Names": "x"}}}, id="embedded-file"),
        pytest.param({"AA": {"/WC": {"/S": "/SubmitForm", "/F": "http://example.invalid/"}}}, id="automatic-action"),
        pytest.param({"AcroForm": {"/XFA": "x"}}, id="xfa"),
    ],
)
def test_an_active_pdf_is_refused(catalog):
    error = refused(pdf_bytes(**catalog), "receipt.pdf", process=check_pdf)
    assert error.code == "pdf_active"
    # The same through the receipt door every money page uses.
    assert refused(pdf_bytes(**catalog), "receipt.pdf", process=check_receipt).code == "pdf_active"


def test_a_script_hidden_behind_an_escaped_name_is_found():
    data = pdf_bytes(OpenAction={"/S": "/JavaScript", "/JS": "app.alert(1)"})
    # "/J#61vaScript" is "/JavaScript" to a PDF reader; a byte search would miss it.
    disguised = data.replace(b"/JavaScript", b"/J#61vaScript")
    assert b"/JavaScript" not in disguised
    assert refused(disguised, "receipt.pdf", process=check_pdf).code == "pdf_active"


def test_pdf_over_the_byte_limit_is_refused():
    assert refused(b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024) + b"%%EOF", "big.pdf", process=check_pdf).code == (
        "too_large"
    )


def test_receipt_is_a_pdf_or_a_picture_kept_as_uploaded_until_the_worker_cleans_it():
    kind, content = check_receipt(upload(VALID_PDF, "r.pdf", "application/pdf"))
    assert (kind, content.read()) == ("pdf", VALID_PDF)
    # The request only checks the picture's header; its bytes are stored as they came.
    kind, content = check_receipt(upload(gps_jpeg(), "r.jpg"))
    assert kind == "image" and content.read() == gps_jpeg() and content.name.endswith(".jpg")
    content.seek(0)
    image = Image.open(io.BytesIO(reencode_receipt(content).read()))
    assert image.format == "WEBP" and not image.getexif()


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"<html>receipt</html>", "not_receipt"),
        (b"%PDF-1.4\n<html></html>", "not_pdf"),
        (picture("TIFF"), "not_receipt"),
        (b"", "empty"),
    ],
)
def test_receipt_refuses_everything_else(data, code):
    assert refused(data, "r.pdf", process=check_receipt).code == code


# --- Form fields ------------------------------------------------------------------


def test_safe_image_field_cleans_to_an_unprocessed_upload():
    field = SafeImageField()
    cleaned = field.clean(upload(picture()))
    # Checked without decoding: the worker makes the sizes (corridors.images).
    assert isinstance(cleaned, UploadedImage) and cleaned.original.name.endswith(".jpg")
    with pytest.raises(ValidationError):
        field.clean(upload(b"not a picture"))
    with pytest.raises(ValidationError):
        field.clean(None)


def test_receipt_field_cleans_to_kind_and_file():
    kind, content = ReceiptField().clean(upload(VALID_PDF, "r.pdf", "application/pdf"))
    assert kind == "pdf" and content.name.endswith(".pdf")


def test_check_image_reads_the_header_only():
    """A JPEG cut short passes the request's check (its header is sound); the worker finds it broken."""
    whole = picture(size=(1200, 900))
    cut = whole[: len(whole) // 2]
    checked = check_image(upload(cut))
    assert (checked.width, checked.height) == (1200, 900)
    with pytest.raises(ValidationError) as error:
        process_image(upload(cut))
    assert error.value.code == "not_image"


@pytest.mark.parametrize(
    ("data", "code"),
    [(b"not a picture", "not_image"), (b"", "empty")],
)
def test_check_image_refuses_what_is_no_picture(data, code):
    with pytest.raises(ValidationError) as error:
        check_image(upload(data))
    assert error.value.code == code


def test_check_image_refuses_too_many_pixels_from_the_header(settings):
    settings.UPLOAD_MAX_PIXELS = 100 * 100
    with pytest.raises(ValidationError) as error:
        check_image(upload(picture(size=(200, 200))))
    assert error.value.code == "too_many_pixels"
