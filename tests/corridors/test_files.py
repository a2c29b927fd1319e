"""Pages for a building group's files: who may upload, what the public sees, and that
private documents stay private."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from corridors.models import GroupDocument, GroupPhoto
from corridors.services.files import group_document_add, group_photo_add
from tests.common.test_uploads import VALID_PDF, gps_jpeg, picture

MEDIA_PUBLIC = Path(settings.MEDIA_ROOT) / "public"
MEDIA_PRIVATE = Path(settings.MEDIA_ROOT) / "private"


def stored_files() -> set[Path]:
    return {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}


def photo_upload(data: bytes | None = None, name: str = "corridor.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, picture("JPEG", size=(1600, 1200)) if data is None else data, "image/jpeg")


def add_url(group) -> str:
    return reverse("files:photo_add", args=[group.pk])


def document_add_url(group) -> str:
    return reverse("files:document_add", args=[group.pk])


@pytest.fixture
def g1_photo(world):
    from common.uploads import process_image

    image = process_image(photo_upload())
    return group_photo_add(group=world.g1, image=image, alt_text="走廊里的花", by=world.leo)


@pytest.fixture
def g1_document(world):
    from django.core.files.base import ContentFile

    return group_document_add(
        group=world.g1, title="签字同意书", kind="pdf", file=ContentFile(VALID_PDF, name="x.pdf"), by=world.leo
    )


# --- Photos -------------------------------------------------------------------------


def test_leader_uploads_photo_that_appears_on_public_page(world, as_user, client, run_jobs_here):
    with run_jobs_here():  # the worker makes the photo's sizes
        response = as_user(world.leo).post(
            add_url(world.g1), {"image": photo_upload(gps_jpeg()), "alt_text": "走廊里的花"}
        )
    assert response.status_code == 302
    assert response.url == reverse("places:group", args=[world.g1.pk])
    photo = GroupPhoto.objects.get(building_group=world.g1)
    assert (photo.alt_text, photo.uploaded_by) == ("走廊里的花", world.leo)
    assert (photo.small_width, photo.small_height) == (320, 640)

    client.logout()
    page = client.get(world.g1.get_public_url()).content.decode()
    assert f'srcset="{photo.image_small.url} 320w, {photo.image_medium.url} 640w, {photo.image_large.url} 800w"' in page
    assert 'loading="lazy"' in page
    assert 'alt="走廊里的花"' in page
    # The public picture is served, as metadata-free WebP.
    served = client.get(photo.image_large.url)
    assert served.status_code == 200
    image = Image.open(io.BytesIO(b"".join(served.streaming_content)))
    assert image.format == "WEBP" and not image.getexif() and image.size == (800, 1600)


@pytest.mark.parametrize("who", ["leo", "carl", "alice"])
def test_responsible_people_see_the_upload_forms(world, as_user, who):
    client = as_user(getattr(world, who))
    for url in (add_url(world.g1), document_add_url(world.g1)):
        response = client.get(url)
        assert response.status_code == 200
        assert 'enctype="multipart/form-data"' in response.content.decode()
    detail = client.get(reverse("places:group", args=[world.g1.pk])).content.decode()
    assert add_url(world.g1) in detail and document_add_url(world.g1) in detail


@pytest.mark.parametrize("who", ["lena", "cindy", "bob", "rita", "fay", "otto", "nobody"])
def test_others_cannot_upload_to_g1(world, as_user, who):
    client = as_user(getattr(world, who))
    assert client.get(add_url(world.g1)).status_code in (403, 404)
    response = client.post(add_url(world.g1), {"image": photo_upload(), "alt_text": "x"})
    assert response.status_code in (403, 404)
    response = client.post(document_add_url(world.g1), {"file": SimpleUploadedFile("d.pdf", VALID_PDF), "title": "x"})
    assert response.status_code in (403, 404)
    assert not GroupPhoto.objects.exists() and not GroupDocument.objects.exists()


def test_lena_gets_404_for_g1(world, as_user):
    assert as_user(world.lena).post(add_url(world.g1), {"image": photo_upload(), "alt_text": "x"}).status_code == 404


def test_anonymous_is_sent_to_sign_in(world, client):
    response = client.get(add_url(world.g1))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    ("data", "name"),
    [
        pytest.param(b"not a picture at all", "x.jpg", id="text"),
        pytest.param(b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>", "x.png", id="html-png"),
        pytest.param(b"<svg xmlns='http://www.w3.org/2000/svg'/>", "x.svg", id="svg"),
        pytest.param(picture("TIFF"), "x.jpg", id="tiff"),
        pytest.param(b"\xff\xd8\xff" + b"\x00" * (12 * 1024 * 1024), "big.jpg", id="12MB"),
    ],
)
def test_broken_upload_shows_error_and_creates_nothing(world, as_user, data, name):
    before = stored_files()
    response = as_user(world.leo).post(add_url(world.g1), {"image": photo_upload(data, name), "alt_text": "花"})
    assert response.status_code == 200
    errors = response.context["form"].errors["image"]
    assert errors and errors[0] in response.content.decode()
    assert GroupPhoto.objects.count() == 0
    assert stored_files() == before


def test_description_is_required(world, as_user):
    before = stored_files()
    response = as_user(world.leo).post(add_url(world.g1), {"image": photo_upload(), "alt_text": "  "})
    assert response.status_code == 200
    assert "alt_text" in response.context["form"].errors
    assert GroupPhoto.objects.count() == 0 and stored_files() == before


def test_leader_deletes_photo_and_its_files(world, as_user, g1_photo, django_capture_on_commit_callbacks):
    paths = [Path(g1_photo.image_small.path), Path(g1_photo.image_large.path)]
    assert all(p.exists() for p in paths)
    url = reverse("files:photo_delete", args=[world.g1.pk, g1_photo.pk])
    client = as_user(world.leo)
    assert client.get(url).status_code == 200  # confirmation page; nothing deleted yet
    assert GroupPhoto.objects.filter(pk=g1_photo.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert not GroupPhoto.objects.filter(pk=g1_photo.pk).exists()
    assert not any(p.exists() for p in paths)


@pytest.mark.parametrize("who", ["lena", "cindy", "bob"])
def test_others_cannot_delete_photo(world, as_user, g1_photo, who):
    url = reverse("files:photo_delete", args=[world.g1.pk, g1_photo.pk])
    assert as_user(getattr(world, who)).post(url).status_code == 404
    assert GroupPhoto.objects.filter(pk=g1_photo.pk).exists()


def test_photo_of_another_group_is_not_found_through_mine(world, as_user, g1_photo):
    # lena leads g2: she cannot reach g1's photo by putting it under her own group.
    url = reverse("files:photo_delete", args=[world.g2.pk, g1_photo.pk])
    assert as_user(world.lena).post(url).status_code == 404
    assert GroupPhoto.objects.filter(pk=g1_photo.pk).exists()


def test_query_counts_do_not_grow_with_photos(world, as_user, count_queries):
    from common.uploads import process_image

    def add_photos(n):
        for _ in range(n):
            image = process_image(photo_upload(picture("PNG", size=(40, 30)), "p.png"))
            group_photo_add(group=world.g1, image=image, alt_text="花", by=world.leo)

    from django.test import Client

    resident, leo = Client(), as_user(world.leo)
    pages = [
        lambda: count_queries(resident.get, world.g1.get_public_url()),
        lambda: count_queries(leo.get, reverse("places:group", args=[world.g1.pk])),
    ]
    add_photos(1)
    with_one = [measure() for measure in pages]
    add_photos(5)
    assert [measure() for measure in pages] == with_one


# --- Private documents --------------------------------------------------------------


def test_leader_uploads_pdf_kept_private(world, as_user, client):
    response = as_user(world.leo).post(
        document_add_url(world.g1), {"title": "签字同意书", "file": SimpleUploadedFile("同意书.pdf", VALID_PDF)}
    )
    assert response.status_code == 302
    document = GroupDocument.objects.get(building_group=world.g1)
    assert (document.kind, document.title) == (GroupDocument.Kind.PDF, "签字同意书")
    path = Path(document.file.path).resolve()
    assert path.is_relative_to(MEDIA_PRIVATE.resolve())
    assert not path.is_relative_to(MEDIA_PUBLIC.resolve())
    assert "同意书" not in document.file.name
    client.logout()
    client.raise_request_exception = False
    for url in (
        f"/media/{document.file.name}",
        f"/media/private/{document.file.name}",
        f"/media/public/../private/{document.file.name}",
        f"/media/public/%2e%2e/private/{document.file.name}",
    ):
        # 404, or 400 for a path that climbs out of the public folder.
        assert client.get(url).status_code in (400, 404), url


def test_picture_document_is_stored_as_clean_webp(world, as_user, run_jobs_here):
    with run_jobs_here():
        response = as_user(world.carl).post(
            document_add_url(world.g1), {"title": "收据", "file": SimpleUploadedFile("receipt.jpg", gps_jpeg())}
        )
        assert response.status_code == 302
        document = GroupDocument.objects.get()
        assert document.kind == GroupDocument.Kind.IMAGE
        with document.file.open("rb") as f:
            assert f.read() == gps_jpeg()  # as uploaded, until the worker re-encodes it
    document.refresh_from_db()
    with document.file.open("rb") as f:
        image = Image.open(f)
        assert image.format == "WEBP" and not image.getexif()


@pytest.mark.parametrize(
    ("data", "name"),
    [
        pytest.param(b"%PDF-1.4\n<html><script>alert(1)</script></html>", "fake.pdf", id="fake-pdf"),
        pytest.param(b"<html></html>", "x.pdf", id="html"),
        pytest.param(picture("TIFF"), "scan.tif", id="tiff"),
    ],
)
def test_broken_document_shows_error_and_creates_nothing(world, as_user, data, name):
    before = stored_files()
    response = as_user(world.leo).post(
        document_add_url(world.g1), {"title": "收据", "file": SimpleUploadedFile(name, data)}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert errors and errors[0] in response.content.decode()
    assert GroupDocument.objects.count() == 0 and stored_files() == before


@pytest.mark.parametrize("url_name", ["places:document", "files:document"])
@pytest.mark.parametrize("who", ["leo", "carl", "alice"])
def test_responsible_people_download_document(world, as_user, g1_document, who, url_name):
    response = as_user(getattr(world, who)).get(reverse(url_name, args=[g1_document.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == VALID_PDF


@pytest.mark.parametrize("url_name", ["places:document", "files:document"])
@pytest.mark.parametrize("who", ["lena", "cindy", "bob", "rita", "fay", "otto", "nobody"])
def test_others_get_404_for_document(world, as_user, g1_document, who, url_name):
    assert as_user(getattr(world, who)).get(reverse(url_name, args=[g1_document.pk])).status_code == 404


def test_anonymous_download_is_sent_to_sign_in(world, client, g1_document):
    response = client.get(g1_document.get_absolute_url())
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_private_storage_is_outside_public_media(g1_document):
    assert not MEDIA_PRIVATE.resolve().is_relative_to(MEDIA_PUBLIC.resolve())
    assert not any(MEDIA_PUBLIC.rglob(Path(g1_document.file.name).name))
    assert Path(g1_document.file.path).exists()
    assert getattr(g1_document.file, "url", None) is None  # a private file has no URL at all
