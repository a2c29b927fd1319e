"""Uploads on S3-compatible object storage, against a real S3 server (``rclone serve s3``).

The same pages and services as on disk: a leader's picture lands in the public bucket and
its URL is the public bucket's; a private document lands in the private bucket and reaches
its reader only as a short-lived presigned link after the permission check; hiding a work
moves its pictures between buckets through the storage API; ``media_transfer`` copies an
install's files from disk to the buckets and back, idempotently.
"""

import io
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse

from common.uploads import private_storage, process_image, public_storage
from config.media import media_storages
from corridors.models import GroupPhoto
from corridors.services.files import group_document_add
from corridors.services.gallery import work_hide, work_publish, work_unhide
from tests.common.test_uploads import VALID_PDF
from tests.corridors.test_files import photo_upload
from tests.corridors.test_gallery import make_work
from tests.deploy.servers import s3_server

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def s3(tmp_path_factory):
    with s3_server(tmp_path_factory.mktemp("s3")) as server:
        yield server


@pytest.fixture
def media_on_s3(s3, settings, monkeypatch, tmp_path):
    for name, value in s3.env().items():
        monkeypatch.setenv(name, value)
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, **media_storages("s3")}
    return s3


def files_on_disk(settings) -> list[Path]:
    return [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


def test_a_leaders_picture_is_stored_in_the_public_bucket_and_shown_from_its_address(
    world, as_user, client, media_on_s3, settings, run_jobs_here
):
    with run_jobs_here():  # the worker reads the original from the private bucket and makes the sizes
        response = as_user(world.leo).post(
            reverse("files:photo_add", args=[world.g1.pk]), {"image": photo_upload(), "alt_text": "走廊里的花"}
        )
        original = GroupPhoto.objects.get(building_group=world.g1).original.name
        assert original in media_on_s3.keys(media_on_s3.private_bucket)
    assert response.status_code == 302
    photo = GroupPhoto.objects.get(building_group=world.g1)
    assert photo.is_ready and len(photo.stored_files()) == 3
    names = {f.name for f in photo.stored_files()}
    assert names <= media_on_s3.keys(media_on_s3.public_bucket)
    assert not files_on_disk(settings)

    client.logout()
    page = client.get(world.g1.get_public_url()).content.decode()
    large = photo.image_large.url
    assert large.startswith(media_on_s3.public_url + "/") and large in page
    served = requests.get(large, timeout=10)
    assert served.status_code == 200 and served.content[8:12] == b"WEBP"


def test_a_private_document_is_only_reached_through_a_short_presigned_link_after_the_check(
    world, as_user, media_on_s3, settings
):
    document = group_document_add(
        group=world.g1, title="签字同意书", kind="pdf", file=ContentFile(VALID_PDF, name="x.pdf"), by=world.leo
    )
    assert document.file.name in media_on_s3.keys(media_on_s3.private_bucket)
    assert not files_on_disk(settings)
    assert getattr(document.file, "url", None) is None

    response = as_user(world.leo).get(reverse("places:document", args=[document.pk]))
    assert response.status_code == 302 and response["Cache-Control"] == "private, no-store"
    link = response["Location"]
    assert link.startswith(media_on_s3.endpoint + "/" + media_on_s3.private_bucket + "/")
    assert "X-Amz-Expires=300" in link
    fetched = requests.get(link, timeout=10)
    assert fetched.status_code == 200 and fetched.content == VALID_PDF
    assert fetched.headers["Content-Type"] == "application/pdf"
    assert document.download_name.split(".")[-1] in fetched.headers["Content-Disposition"]
    # Without the signature the object store refuses: a private file has no public address.
    bare = urlsplit(link)._replace(query="").geturl()
    assert requests.get(bare, timeout=10).status_code >= 400

    assert as_user(world.lena).get(reverse("places:document", args=[document.pk])).status_code == 404


def test_hiding_a_work_moves_its_pictures_to_the_private_bucket_and_showing_it_moves_them_back(
    world, media_on_s3, django_capture_on_commit_callbacks
):
    work = make_work(world.g1, world.leo, title="门牌号照片")
    names = {f.name for f in work.images.get().stored_files()}
    assert names <= media_on_s3.keys(media_on_s3.public_bucket)

    with django_capture_on_commit_callbacks(execute=True):
        work_hide(work=work, reason="能看清门牌号", by=world.alice)
    assert not names & media_on_s3.keys(media_on_s3.public_bucket)
    assert names <= media_on_s3.keys(media_on_s3.private_bucket)
    # The old public address answers nothing any more.
    assert requests.get(f"{media_on_s3.public_url}/{next(iter(names))}", timeout=10).status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        work_unhide(work=work, by=world.carl)
    assert names <= media_on_s3.keys(media_on_s3.public_bucket)
    assert not names & media_on_s3.keys(media_on_s3.private_bucket)


def test_a_drafts_pictures_stay_in_the_private_bucket_until_published_and_its_leader_gets_a_signed_link(
    world, as_user, media_on_s3, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        work = make_work(world.g1, world.leo, title="楼道新貌", publish=False)
    image = work.images.get()
    names = {f.name for f in image.stored_files()}
    assert names <= media_on_s3.keys(media_on_s3.private_bucket)
    assert not names & media_on_s3.keys(media_on_s3.public_bucket)
    assert requests.get(image.image_small.url, timeout=10).status_code == 404

    checked = reverse("gallery:work_image_file", args=[work.pk, image.pk])
    response = as_user(world.leo).get(checked)
    assert response.status_code == 302 and response["Cache-Control"] == "private, no-store"
    link = response["Location"]
    assert link.startswith(media_on_s3.endpoint + "/" + media_on_s3.private_bucket + "/") and "X-Amz-Expires=" in link
    fetched = requests.get(link, timeout=10)
    assert fetched.status_code == 200 and fetched.content[8:12] == b"WEBP"
    assert as_user(world.lena).get(checked).status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        work_publish(work=work, by=world.leo)
    assert names <= media_on_s3.keys(media_on_s3.public_bucket)
    assert not names & media_on_s3.keys(media_on_s3.private_bucket)
    assert requests.get(image.image_small.url, timeout=10).status_code == 200


def test_media_transfer_copies_both_stores_to_the_buckets_and_back_and_a_second_run_copies_nothing(
    world, s3, settings, monkeypatch, tmp_path
):
    for name, value in s3.env().items():
        monkeypatch.setenv(name, value)
    settings.MEDIA_ROOT = tmp_path / "media"
    # An install on disk: a public picture and a private document.
    picture = process_image(photo_upload())
    public_name = public_storage().save("img/2026/12/transfer-test.webp", picture.sizes[320][0])
    private_name = private_storage().save("group-docs/2026/12/transfer-test.pdf", ContentFile(VALID_PDF))

    out = io.StringIO()
    call_command("media_transfer", "--to", "s3", "--dry-run", stdout=out)
    assert "would copy public/img/2026/12/transfer-test.webp" in out.getvalue()
    assert public_name not in s3.keys(s3.public_bucket)

    out = io.StringIO()
    call_command("media_transfer", "--to", "s3", stdout=out)
    assert public_name in s3.keys(s3.public_bucket) and private_name in s3.keys(s3.private_bucket)
    body = s3.client().get_object(Bucket=s3.private_bucket, Key=private_name)["Body"].read()
    assert body == VALID_PDF

    out = io.StringIO()
    call_command("media_transfer", "--to", "s3", stdout=out)
    assert "0 file(s) copied to s3" in out.getvalue()

    # ...and back to an empty disk: same names, same bytes.
    settings.MEDIA_ROOT = tmp_path / "restored"
    call_command("media_transfer", "--to", "disk", stdout=io.StringIO())
    assert (tmp_path / "restored" / "private" / private_name).read_bytes() == VALID_PDF
    assert (tmp_path / "restored" / "public" / public_name).exists()
