"""Progress photos while the corridor is made (DESIGN.md §1: "in creation (leader posts progress
photos)"): only the group's leader, only in creation / waiting for the check / rectifying,
shown on the application page (srcset, lazy) and to the staff who schedule the check."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from common.refusals import Refused
from common.uploads import process_image
from corridors.images import picture_sizes_make
from corridors.models.applications import PROGRESS_PHOTO_STATES, ProgressPhoto
from corridors.services.applications import application_progress_photo_add
from corridors.workflows.application import State
from tests.corridors.test_application_sketches import jpeg
from tests.corridors.test_application_workflow import make_application, make_year


@pytest.fixture
def year(world):
    return make_year(world.street)


def add_photo(world, application, actor=None, caption="墙面粉刷完成"):
    return application_progress_photo_add(
        application=application, actor=actor or world.leo, image=process_image(jpeg()), caption=caption
    )


def test_the_states_are_those_of_the_making():
    assert {State.IN_CREATION, State.INSPECTION_REQUESTED, State.RECTIFYING} == PROGRESS_PHOTO_STATES


@pytest.mark.parametrize("state", list(State), ids=lambda s: s.value)
def test_the_leader_posts_only_while_the_corridor_is_made(world, year, state):
    application = make_application(world, year, state=state)
    if state in PROGRESS_PHOTO_STATES:
        photo = add_photo(world, application)
        assert (photo.caption, photo.alt_text, photo.uploaded_by) == ("墙面粉刷完成", "墙面粉刷完成", world.leo)
        assert (photo.large_width, photo.small_width) == (800, 320)
    else:
        with translation.override("en"), pytest.raises(Refused) as refused:
            add_photo(world, application)
        assert "while the corridor is being made" in refused.value.reason
        assert not ProgressPhoto.objects.exists()


@pytest.mark.parametrize("persona", ["alice", "carl", "lena", "cindy", "bob", "fay"])
def test_only_the_groups_leader_posts(world, year, persona):
    application = make_application(world, year, state=State.IN_CREATION)
    with translation.override("en"), pytest.raises(Refused) as refused:
        add_photo(world, application, actor=getattr(world, persona))
    assert "Only the leader" in refused.value.reason
    assert not ProgressPhoto.objects.exists()


def test_the_leader_posts_through_the_application_page(world, year, as_user):
    application = make_application(world, year, state=State.IN_CREATION)
    client = as_user(world.leo)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("applications:detail", args=[application.pk])
    page = client.get(url).content.decode()
    assert "data-progress-form" in page and "No progress photos yet." in page

    response = client.post(
        reverse("applications:progress_photo_add", args=[application.pk]), {"image": jpeg(), "caption": "绿植已摆放"}
    )
    assert response.status_code == 302 and response.url == url
    photo = ProgressPhoto.objects.get(application=application)
    page = client.get(url).content.decode()
    assert "绿植已摆放" in page and 'data-picture-state="processing"' in page
    picture_sizes_make(model="corridors.progressphoto", pk=photo.pk)  # what the worker runs
    page = client.get(url).content.decode()
    assert "data-picture-state" not in page
    # Served by the app after the permission check (the photo has no public address).
    private = reverse("applications:picture", args=[application.pk, "progress", photo.pk, "medium"])
    assert f'src="{private}"' in page and 'loading="lazy"' in page


def test_a_broken_photo_is_explained_and_nothing_is_stored(world, year, as_user):
    application = make_application(world, year, state=State.IN_CREATION)
    fake = SimpleUploadedFile("p.jpg", b"<html>not a picture</html>", content_type="image/jpeg")
    response = as_user(world.leo).post(
        reverse("applications:progress_photo_add", args=[application.pk]), {"image": fake, "caption": "墙面"}
    )
    assert response.status_code == 400
    assert "此文件不是 JPEG、PNG 或 WebP 图片。" in response.content.decode()
    assert not ProgressPhoto.objects.exists()


def test_the_page_offers_no_upload_outside_the_making_and_refuses_one(world, year, as_user):
    application = make_application(world, year, state=State.APPROVED)
    client = as_user(world.leo)
    assert (
        "data-progress-form" not in client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    )
    response = client.post(
        reverse("applications:progress_photo_add", args=[application.pk]), {"image": jpeg(), "caption": "墙面"}
    )
    assert response.status_code == 302
    assert not ProgressPhoto.objects.exists()


@pytest.mark.parametrize(("persona", "status"), [("alice", 403), ("carl", 403), ("lena", 404), ("bob", 404)])
def test_nobody_else_posts_through_the_page(world, year, as_user, persona, status):
    application = make_application(world, year, state=State.IN_CREATION)
    response = as_user(getattr(world, persona)).post(
        reverse("applications:progress_photo_add", args=[application.pk]), {"image": jpeg(), "caption": "墙面"}
    )
    assert response.status_code == status
    assert not ProgressPhoto.objects.exists()


def test_staff_and_committee_see_the_photos_but_no_upload(world, year, as_user):
    application = make_application(world, year, state=State.INSPECTION_REQUESTED)
    add_photo(world, application, caption="楼道灯已更换")
    for persona in ("alice", "carl"):
        page = as_user(getattr(world, persona)).get(reverse("applications:detail", args=[application.pk]))
        html = page.content.decode()
        assert "楼道灯已更换" in html and "data-progress-form" not in html


def test_staff_see_the_photos_when_scheduling_the_check(world, year, as_user, count_queries):
    application = make_application(world, year, state=State.INSPECTION_REQUESTED)
    add_photo(world, application, caption="楼道灯已更换")
    client = as_user(world.alice)
    url = reverse("funds:check_schedule", args=[application.pk])
    page = client.get(url).content.decode()
    assert "楼道灯已更换" in page and 'loading="lazy"' in page
    small = count_queries(client.get, url)
    for n in range(4):
        add_photo(world, application, caption=f"第{n}张")
    assert count_queries(client.get, url) == small


@pytest.mark.parametrize("persona", ["leo", "alice"])
def test_the_application_page_keeps_its_query_count(world, year, as_user, count_queries, persona):
    application = make_application(world, year, state=State.IN_CREATION)
    add_photo(world, application)
    client = as_user(getattr(world, persona))
    url = reverse("applications:detail", args=[application.pk])
    small = count_queries(client.get, url)
    for n in range(5):
        add_photo(world, application, caption=f"第{n}张")
    assert count_queries(client.get, url) == small
