"""What every signed-in page pays before its own content (issue 16): the session and the
reader's scope come from the shared cache, the second factor's device is read only when a
page asks; and each is as current as before: a role taken away, an oversight given, a new
street, signing out, a reset second factor show on the very next page."""

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from corridors.models import Role, RoleAssignment
from corridors.selectors import scope_of
from corridors.services.districts import oversight_grant, oversight_revoke
from corridors.services.people import role_assign, role_revoke, user_set_active
from tests import factories as f

DEPARTMENTS = reverse("places:departments")


def test_a_staff_page_reads_only_the_user_and_its_own_rows(world, as_user, django_assert_num_queries):
    client = as_user(world.alice)
    assert client.get(DEPARTMENTS).status_code == 200
    # The user, then the page's departments and their officers: no session, no second-factor
    # device, no roles, no overseen streets.
    with django_assert_num_queries(3):
        assert client.get(DEPARTMENTS).status_code == 200


def test_a_role_taken_away_is_gone_on_the_next_page(world, as_user):
    client = as_user(world.alice)
    assert client.get(DEPARTMENTS).status_code == 200
    role_revoke(assignment=RoleAssignment.objects.get(user=world.alice, role=Role.STREET_STAFF))
    assert client.get(DEPARTMENTS).status_code == 403


def test_a_role_given_shows_on_the_next_page(world, as_user):
    client = as_user(world.nobody)
    assert client.get(DEPARTMENTS).status_code == 403
    role_assign(user=world.nobody, role=Role.STREET_STAFF, street=world.street)
    assert client.get(DEPARTMENTS).status_code == 200


def test_an_oversight_given_and_taken_shows_at_once(world):
    admin = f.UserFactory(username="root", is_superuser=True)
    reader = f.UserFactory(username="district_reader")
    assert scope_of(reader).viewer_streets == frozenset()
    oversight, _created = oversight_grant(by=admin, user=reader, district=world.street.district)
    fresh = type(reader).objects.get(pk=reader.pk)
    assert world.street.pk in scope_of(fresh).viewer_streets
    oversight_revoke(by=admin, oversight=oversight)
    assert scope_of(type(reader).objects.get(pk=reader.pk)).viewer_streets == frozenset()


def test_a_new_street_is_the_superusers_at_once(world):
    admin = f.UserFactory(username="root", is_superuser=True)
    before = scope_of(admin).staff_streets
    street = f.StreetFactory(name="新街道", district=world.street.district)
    after = scope_of(type(admin).objects.get(pk=admin.pk)).staff_streets
    assert street.pk not in before and street.pk in after


def test_a_scope_read_inside_a_transaction_that_rolls_back_is_not_kept(world):
    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        role_assign(user=world.nobody, role=Role.STREET_STAFF, street=world.street)
        assert world.street.pk in scope_of(type(world.nobody).objects.get(pk=world.nobody.pk)).staff_streets
        raise Undo
    assert scope_of(type(world.nobody).objects.get(pk=world.nobody.pk)).staff_streets == frozenset()


def test_a_deactivated_account_is_signed_out_on_the_next_page(world, as_user):
    client = as_user(world.alice)
    assert client.get(DEPARTMENTS).status_code == 200
    admin = f.UserFactory(username="root", is_superuser=True)
    user_set_active(user=world.alice, active=False, by=admin)
    assert client.get(DEPARTMENTS).status_code == 302


def test_the_session_outlives_the_cache_and_signing_out_ends_it(world, as_user):
    client = as_user(world.alice)
    assert client.get(DEPARTMENTS).status_code == 200
    cache.clear()  # a restarted Redis: the session is still in PostgreSQL
    assert client.get(DEPARTMENTS).status_code == 200
    key = client.cookies["sessionid"].value
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()
    client.cookies["sessionid"] = key  # the old cookie, replayed
    assert client.get(DEPARTMENTS).status_code == 302


def _with_device(client, user):
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def test_no_page_reads_the_second_factor_unless_it_asks(world, as_user, django_assert_num_queries):
    client = as_user(world.alice)
    _with_device(client, world.alice)
    client.get(DEPARTMENTS)
    with django_assert_num_queries(3):
        client.get(DEPARTMENTS)
    page = client.get(reverse("password_change")).content.decode()
    assert "您登录时使用第二重验证" in page  # "You sign in with a second factor."


def test_a_reset_second_factor_is_no_longer_verified(world, as_user):
    client = as_user(world.alice)
    device = _with_device(client, world.alice)
    assert client.get(reverse("password_change")).wsgi_request.user.is_verified()
    device.delete()
    response = client.get(reverse("password_change"))
    assert not response.wsgi_request.user.is_verified()
    assert "您登录时使用第二重验证" not in response.content.decode()
    assert DEVICE_ID_SESSION_KEY not in client.session
