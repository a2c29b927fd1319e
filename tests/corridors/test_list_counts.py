"""The bounded counts of the building groups and applications lists come from the cache
(corridors.list_counts) until a row they read changes; never another reader's count."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from corridors import list_counts
from corridors.models import Role
from corridors.services.people import role_assign
from corridors.services.places import group_create
from tests import factories as f
from tests.corridors.test_application_workflow import make_application, make_year

pytestmark = pytest.mark.django_db


def _view(client, url, data=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, data or {})
    assert response.status_code == 200
    return response.context["page_obj"].paginator.count, len(queries.captured_queries)


def test_the_groups_count_is_kept_until_a_group_is_added_and_the_next_view_counts_it(world, as_user):
    client = as_user(world.alice)
    url = reverse("places:groups")
    count, first = _view(client, url)
    assert count == 2
    again, second = _view(client, url)
    # The COUNT(*), the unread count and the reader's scope (two queries) are not run again.
    assert again == 2 and second == first - 4
    group_create(building=world.g1.building, name="新加的单元", households=8)
    assert _view(client, url)[0] == 3
    # A filter is another count; a new leader changes the "has a leader" one.
    without = _view(client, url, {"has_leader": "no"})[0]
    new = world.g1.building.groups.get(name="新加的单元")
    role_assign(user=f.UserFactory(), role=Role.LEADER, street=world.street, building_group=new)
    assert _view(client, url, {"has_leader": "no"})[0] == without - 1


def test_readers_of_other_streets_never_share_a_count(world, as_user):
    url = reverse("places:groups")
    assert _view(as_user(world.alice), url)[0] == 2
    f.BuildingGroupFactory(building=world.g_other.building)
    assert _view(as_user(world.bob), url)[0] == 2  # its own two groups (g_other and the new one)
    assert _view(as_user(world.alice), url)[0] == 2


def test_a_new_application_is_counted_in_the_next_view_of_the_list(world, as_user):
    year = make_year(world.street)
    make_application(world, year, title="第一份申请")
    client = as_user(world.alice)
    url = reverse("applications:list")
    assert _view(client, url)[0] == 1
    assert _view(client, url)[0] == 1
    make_application(world, year, group=world.g2, leader=world.lena, title="第二份申请")
    assert _view(client, url)[0] == 2


def test_a_lost_generation_never_brings_back_an_older_count(world, as_user):
    """The generation's key evicted from the cache: it starts again from the clock, so the
    counts kept under earlier generations are never read again."""
    client = as_user(world.alice)
    url = reverse("places:groups")
    assert _view(client, url)[0] == 2
    cache.delete(list_counts.GENERATION)
    group_create(building=world.g1.building, name="又一个单元", households=8)
    cache.delete(list_counts.GENERATION)
    assert _view(client, url)[0] == 3
