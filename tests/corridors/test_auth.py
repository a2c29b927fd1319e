"""Sign in, sign out, password change, the lock-out after repeated wrong passwords, no
self-service reset, and an over-long username refused by the form (not a server error)."""

import pytest
from django.urls import NoReverseMatch, reverse

from tests import factories as f

NEW_PASSWORD = "Lantern-walk-88"


def login(client, username, password, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def signed_in(client):
    return "_auth_user_id" in client.session


def template_names(response):
    return [t.name for t in response.templates]


def test_login_page_renders(db, client):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert "registration/login.html" in template_names(response)


def test_right_password_signs_in_and_goes_home(world, client):
    response = login(client, "leo", f.PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert signed_in(client)


def test_wrong_password_shows_the_form_again(world, client):
    response = login(client, "leo", "not-the-password")

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not signed_in(client)


def test_deactivated_user_cannot_sign_in(world, client):
    world.leo.is_active = False
    world.leo.save()

    response = login(client, "leo", f.PASSWORD)

    assert response.status_code == 200
    assert not signed_in(client)


def test_five_failures_lock_the_sixth_attempt_even_with_the_right_password(world, client):
    for _ in range(4):
        assert login(client, "leo", "wrong-password").status_code == 200
    # The fifth failure reaches the limit: axes answers it with the locked-out page already.
    assert login(client, "leo", "wrong-password").status_code == 429

    response = login(client, "leo", f.PASSWORD)

    assert response.status_code == 429
    assert "registration/locked_out.html" in template_names(response)
    assert not signed_in(client)


def test_lock_out_is_per_username_and_address(world, client):
    for _ in range(5):
        login(client, "leo", "wrong-password")

    # Another account from the same address, and the same account from another address, still work.
    assert login(client, "lena", f.PASSWORD).status_code == 302
    client.logout()
    assert login(client, "leo", f.PASSWORD, REMOTE_ADDR="10.0.0.9").status_code == 302


def test_four_failures_then_success_do_not_lock(world, client):
    for _ in range(4):
        login(client, "leo", "wrong-password")

    assert login(client, "leo", f.PASSWORD).status_code == 302


def test_logout_is_post_only(world, as_user):
    client = as_user(world.leo)

    assert client.get(reverse("logout")).status_code == 405
    assert signed_in(client)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert not signed_in(client)


def test_leader_changes_their_password(world, as_user, client):
    leader = as_user(world.leo)
    assert leader.get(reverse("password_change")).status_code == 200

    response = leader.post(
        reverse("password_change"),
        {"old_password": f.PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert response.url == reverse("password_change_done")
    assert leader.get(reverse("password_change_done")).status_code == 200
    leader.post(reverse("logout"))
    assert login(client, "leo", f.PASSWORD).status_code == 200
    assert login(client, "leo", NEW_PASSWORD).status_code == 302


def test_password_change_needs_the_old_password(world, as_user):
    response = as_user(world.leo).post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    world.leo.refresh_from_db()
    assert world.leo.check_password(f.PASSWORD)


@pytest.mark.django_db
def test_there_is_no_self_service_password_reset(client):
    with pytest.raises(NoReverseMatch):
        reverse("password_reset")
    assert client.get("/accounts/password_reset/").status_code == 404


@pytest.mark.django_db
def test_an_over_long_username_is_refused_by_the_form_not_a_server_error(client):
    response = client.post(reverse("login"), {"username": "x" * 300, "password": "whatever-1234"})
    assert response.status_code == 200
    assert response.context["form"].errors


@pytest.mark.django_db
def test_an_over_long_username_on_the_admin_sign_in_is_refused_too(client):
    # The admin signs in through the site's own page (which asks the superuser's second factor).
    response = client.post("/admin/login/", {"username": "x" * 300, "password": "whatever-1234"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    response = client.post(response["Location"], {"username": "x" * 300, "password": "whatever-1234"})
    assert response.status_code == 200
