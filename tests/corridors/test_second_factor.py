"""Street staff, finance approvers and the superuser sign in with a password and a TOTP code
(enrolled at the first sign-in, with recovery codes); everyone else with a password alone."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from corridors.demo.accounts import demo_otp_key
from corridors.services.second_factor import authenticator_start, recovery_codes_renew
from tests import factories as f
from tests.conftest import browser_login

LOGIN = "/accounts/login/"


def sign_in(client, user, password=f.PASSWORD):
    return client.post(LOGIN, {"username": user.username, "password": password})


def enrolled(user):
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    return device


def signed_in_as(client):
    return client.get(reverse("home")).wsgi_request.user


@pytest.mark.django_db
def test_a_leader_signs_in_with_a_password_alone(world, client):
    response = sign_in(client, world.leo)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert signed_in_as(client) == world.leo


@pytest.mark.django_db
def test_street_staff_are_not_signed_in_by_the_password_alone(world, client):
    enrolled(world.alice)
    response = sign_in(client, world.alice)
    assert response["Location"] == reverse("second_factor")
    assert not signed_in_as(client).is_authenticated
    # Nothing behind the sign-in is reachable in between.
    assert client.get(reverse("people:list")).status_code == 302

    page = client.get(reverse("second_factor")).content.decode()
    assert "登录第二步" in page and "验证码" in page
    wrong = client.post(reverse("second_factor"), {"token": "000000"})
    assert "验证码不正确或已使用过" in wrong.content.decode()
    assert not signed_in_as(client).is_authenticated

    # After a wrong code the device waits a moment before it checks another (throttling); a
    # moment later:
    TOTPDevice.objects.filter(user=world.alice).update(throttling_failure_timestamp=None)
    right = client.post(reverse("second_factor"), {"token": f.totp_code(world.alice)})
    assert right.status_code == 302 and right["Location"] == reverse("home")
    user = signed_in_as(client)
    assert user == world.alice and user.is_verified()
    # The same code cannot be used twice.
    client.logout()
    sign_in(client, world.alice)
    replay = client.post(reverse("second_factor"), {"token": right.wsgi_request.POST["token"]})
    assert "验证码不正确或已使用过" in replay.content.decode()


@pytest.mark.django_db
def test_the_first_sign_in_enrols_with_a_qr_code_and_gives_recovery_codes(world, client):
    response = sign_in(client, world.fay)
    assert response["Location"] == reverse("second_factor_enrol")
    page = client.get(response["Location"]).content.decode()
    assert 'src="data:image/svg+xml' in page and "data-otp-secret" in page
    device = TOTPDevice.objects.get(user=world.fay, confirmed=False)

    done = client.post(reverse("second_factor_enrol"), {"token": f.totp_code(world.fay, device)})

    assert done.status_code == 200
    codes = StaticDevice.objects.get(user=world.fay).token_set.values_list("token", flat=True)
    assert len(codes) == 10 and all(code in done.content.decode() for code in codes)
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert signed_in_as(client) == world.fay


@pytest.mark.django_db
def test_a_recovery_code_signs_in_once(world, client):
    enrolled(world.alice)
    code = recovery_codes_renew(user=world.alice)[0]
    sign_in(client, world.alice)
    response = client.post(reverse("second_factor"), {"token": code})
    assert response.status_code == 302 and signed_in_as(client) == world.alice
    client.logout()
    sign_in(client, world.alice)
    again = client.post(reverse("second_factor"), {"token": code})
    assert again.status_code == 200 and not signed_in_as(client).is_authenticated


@pytest.mark.django_db
def test_the_superuser_needs_the_second_factor_for_the_admin_too(world, client):
    admin = f.UserFactory(username="root", is_superuser=True, is_staff=True)
    response = client.get("/admin/")
    assert response.status_code == 302
    login_page = client.get(response["Location"], follow=True)
    assert login_page.request["PATH_INFO"] == LOGIN
    assert sign_in(client, admin)["Location"] == reverse("second_factor_enrol")


@pytest.mark.django_db
def test_the_superuser_resets_a_lost_second_factor_and_it_is_recorded(world, as_user):
    from pghistory.models import MiddlewareEvents

    enrolled(world.alice)
    recovery_codes_renew(user=world.alice)
    admin = f.UserFactory(username="root", is_superuser=True, is_staff=True)
    client = as_user(admin)
    response = client.post(reverse("people:second_factor_reset", args=[world.alice.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.alice).exists()
    assert not StaticDevice.objects.filter(user=world.alice).exists()
    event = MiddlewareEvents.objects.across("corridors.AccountEvent").get(pgh_label="account.second_factor_reset")
    assert event.pgh_obj_id == str(world.alice.pk) and event.pgh_context["user"] == admin.pk
    # Street staff may not.
    staff = as_user(world.alice)
    assert staff.post(reverse("people:second_factor_reset", args=[world.fay.pk])).status_code in (403, 404)


@pytest.mark.django_db
def test_otp_code_prints_the_demo_code_only_for_the_demo(world, settings, capsys):
    staff = f.UserFactory(username="staff")
    TOTPDevice.objects.create(user=staff, name="demo", key=demo_otp_key("staff"), confirmed=True)
    settings.DEBUG, settings.QUICK_START = False, False
    with pytest.raises(CommandError, match="not the quick start"):
        call_command("otp_code", "staff")
    settings.QUICK_START = True
    call_command("otp_code", "staff")
    assert capsys.readouterr().out.strip() == f.totp_code(staff)
    # Any other account, even with a device, is refused.
    authenticator_start(user=world.alice)
    TOTPDevice.objects.filter(user=world.alice).update(confirmed=True, name="demo")
    with pytest.raises(CommandError, match="not a demo account"):
        call_command("otp_code", "alice")


@pytest.mark.django_db(transaction=True)
def test_a_finance_approver_signs_in_with_a_code_in_the_browser(page, live_server):
    from corridors.models import Role
    from corridors.services.people import role_assign

    street = f.StreetFactory(name="四平路街道")
    fay = f.UserFactory(username="fay", full_name="李强")
    role_assign(user=fay, role=Role.FINANCE, street=street)
    device = enrolled(fay)

    page.goto(f"{live_server.url}{LOGIN}")
    page.get_by_label("用户名").fill("fay")
    page.get_by_label("密码").fill(f.PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    assert "/second-factor/" in page.url and page.get_by_role("heading", name="登录第二步").is_visible()
    page.get_by_label("验证码").fill(f.totp_code(fay, device))  # computed as the phone would
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}{reverse('home')}"
    assert page.get_by_text("李强").first.is_visible()


@pytest.mark.django_db(transaction=True)
def test_first_sign_in_of_street_staff_enrols_in_the_browser(page, live_server):
    from corridors.models import Role
    from corridors.services.people import role_assign

    street = f.StreetFactory(name="四平路街道")
    alice = f.UserFactory(username="alice", full_name="王芳")
    role_assign(user=alice, role=Role.STREET_STAFF, street=street)
    browser_login(page, live_server, "alice")
    assert page.url == f"{live_server.url}{reverse('home')}"
    assert TOTPDevice.objects.get(user=alice).confirmed
