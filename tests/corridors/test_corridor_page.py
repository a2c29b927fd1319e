"""The corridor page a resident opens from the poster: the story and the leader's progress
photos first, coming activities with 报名, a contact card, share previews, accounts last."""

import pytest
from django.utils import translation

from corridors.models import Application
from tests.corridors.test_activities import make_activity
from tests.corridors.test_application_progress import add_photo
from tests.corridors.test_public import approve

pytestmark = pytest.mark.django_db


def test_a_corridor_in_creation_shows_its_progress_photos_story_and_what_to_do(world, client, settings):
    settings.SITE_URL = "https://louzu.example.cn"
    world.leo.full_name = "周卫东"
    world.leo.save()
    neighbourhood = world.g1.building.compound.neighbourhood
    neighbourhood.phone = "021-65430000"
    neighbourhood.save()
    application = approve(world.g1, world.leo, state=Application.State.IN_CREATION)
    Application.objects.filter(pk=application.pk).update(plan="周卫东带大家粉刷墙面，摆上绿植。")
    add_photo(world, application, caption="墙面粉刷前")
    add_photo(world, application, caption="绿植摆好了")
    make_activity(world.g1, world.leo, title="中秋做月饼")
    with translation.override("zh-hans"):
        html = client.get(world.g1.get_public_url(), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "还没有照片" not in html
    assert "墙面粉刷前" in html and "绿植摆好了" in html and "改造前" in html
    # The story is public text: the leader's name does not reach it.
    assert "带大家粉刷墙面" in html and "周卫东" not in html
    # What to do, in this order: photos, activities with 报名, contact; the accounts come last.
    order = [
        html.index(marker) for marker in ('id="photos-h"', 'id="activities-h"', 'id="contact-h"', 'id="gallery-h"')
    ]
    assert order == sorted(order)
    assert "/signup/" in html and 'href="tel:021-65430000"' in html and "联系楼组长" in html
    # Share previews for WeChat: title, description and an absolute picture address.
    assert '<meta property="og:title" content="' in html
    assert '<meta property="og:description" content="' in html
    assert '<meta property="og:image" content="https://louzu.example.cn/' in html or (
        '<meta property="og:image" content="http' in html
    )
    # The organiser and the contact in the footer.
    footer = html.split("<footer")[1]
    assert neighbourhood.committee_name in footer and "021-65430000" in footer
