"""Pictures' display sizes are made by the worker, not in the upload request (issue 12).

The request checks the header only and keeps the original privately; the page answers at
once. Until the worker has made the sizes, public pages do not show the picture and its
uploader sees 处理中; a file that cannot be decoded is marked broken and its uploader told
why, in their language.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from procrastinate.contrib.django.models import ProcrastinateJob

from common.models import BrokenReason, PictureState
from common.uploads import private_storage, public_storage
from corridors.images import backfill_derivatives, picture_sizes_make
from corridors.models import ActivityPhoto, GroupPhoto, Notification, WorkImage
from corridors.services.gallery import work_publish
from jobs.core import run_pending_jobs
from tests.common.test_uploads import picture
from tests.corridors.test_files import add_url, photo_upload
from tests.corridors.test_gallery import make_work, work_form


def webp_files() -> set[Path]:
    return set(Path(settings.MEDIA_ROOT).rglob("*.webp"))


def truncated_jpeg() -> bytes:
    """A JPEG whose header is sound (so the request's check passes) but whose pixels are cut short."""
    whole = picture("JPEG", size=(1600, 1200), quality=95)
    return whole[: len(whole) // 3]


def picture_jobs():
    return ProcrastinateJob.objects.filter(task_name="corridors.picture_sizes")


@pytest.mark.django_db(transaction=True)
def test_the_upload_answers_before_the_sizes_exist_and_the_worker_makes_them(world, client):
    # A visitor's cached corridor page, from before the upload.
    assert "走廊里的花" not in client.get(world.g1.get_public_url()).content.decode()
    before = webp_files()
    # The queue's table outlives a transactional test's flush: count only this test's jobs.
    jobs_before = set(picture_jobs().values_list("id", flat=True))

    client.force_login(world.leo)
    response = client.post(add_url(world.g1), {"image": photo_upload(), "alt_text": "走廊里的花"})

    assert response.status_code == 302
    photo = GroupPhoto.objects.get(building_group=world.g1)
    assert photo.picture_state == PictureState.PROCESSING and not photo.image_small
    assert webp_files() == before  # no size was made in the request
    # The original (with its metadata) is kept privately, for the worker only.
    original = photo.original.name
    assert private_storage().exists(original) and not public_storage().exists(original)
    assert picture_jobs().filter(status="todo").exclude(id__in=jobs_before).count() == 1
    owner_page = client.get(reverse("places:group", args=[world.g1.pk])).content.decode()
    assert 'data-picture-state="processing"' in owner_page and "处理中" in owner_page
    client.logout()
    public = client.get(world.g1.get_public_url()).content.decode()
    assert 'alt="走廊里的花"' not in public

    run_pending_jobs()

    photo.refresh_from_db()
    assert photo.picture_state == PictureState.READY
    assert (photo.small_width, photo.medium_width, photo.large_width) == (320, 640, 1280)
    assert all(public_storage().exists(f.name) for f in photo.stored_files())
    assert len(webp_files() - before) == 3
    assert not photo.original and not private_storage().exists(original)
    # The cached public page was retired when the sizes were stored: the picture shows now.
    public = client.get(world.g1.get_public_url()).content.decode()
    assert 'alt="走廊里的花"' in public and photo.image_small.url in public


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_upload_enqueues_nothing(world):
    from django.db import transaction

    from common.uploads import check_image
    from corridors.services.files import group_photo_add

    jobs_before = set(picture_jobs().values_list("id", flat=True))
    with pytest.raises(RuntimeError), transaction.atomic():
        group_photo_add(group=world.g1, image=check_image(photo_upload()), alt_text="走廊", by=world.leo)
        raise RuntimeError("the step failed after the upload")
    assert not GroupPhoto.objects.exists() and not picture_jobs().exclude(id__in=jobs_before).exists()


def test_a_draft_work_shows_its_leader_processing_and_the_public_nothing(world, client, run_jobs_here):
    client.force_login(world.leo)
    client.post(reverse("gallery:work_add", args=[world.g1.pk]), work_form(title="春天的楼道"))
    image = WorkImage.objects.get()
    work = image.work
    page = client.get(work.get_absolute_url()).content.decode()
    assert "处理中" in page and 'data-picture-state="processing"' in page
    assert client.get(reverse("gallery:work_image_file", args=[work.pk, image.pk])).status_code == 404
    # Published before its picture is ready: the public pages show it as a work without one.
    with TestCase.captureOnCommitCallbacks(execute=True):
        work_publish(work=work, by=world.leo)
    client.logout()
    public = client.get(work.get_public_url()).content.decode()
    assert "春天的楼道" in public and "work-picture" not in public
    gallery = client.get(reverse("public:gallery")).content.decode()
    assert "春天的楼道" in gallery

    with TestCase.captureOnCommitCallbacks(execute=True):
        assert picture_sizes_make(model="corridors.workimage", pk=image.pk) == PictureState.READY
    image.refresh_from_db()
    # The work is published: its sizes went straight to public storage.
    assert all(public_storage().exists(f.name) for f in image.stored_files())
    public = client.get(work.get_public_url()).content.decode()
    assert image.image_small.url in public


def test_a_draft_works_sizes_stay_private(world):
    from common.uploads import check_image

    work = make_work(world.g1, world.leo, publish=False)
    from corridors.services.gallery import work_image_add

    row = work_image_add(work=work, image=check_image(photo_upload()), alt_text="第二张", by=world.leo)
    picture_sizes_make(model="corridors.workimage", pk=row.pk)
    row.refresh_from_db()
    assert row.is_ready
    assert all(private_storage().exists(f.name) and not public_storage().exists(f.name) for f in row.stored_files())


@pytest.mark.parametrize(
    ("language", "expected"), [("zh-hans", "有一张图片无法处理"), ("en", "A picture could not be processed")]
)
def test_a_broken_file_is_marked_and_its_uploader_told_in_their_language(
    world, client, run_jobs_here, django_capture_on_commit_callbacks, language, expected
):
    from tests.corridors.test_activities import make_activity

    activity = make_activity(world.g1, world.leo, days=-2)
    client.force_login(world.leo)
    before = webp_files()
    with django_capture_on_commit_callbacks(execute=True), run_jobs_here() as ran:
        response = client.post(
            reverse("gallery:activity_photo_add", args=[activity.pk]),
            {"image": photo_upload(truncated_jpeg()), "alt_text": "院子里的菜"},
        )
    assert response.status_code == 302  # the header was sound: the request accepted it
    assert [job.task_name for job in ran] == ["corridors.picture_sizes"]
    photo = ActivityPhoto.objects.get()
    assert (photo.picture_state, photo.broken_reason) == (PictureState.BROKEN, BrokenReason.UNREADABLE)
    assert not photo.original and not webp_files() - before  # nothing kept, no size made

    told = Notification.objects.get(recipient=world.leo)
    assert told.key == "pictures.broken" and told.url == activity.get_absolute_url()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    inbox = client.get(reverse("inbox:list")).content.decode()
    assert expected in inbox
    if language == "en":
        assert "damaged or cut short" in inbox and "Please upload it again." in inbox
    else:
        assert "文件已损坏或不完整" in inbox and "请重新上传" in inbox

    # Its uploader sees why on the activity's page, with the delete button; the public page shows nothing.
    page = client.get(activity.get_absolute_url()).content.decode()
    assert 'data-picture-state="broken"' in page
    if language != "en":
        assert "这张图片无法处理：文件已损坏或不完整，无法作为图片读取。请重新上传。" in page
    assert reverse("gallery:activity_photo_delete", args=[activity.pk, photo.pk]) in page
    client.logout()
    assert 'alt="院子里的菜"' not in client.get(activity.get_public_url()).content.decode()


def test_a_picture_too_large_to_decode_is_broken_with_that_reason(world, settings):
    from common.uploads import check_image
    from corridors.services.files import group_photo_add

    photo = group_photo_add(group=world.g1, image=check_image(photo_upload()), alt_text="走廊", by=world.leo)
    settings.UPLOAD_MAX_PIXELS = 1000  # the limit lowered after the upload was accepted
    assert picture_sizes_make(model="corridors.groupphoto", pk=photo.pk) == PictureState.BROKEN
    photo.refresh_from_db()
    assert photo.broken_reason == BrokenReason.TOO_LARGE


def test_the_job_is_idempotent_and_ignores_a_deleted_row(world):
    from common.uploads import check_image
    from corridors.services.files import group_photo_add, group_photo_delete

    photo = group_photo_add(group=world.g1, image=check_image(photo_upload()), alt_text="走廊", by=world.leo)
    assert picture_sizes_make(model="corridors.groupphoto", pk=photo.pk) == PictureState.READY
    photo.refresh_from_db()
    names = [f.name for f in photo.stored_files()]
    assert picture_sizes_make(model="corridors.groupphoto", pk=photo.pk) == PictureState.READY
    photo.refresh_from_db()
    assert [f.name for f in photo.stored_files()] == names
    group_photo_delete(photo=photo)
    assert picture_sizes_make(model="corridors.groupphoto", pk=photo.pk) == "gone"


def test_backfill_makes_the_missing_medium_size_once(world, capsys):
    from common.uploads import process_image
    from corridors.services.files import group_photo_add

    photo = group_photo_add(group=world.g1, image=process_image(photo_upload()), alt_text="老照片", by=world.leo)
    # A picture stored before the medium size existed.
    public_storage().delete(photo.image_medium.name)
    GroupPhoto.objects.filter(pk=photo.pk).update(image_medium="", medium_width=0, medium_height=0)

    assert backfill_derivatives(dry_run=True) == {"missing": 1, "made": 0, "failed": 0}
    assert GroupPhoto.objects.get(pk=photo.pk).image_medium == ""
    call_command("backfill_derivatives")
    assert "missing: 1, made: 1, failed: 0" in capsys.readouterr().out
    photo.refresh_from_db()
    assert (photo.medium_width, photo.medium_height) == (640, 480)
    assert public_storage().exists(photo.image_medium.name)
    assert f"{photo.image_medium.url} 640w" in photo.srcset
    # Run again: nothing is missing, nothing changes.
    name = photo.image_medium.name
    assert backfill_derivatives() == {"missing": 0, "made": 0, "failed": 0}
    photo.refresh_from_db()
    assert photo.image_medium.name == name


@pytest.mark.django_db(transaction=True)
def test_a_failing_job_is_retried_and_shown_on_the_jobs_page_not_told_as_broken(world, as_user, monkeypatch):
    from common.uploads import check_image
    from corridors.services.files import group_photo_add
    from jobs.core import job_retry
    from jobs.models import JobError
    from tests import factories as f

    photo = group_photo_add(group=world.g1, image=check_image(photo_upload()), alt_text="走廊", by=world.leo)
    queued = picture_jobs().get(args__pk=photo.pk)

    def unreachable(handle):
        raise OSError("存储暂时无法访问")

    monkeypatch.setattr("corridors.images.process_image", unreachable)
    run_pending_jobs()
    queued.refresh_from_db()
    # Retried later, with back-off; the picture waits, nobody is told it is broken.
    assert queued.status == "todo" and queued.attempts == 1
    assert "存储暂时无法访问" in JobError.objects.get(job_id=queued.id).error
    assert GroupPhoto.objects.get(pk=photo.pk).is_processing and not Notification.objects.exists()
    admin = f.UserFactory(username="root", is_superuser=True)
    page = as_user(admin).get(reverse("jobs:list")).content.decode()
    assert f'data-job="{queued.id}"' in page and "图片尺寸" in page

    monkeypatch.undo()
    assert job_retry(job_id=queued.id)
    run_pending_jobs()
    assert GroupPhoto.objects.get(pk=photo.pk).is_ready


def test_a_broken_progress_photo_is_deleted_by_its_uploader_only(world, as_user, client, run_jobs_here):
    from corridors.models.applications import ProgressPhoto
    from corridors.workflows.application import State
    from tests.corridors.test_application_workflow import make_application, make_year

    application = make_application(world, make_year(world.street), state=State.IN_CREATION)
    leader = as_user(world.leo)
    with run_jobs_here():
        leader.post(
            reverse("applications:progress_photo_add", args=[application.pk]),
            {"image": photo_upload(truncated_jpeg()), "caption": "墙面"},
        )
    photo = ProgressPhoto.objects.get(application=application)
    assert photo.is_broken
    discard = reverse("applications:picture_discard", args=[application.pk, "progress", photo.pk])
    page = leader.get(application.get_absolute_url()).content.decode()
    assert "这张图片无法处理" in page and discard in page
    # Out of scope: answers like a missing id; in scope but not the uploader: refused with the reason.
    assert as_user(world.lena).post(discard).status_code == 404
    assert as_user(world.alice).post(discard).status_code == 302
    assert ProgressPhoto.objects.filter(pk=photo.pk).exists()
    assert as_user(world.leo).post(discard).status_code == 302
    assert not ProgressPhoto.objects.filter(pk=photo.pk).exists()


def test_pages_with_processing_and_broken_pictures_keep_their_query_counts(world, as_user, count_queries):
    from common.uploads import check_image
    from corridors.services.files import group_photo_add

    def add(n):
        for i in range(n):
            photo = group_photo_add(
                group=world.g1, image=check_image(photo_upload()), alt_text=f"照片{i}", by=world.leo
            )
            if i % 2:
                GroupPhoto.objects.filter(pk=photo.pk).update(
                    picture_state=PictureState.BROKEN, broken_reason=BrokenReason.UNREADABLE, original=""
                )

    leader = as_user(world.leo)
    owner_page = reverse("places:group", args=[world.g1.pk])
    add(1)
    # The corridor's public page too (rendered afresh for a signed-in reader).
    few = count_queries(leader.get, owner_page), count_queries(leader.get, world.g1.get_public_url())
    add(6)
    many = count_queries(leader.get, owner_page), count_queries(leader.get, world.g1.get_public_url())
    assert few == many
