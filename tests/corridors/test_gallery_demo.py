"""The demo world's galleries: every active corridor of the story street has something a
resident would enjoy opening on a phone, and a second load changes nothing."""

import io

import pytest
from django.core.management import call_command

from corridors.models import BuildingGroup, GalleryWork, GroupPhoto, Street
from corridors.selectors import public_activities, public_works

pytestmark = pytest.mark.django_db


def test_every_active_demo_corridor_shows_works_activities_and_the_story_ones_photos(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", "--force", stdout=io.StringIO())

    street = Street.objects.get(name="四平路街道")
    groups = BuildingGroup.objects.filter(building__compound__neighbourhood__street=street, is_active=True)
    assert groups.count() >= 10
    for group in groups:
        response = client.get(group.get_public_url())
        works = list(response.context["page_obj"])
        assert works, str(group)
        assert works[0]["title"] in response.content.decode()
        assert public_activities().filter(group=group).exists(), str(group)
    d = groups.get(building__compound__name="和平花园", building__name="D座")
    for story in [d, *groups.filter(building__compound__name="抚顺路363弄", building__name="7号", name="1单元")]:
        assert GroupPhoto.objects.filter(building_group=story).count() >= 2, str(story)
        html = client.get(story.get_public_url()).content.decode()
        assert all(photo.alt_text in html for photo in GroupPhoto.objects.filter(building_group=story))

    counts = (GalleryWork.objects.count(), public_works().count(), GroupPhoto.objects.count())
    call_command("load_demo", "--force", stdout=io.StringIO())
    assert (GalleryWork.objects.count(), public_works().count(), GroupPhoto.objects.count()) == counts
