"""The inbox has its own room and URL namespace (``inbox``); its old address still leads there."""

import pytest
from django.urls import resolve, reverse

from corridors.models import Notification


@pytest.mark.parametrize(("name", "args"), [("inbox:list", []), ("inbox:open", [7]), ("inbox:read_all", [])])
def test_the_inbox_pages_live_under_their_own_namespace(name, args):
    assert reverse(name, args=args).startswith("/inbox/")
    assert resolve(reverse(name, args=args)).namespace == "inbox"


def test_a_bookmark_of_the_old_inbox_address_still_arrives(world, as_user):
    response = as_user(world.carl).get("/applications/inbox/", follow=True)
    assert response.redirect_chain[0] == (reverse("inbox:list"), 301)
    assert response.status_code == 200


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


def test_a_message_with_no_sender_shows_no_stray_separator(world, as_user):
    """A system message (no sender) shows its time alone; a person's message names them first."""
    Notification.objects.create(recipient=world.carl, verb="submit", url="/home/")
    Notification.objects.create(recipient=world.carl, verb="submit", url="/home/", actor=world.leo)
    page = as_user(world.carl).get(reverse("inbox:list")).content.decode()
    lines = [part.split("</span>\n", 1)[0] for part in page.split('<span class="text-body-secondary">')[1:]]
    assert len(lines) == 2
    with_sender, without = lines  # newest first
    assert "data-sender" in with_sender and "·" in with_sender
    assert "data-sender" not in without and "·" not in without and "<time" in without
