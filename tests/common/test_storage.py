"""Files on local disk (the quick start and single-server installs), the three ways a
private file reaches its reader, and the public folder the app serves itself."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from common.storage import PrivateDiskStorage, PublicDiskStorage, resolve
from common.uploads import private_storage, public_storage
from corridors.services.files import group_document_add
from tests.common.test_uploads import VALID_PDF

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(world):
    return group_document_add(
        group=world.g1, title="签字同意书", kind="pdf", file=ContentFile(VALID_PDF, name="x.pdf"), by=world.leo
    )


def test_the_two_stores_are_folders_under_media_root_and_follow_it(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assert isinstance(resolve(public_storage()), PublicDiskStorage)
    assert isinstance(resolve(private_storage()), PrivateDiskStorage)
    name = private_storage().save("group-docs/a.pdf", ContentFile(VALID_PDF))
    assert (tmp_path / "private" / name).read_bytes() == VALID_PDF
    assert public_storage().url("img/a.webp") == "/media/public/img/a.webp"


def test_without_nginx_the_app_streams_a_private_file_to_its_reader_and_keeps_no_copy(world, as_user, document):
    response = as_user(world.leo).get(reverse("places:document", args=[document.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == VALID_PDF
    assert response["Content-Type"] == "application/pdf"
    # A PDF is a download under a sandboxing CSP, never a page the browser renders as ours.
    assert response["Content-Disposition"].startswith("attachment; filename")
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert response["Cache-Control"] == "private, no-store" and "X-Accel-Redirect" not in response


def test_behind_nginx_the_app_hands_a_private_file_over_with_x_accel_redirect(world, as_user, document, settings):
    settings.PRIVATE_MEDIA_ACCEL = True
    response = as_user(world.leo).get(reverse("places:document", args=[document.pk]))
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/_private/{document.file.name}"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment; filename")
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert response["Cache-Control"] == "private, no-store"
    # Refused before any of that: someone else gets nothing to follow.
    refused = as_user(world.lena).get(reverse("places:document", args=[document.pk]))
    assert refused.status_code == 404 and "X-Accel-Redirect" not in refused


def test_a_missing_private_file_is_a_404_not_a_redirect_to_nothing(world, as_user, document, settings):
    settings.PRIVATE_MEDIA_ACCEL = True
    private_storage().delete(document.file.name)
    response = as_user(world.leo).get(reverse("places:document", args=[document.pk]))
    assert response.status_code == 404 and "X-Accel-Redirect" not in response


def test_the_quick_start_serves_public_pictures_from_the_public_store_only(client, document):
    name = public_storage().save("img/2026/12/test.webp", ContentFile(b"RIFF....WEBP"))
    response = client.get(f"/media/public/{name}")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"RIFF....WEBP"
    assert response["Content-Type"] == "image/webp"
    assert "immutable" in response["Cache-Control"]
    client.raise_request_exception = False
    assert client.get(f"/media/public/../private/{document.file.name}").status_code in (400, 404)
    assert client.get("/media/public/img/2026/12/").status_code == 404
    assert client.get("/media/public/img/none.webp").status_code == 404
