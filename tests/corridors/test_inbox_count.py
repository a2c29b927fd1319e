"""The header's unread count is kept in the cache per reader (corridors.inbox_count), yet a
new message, a message read or deleted shows on the very next page; never another reader's."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from corridors.models import Notification
from corridors.services.notifications import notification_mark_read, notify

pytestmark = pytest.mark.django_db


def _unread(client):
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("home")).content.decode()
    counted = [q for q in queries.captured_queries if '"corridors_notification"' in q["sql"] and "COUNT" in q["sql"]]
    return int(re.search(r'data-unread="(\d+)"', page).group(1)), len(counted)


def test_the_count_is_read_from_the_cache_until_a_message_arrives_or_is_read(world, as_user):
    client = as_user(world.carl)
    assert _unread(client) == (0, 1)
    assert _unread(client) == (0, 0)  # kept: no COUNT on the next page
    notify(recipients=[world.carl], actor=world.alice, verb="submit", url="/home/")
    assert _unread(client) == (1, 1)  # the new message shows at once
    assert _unread(client) == (1, 0)
    message = Notification.objects.create(recipient=world.carl, verb="submit", url="/home/")
    assert _unread(client)[0] == 2
    notification_mark_read(recipient=world.carl, notification_id=message.pk)
    assert _unread(client)[0] == 1
    client.post(reverse("inbox:read_all"))
    assert _unread(client)[0] == 0


def test_a_deleted_unread_message_leaves_the_count(world, as_user):
    client = as_user(world.carl)
    message = Notification.objects.create(recipient=world.carl, verb="submit", url="/home/")
    assert _unread(client)[0] == 1
    message.delete()
    assert _unread(client)[0] == 0


def test_readers_never_see_each_others_count(world, as_user):
    Notification.objects.create(recipient=world.carl, verb="submit", url="/home/")
    assert _unread(as_user(world.carl))[0] == 1
    assert _unread(as_user(world.cindy))[0] == 0
    notify(recipients=[world.cindy], actor=world.alice, verb="submit", url="/home/")
    assert _unread(as_user(world.cindy))[0] == 1
    assert _unread(as_user(world.carl)) == (1, 0)  # carl's count stays kept: only cindy's was retired
