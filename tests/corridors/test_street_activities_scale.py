"""The street's activities page and calendar feed at district scale: the street's corridors
read once into Django's cache (and retired with the place tree), the feed written as plain
iCalendar text, the same for any number of activities."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Event

from corridors.calendar_feed import event_text
from corridors.services.places import group_activate, group_create, group_deactivate
from tests.corridors.test_activities import make_activity

pytestmark = pytest.mark.django_db


@pytest.fixture
def visitor(client):
    """An anonymous visitor whose every page is rendered (never served stored)."""
    client.cookies["messages"] = "render"
    return client


def pages(world) -> list[str]:
    return [
        reverse("public:street_activities", args=[world.street.pk]),
        reverse("public:street_calendar", args=[world.street.pk]),
    ]


@pytest.mark.parametrize(
    "summary, location, description",
    [
        ("亲子运动会", "中心花园 · 和平花园 7号楼 1单元", "每家带一道拿手菜。"),
        ("Food day, 2nd; bring a dish", "Yard; gate 3, left", "Line one\nLine two\r\nback\\slash; comma, end"),
        ("长" * 60, "地" * 40, "说明" * 120),
        ("a" * 200, "b" * 74, ""),
        ("ends with a backslash " + "x" * 50 + "\\", "é" * 80, "\\N and \\n"),
    ],
)
def test_the_plain_event_text_is_what_icalendar_writes(summary, location, description):
    moments = [timezone.now().replace(microsecond=0) + datetime.timedelta(hours=h) for h in (0, 1, 3)]
    url = "https://example.org/activities/7/"
    event = Event()
    event.add("uid", "activity-7@example.org")
    event.add("dtstamp", moments[0])
    event.add("dtstart", moments[1])
    event.add("dtend", moments[2])
    event.add("summary", summary)
    event.add("location", location)
    if description:
        event.add("description", description)
    event.add("url", url)
    written = event_text(
        uid="activity-7@example.org",
        stamp=moments[0],
        starts=moments[1],
        ends=moments[2],
        summary=summary,
        location=location,
        description=description,
        url=url,
    )
    assert written == event.to_ical().decode()


def test_a_corridor_made_inactive_leaves_the_street_pages_at_once(world, visitor):
    make_activity(world.g1, world.leo, title="一号楼组的活动")
    make_activity(world.g2, world.lena, title="二号楼组的活动")
    for url in pages(world):
        page = visitor.get(url).content.decode()
        assert "一号楼组的活动" in page and "二号楼组的活动" in page
    group_deactivate(group=world.g2)
    for url in pages(world):
        page = visitor.get(url).content.decode()
        assert "一号楼组的活动" in page and "二号楼组的活动" not in page, url
    group_activate(group=world.g2)
    for url in pages(world):
        assert "二号楼组的活动" in visitor.get(url).content.decode(), url


def test_a_new_corridor_s_activities_show_on_the_street_pages(world, visitor):
    for url in pages(world):
        visitor.get(url)  # the street's corridors are kept now
    group = group_create(building=world.g1.building, name="9单元", households=12)
    make_activity(group, world.leo, title="新楼组的第一次活动")
    for url in pages(world):
        assert "新楼组的第一次活动" in visitor.get(url).content.decode(), url


def test_the_street_pages_make_the_same_queries_for_more_activities(world, visitor):
    def counts():
        found = []
        for url in pages(world):
            visitor.get(url)  # the street's corridors read into the cache
            with CaptureQueriesContext(connection) as queries:
                assert visitor.get(url).status_code == 200
            found.append(len(queries))
        return found

    make_activity(world.g1, world.leo, title="一", days=5)
    make_activity(world.g2, world.lena, title="二", days=-5)
    few = counts()
    for day in range(1, 13):
        make_activity(world.g1 if day % 2 else world.g2, world.leo if day % 2 else world.lena, days=day * 3 - 20)
    assert counts() == few
    # the street; the coming and the past activities (activities page) or the events and
    # their corridors' names (calendar); the street's corridors come from the cache
    assert few == [3, 3]
