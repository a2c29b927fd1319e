"""The staff menu is drawn once per kind of reader (``{% staff_menu %}``): each reader still
sees exactly their own links, in their language, and a role given shows on the next page."""

from django.urls import reverse

from common.templatetags.staff_menu import _drawn, asked_permissions
from corridors.models import Role
from corridors.services.people import role_assign

INBOX = reverse("inbox:list")


def _menu(client, user):
    client.force_login(user)
    html = client.get(INBOX).content.decode()
    return html[html.index('id="main-nav"') : html.index('role="search"')]


def test_each_reader_sees_their_own_links_whoever_came_first(world, client):
    _drawn.cache_clear()
    staff = _menu(client, world.alice)
    committee = _menu(client, world.carl)
    finance = _menu(client, world.fay)
    assert reverse("places:groups") in staff and "楼组" in staff
    assert reverse("places:groups") not in committee and reverse("funds:payouts") not in committee
    assert reverse("funds:payouts") in finance and reverse("places:groups") not in finance
    # The second page of the same kind of reader is the kept menu, the same words.
    assert _menu(client, world.alice) == staff
    assert _drawn.cache_info().hits >= 1


def test_the_menu_follows_the_language(world, client):
    _drawn.cache_clear()
    chinese = _menu(client, world.alice)
    client.cookies["django_language"] = "en"
    english = _menu(client, world.alice)
    assert "楼组" in chinese and "Building groups" not in chinese
    assert "Building groups" in english


def test_a_role_given_shows_on_the_next_page(world, client):
    _drawn.cache_clear()
    before = _menu(client, world.nobody)
    assert reverse("places:groups") not in before
    role_assign(user=world.nobody, role=Role.STREET_STAFF, street=world.street)
    world.nobody.refresh_from_db()
    assert reverse("places:groups") in _menu(client, world.nobody)


def test_the_key_holds_every_permission_the_menu_asks():
    asked = asked_permissions()
    assert "dashboards.view" in asked and "funds.view_payouts" in asked and "corridors.manage_programme" in asked
