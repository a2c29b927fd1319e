"""An acceptance check's photo: the request keeps it, the worker makes its private sizes (issue 12)."""

import pytest
from django.urls import reverse

from common.models import BrokenReason, PictureState
from common.uploads import private_storage, public_storage
from corridors.images import picture_sizes_make
from corridors.models import Notification
from funds.models import CheckPhoto
from tests.corridors.test_files import photo_upload
from tests.corridors.test_picture_processing import truncated_jpeg, webp_files
from tests.funds.test_acceptance import ready_for_inspection, schedule


@pytest.fixture
def check(world):
    return schedule(world, ready_for_inspection(world))


def add_photo(client, check, data=None):
    return client.post(
        reverse("funds:check_photo", args=[check.pk]), {"image": photo_upload(data), "alt_text": "楼道入口"}
    )


def test_a_check_photo_is_processing_until_the_worker_makes_its_private_sizes(world, check, as_user):
    client = as_user(world.alice)
    before = webp_files()
    assert add_photo(client, check).status_code == 302
    photo = CheckPhoto.objects.get(check_record=check)
    assert photo.picture_state == PictureState.PROCESSING and webp_files() == before
    page = client.get(check.get_absolute_url()).content.decode()
    assert 'data-picture-state="processing"' in page and "处理中" in page
    file_url = reverse("funds:check_photo_file", args=[check.pk, photo.pk, "small"])
    assert client.get(file_url).status_code == 404  # nothing to show yet

    picture_sizes_make(model="funds.checkphoto", pk=photo.pk)  # what the worker runs
    photo.refresh_from_db()
    assert photo.is_ready and (photo.small_width, photo.large_width) == (320, 1280)
    # Shown to those responsible only: the sizes are in the private store.
    assert all(private_storage().exists(f.name) and not public_storage().exists(f.name) for f in photo.stored_files())
    page = client.get(check.get_absolute_url()).content.decode()
    assert "data-picture-state" not in page
    assert client.get(file_url).status_code == 200


def test_a_broken_check_photo_is_told_to_its_inspector(world, check, as_user, run_jobs_here):
    client = as_user(world.alice)
    with run_jobs_here():
        assert add_photo(client, check, truncated_jpeg()).status_code == 302
    photo = CheckPhoto.objects.get(check_record=check)
    assert (photo.picture_state, photo.broken_reason) == (PictureState.BROKEN, BrokenReason.UNREADABLE)
    told = Notification.objects.get(recipient=world.alice, key="pictures.broken")
    assert told.url == check.get_absolute_url()
    page = client.get(check.get_absolute_url()).content.decode()
    assert "这张图片无法处理：文件已损坏或不完整，无法作为图片读取。请重新上传。" in page

    discard = reverse("funds:check_photo_discard", args=[check.pk, photo.pk])
    assert discard in page
    assert client.post(discard).status_code == 302
    assert not CheckPhoto.objects.filter(pk=photo.pk).exists()
