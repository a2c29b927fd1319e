"""Activities: announced by leaders, committee or staff; upcoming and past lists per corridor,
compound and street; attendance and photos afterwards; iCalendar feeds a calendar app reads."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from corridors.models import Activity
from corridors.services.gallery import activity_create, activity_record_attendance
from tests.corridors.test_gallery import upload

pytestmark = pytest.mark.django_db


def make_activity(group, by, *, title="每月美食日", days=3, hours=2, **kwargs) -> Activity:
    starts = (timezone.now() + datetime.timedelta(days=days)).replace(microsecond=0)
    return activity_create(
        group=group,
        kind=kwargs.pop("kind", Activity.Kind.FOOD_DAY),
        title=title,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=hours),
        place=kwargs.pop("place", "7号楼下院子"),
        description=kwargs.pop("description", "每家带一道拿手菜。"),
        by=by,
    )


def activity_form(**overrides) -> dict:
    data = {
        "kind": "mooncake_making",
        "title": "老人月饼制作",
        "starts_at": "2030-09-20T14:00",
        "ends_at": "2030-09-20T16:30",
        "place": "居委会活动室",
        "description": "苏式月饼。",
    }
    data.update(overrides)
    return data


def test_leader_announces_an_activity_shown_on_corridor_compound_and_street_lists(world, client):
    client.force_login(world.leo)
    response = client.post(reverse("gallery:activity_add", args=[world.g1.pk]), activity_form())
    activity = Activity.objects.get()
    assert response.status_code == 302 and response.url == activity.get_absolute_url()
    # Entered in Shanghai time.
    assert timezone.localtime(activity.starts_at).hour == 14
    client.logout()
    compound = world.g1.building.compound
    for url in [
        world.g1.get_public_url(),
        reverse("public:corridor_activities", args=[world.g1.pk]),
        reverse("public:compound", args=[compound.pk]),
        reverse("public:compound_activities", args=[compound.pk]),
        reverse("public:street_activities", args=[world.street.pk]),
    ]:
        assert "老人月饼制作" in client.get(url).content.decode(), url
    # Another street's list does not show it.
    assert (
        "老人月饼制作"
        not in client.get(reverse("public:street_activities", args=[world.other_street.pk])).content.decode()
    )


def test_upcoming_and_past_are_split_by_the_end_time(world, client):
    make_activity(world.g1, world.leo, title="下周的美食日", days=7)
    make_activity(world.g1, world.leo, title="上个月的美食日", days=-30)
    response = client.get(reverse("public:corridor_activities", args=[world.g1.pk]))
    assert [a.title for a in response.context["upcoming"]] == ["下周的美食日"]
    assert [a.title for a in response.context["past"]] == ["上个月的美食日"]


def test_an_activity_cannot_end_before_it_starts(world, client):
    client.force_login(world.leo)
    response = client.post(
        reverse("gallery:activity_add", args=[world.g1.pk]), activity_form(ends_at="2030-09-20T13:00")
    )
    assert "ends_at" in response.context["form"].errors
    with pytest.raises(ValidationError):
        make_activity(world.g1, world.leo, hours=-1)


def test_attendance_and_photos_afterwards(world, client, run_jobs_here):
    activity = make_activity(world.g1, world.leo, days=-2)
    client.force_login(world.leo)
    client.post(reverse("gallery:activity_attendance", args=[activity.pk]), {"attendance": "31"})
    with run_jobs_here():  # the worker makes the photo's sizes
        client.post(
            reverse("gallery:activity_photo_add", args=[activity.pk]), {"image": upload(), "alt_text": "院子里摆满了菜"}
        )
    activity.refresh_from_db()
    assert activity.attendance == 31 and activity.photos.count() == 1
    client.logout()
    html = client.get(activity.get_public_url()).content.decode()
    assert "院子里摆满了菜" in html and "31" in html
    assert 'loading="lazy"' in html and "srcset=" in html


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("leo", 200), ("carl", 200), ("alice", 200), ("lena", 404), ("cindy", 404), ("bob", 404), ("rita", 404)],
)
def test_who_may_edit_an_activity(world, client, persona, expected):
    activity = make_activity(world.g1, world.leo)
    client.force_login(getattr(world, persona))
    assert client.get(reverse("gallery:activity_edit", args=[activity.pk])).status_code == expected


def test_cancelling_removes_it_everywhere(world, client):
    activity = make_activity(world.g1, world.leo, title="取消的活动")
    client.force_login(world.carl)
    client.post(reverse("gallery:activity_delete", args=[activity.pk]))
    client.logout()
    assert not Activity.objects.exists()
    assert "取消的活动" not in client.get(world.g1.get_public_url()).content.decode()


# --- iCalendar ---------------------------------------------------------------------


def test_corridor_calendar_is_valid_icalendar(world, client):
    coming = make_activity(world.g1, world.leo, title="亲子运动会", days=10, place="中心花园")
    make_activity(world.g2, world.lena, title="另一个楼组的活动")
    response = client.get(reverse("public:corridor_calendar", args=[world.g1.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["亲子运动会"]
    event = events[0]
    assert event.decoded("DTSTART") == coming.starts_at
    assert event.decoded("DTEND") == coming.ends_at
    assert "中心花园" in str(event["LOCATION"])
    assert str(event["URL"]).endswith(coming.get_public_url())
    assert str(event["UID"]) == f"activity-{coming.pk}@testserver"


def test_street_calendar_has_every_corridor_of_the_street_only(world, client):
    make_activity(world.g1, world.leo, title="一号楼组的活动")
    make_activity(world.g2, world.lena, title="二号楼组的活动")
    make_activity(world.g_other, world.bob, title="别的街道的活动")
    calendar = Calendar.from_ical(client.get(reverse("public:street_calendar", args=[world.street.pk])).content)
    assert sorted(str(e["SUMMARY"]) for e in calendar.walk("VEVENT")) == ["一号楼组的活动", "二号楼组的活动"]


def test_attendance_cannot_be_recorded_before_the_activity_starts(world, client):
    activity = make_activity(world.g1, world.leo, days=3)
    with pytest.raises(ValidationError) as refused:
        activity_record_attendance(activity=activity, attendance=12)
    assert "attendance" in refused.value.message_dict
    client.force_login(world.leo)
    page = client.get(activity.get_absolute_url()).content.decode()
    assert reverse("gallery:activity_attendance", args=[activity.pk]) not in page
    response = client.post(
        reverse("gallery:activity_attendance", args=[activity.pk]), {"attendance": "12"}, follow=True
    )
    activity.refresh_from_db()
    assert activity.attendance is None
    with translation.override("zh-hans"):
        reason = translation.gettext("The activity has not started yet; record who came once it has begun.")
    assert [str(m) for m in response.context["messages"]] == [reason]
    # Once it has begun, the count is taken.
    Activity.objects.filter(pk=activity.pk).update(starts_at=timezone.now() - datetime.timedelta(minutes=5))
    assert activity_record_attendance(activity=activity, attendance=12).attendance == 12


def test_the_calendar_feed_holds_the_past_90_days_and_the_future_only(world, client):
    make_activity(world.g1, world.leo, title="去年的活动", days=-200)
    make_activity(world.g1, world.leo, title="四个月前的活动", days=-100)
    make_activity(world.g1, world.leo, title="上个月的活动", days=-30)
    make_activity(world.g1, world.leo, title="明年的活动", days=300)
    for name, args in [("public:corridor_calendar", [world.g1.pk]), ("public:street_calendar", [world.street.pk])]:
        calendar = Calendar.from_ical(client.get(reverse(name, args=args)).content)
        assert sorted(str(e["SUMMARY"]) for e in calendar.walk("VEVENT")) == ["上个月的活动", "明年的活动"]


def test_a_full_calendar_feed_leaves_out_the_oldest_not_the_coming_ones(world, client, monkeypatch):
    from corridors.views import public

    monkeypatch.setattr(public, "CALENDAR_MAX_EVENTS", 3)
    for title, days in [("上个月的活动", -30), ("上周的活动", -7), ("明天的活动", 1), ("下个月的活动", 30)]:
        make_activity(world.g1, world.leo, title=title, days=days)
    calendar = Calendar.from_ical(client.get(reverse("public:corridor_calendar", args=[world.g1.pk])).content)
    # In date order, the oldest one dropped.
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == ["上周的活动", "明天的活动", "下个月的活动"]
