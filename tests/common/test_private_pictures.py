"""Pictures no public page shows (decoration sketches, progress photos, acceptance-check
photos) are written to private storage: they have no public address, and those who may see
their application or check get them from the app after the permission check."""

import pytest
from django.urls import reverse

from common.uploads import private_storage, process_image, public_storage
from corridors.services.applications import application_sketch_add
from funds.services.checks import check_photo_add
from tests.corridors.test_application_progress import add_photo
from tests.corridors.test_application_sketches import jpeg
from tests.corridors.test_application_workflow import make_application, make_year
from tests.funds.test_acceptance import ready_for_inspection, schedule

pytestmark = pytest.mark.django_db


def fetched(client, url) -> int:
    response = client.get(url)
    if response.status_code == 200 and response.streaming:
        b"".join(response.streaming_content)
    return response.status_code


def assert_private(picture, client) -> None:
    for stored in picture.stored_files():
        assert private_storage().exists(stored.name) and not public_storage().exists(stored.name)
        assert fetched(client, stored.url) == 404  # the public address fetches nothing


def test_a_sketch_is_private_and_reaches_only_those_who_see_the_application(world, as_user, client):
    application = make_application(world, make_year(world.street))
    sketch = application_sketch_add(
        application=application, actor=world.leo, image=process_image(jpeg()), alt_text="楼道墙面草图"
    )
    assert_private(sketch, client)
    url = reverse("applications:picture", args=[application.pk, "sketch", sketch.pk, "medium"])
    leader = as_user(world.leo)
    assert url in leader.get(reverse("applications:detail", args=[application.pk])).content.decode()
    response = leader.get(url)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content)[8:12] == b"WEBP"
    assert as_user(world.lena).get(url).status_code == 404  # another group's leader
    assert leader.get(url.replace("/medium/", "/huge/")).status_code == 404


def test_a_progress_photo_is_private_and_reaches_staff_through_the_app(world, as_user, client):
    from corridors.workflows.application import State

    application = make_application(world, make_year(world.street))
    application.state = State.IN_CREATION
    application.save(update_fields=["state"])
    photo = add_photo(world, application)
    assert_private(photo, client)
    url = reverse("applications:picture", args=[application.pk, "progress", photo.pk, "medium"])
    assert as_user(world.alice).get(url).status_code == 200
    assert as_user(world.lena).get(url).status_code == 404


def test_a_check_photo_is_private_and_reaches_only_those_who_see_the_check(world, as_user, client):
    check = schedule(world, ready_for_inspection(world))
    photo = check_photo_add(check=check, actor=world.alice, image=process_image(jpeg()), alt_text="楼道全景")
    assert_private(photo, client)
    url = reverse("funds:check_photo_file", args=[check.pk, photo.pk, "medium"])
    staff = as_user(world.alice)
    assert url in staff.get(reverse("funds:check", args=[check.pk])).content.decode()
    assert staff.get(url).status_code == 200
    assert as_user(world.lena).get(url).status_code == 404
