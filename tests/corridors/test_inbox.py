"""The inbox has its own URL namespace (``inbox``); its old ``applications:`` names still lead there."""

import pytest
from django.urls import resolve, reverse

from corridors.models import Notification


@pytest.mark.parametrize(
    ("new", "old", "args"),
    [("inbox:list", "applications:inbox", []), ("inbox:open", "applications:inbox_open", [7]),
     ("inbox:read_all", "applications:inbox_read_all", [])],
)  # fmt: skip
def test_the_old_names_reach_the_same_pages(new, old, args):
    assert reverse(old, args=args) == reverse(new, args=args)
    assert resolve(reverse(new, args=args)).namespace == "inbox"


def test_every_staff_page_links_the_inbox_with_its_unread_count(world, as_user):
    Notification.objects.create(recipient=world.carl, verb="submit", url="/home/")
    page = as_user(world.carl).get(reverse("home")).content.decode()
    assert f'href="{reverse("inbox:list")}"' in page
    assert 'data-unread="1"' in page


def test_reading_everything_clears_the_count(world, as_user):
    Notification.objects.create(recipient=world.carl, verb="submit", url="/home/")
    Notification.objects.create(recipient=world.cindy, verb="submit", url="/home/")
    client = as_user(world.carl)
    assert client.post(reverse("inbox:read_all")).url == reverse("inbox:list")
    assert not Notification.objects.filter(recipient=world.carl, read_at__isnull=True).exists()
    # Someone else's messages stay unread.
    assert Notification.objects.filter(recipient=world.cindy, read_at__isnull=True).exists()
