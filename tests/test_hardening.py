"""Hostile or careless use changes nothing: no personal page kept in a cache, no weak password,
no second copy of what a double tap sent."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from corridors.models import Activity, User
from tests.corridors.test_people import new_leader_data

pytestmark = pytest.mark.django_db


# --- Cache-Control -----------------------------------------------------------------------------


def test_signed_in_pages_and_exports_are_never_kept(world, as_user):
    client = as_user(world.alice)
    for url in [
        reverse("home"),
        reverse("people:list"),
        reverse("people:export"),
        reverse("places:groups_export"),
        reverse("public:home"),  # a public page, seen signed in
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        directives = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives and "public" not in directives, url


def test_anonymous_public_pages_keep_their_public_caching(world, client):
    response = client.get(reverse("public:corridor", args=[world.g1.pk]))
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "no-store" not in response["Cache-Control"]


# --- Passwords ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Corridor", "密码太短：至少需要10个字符。"),
        ("corridors-", "这个密码是任何人猜测时都会最先尝试的，请换一个。"),
        ("password123", "这个密码是任何人猜测时都会最先尝试的，请换一个。"),
    ],
)
def test_a_weak_staff_created_password_is_refused_in_chinese(world, as_user, password, message):
    client = as_user(world.alice)
    data = new_leader_data(world, password1=password, password2=password)
    response = client.post(reverse("people:create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(username="xiaowang").exists()


def test_the_password_rules_are_explained_in_chinese(world, as_user):
    page = as_user(world.alice).get(reverse("people:create")).content.decode()
    assert "至少10个字符。" in page and "不能是常见密码，也不能是本网站或街道的名称。" in page


# --- Submitted once ----------------------------------------------------------------------------


def test_an_activity_form_sent_twice_announces_one_activity(world, as_user):
    client = as_user(world.leo)
    url = reverse("gallery:activity_add", args=[world.g1.pk])
    form_page = client.get(url).content.decode()
    token = form_page.split('name="_once" value="', 1)[1].split('"', 1)[0]
    starts = (timezone.localtime() + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    data = {"kind": "other", "title": "百家宴", "starts_at": starts, "ends_at": starts, "place": "楼下", "_once": token}

    first = client.post(url, data)
    second = client.post(url, data)

    activity = Activity.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == activity.get_absolute_url()
    assert "已经提交并保存" in client.get(second["Location"]).content.decode()
    # A new form page has a new token: a second activity is a deliberate one.
    fresh = client.get(url).content.decode().split('name="_once" value="', 1)[1].split('"', 1)[0]
    assert fresh != token
    assert client.post(url, {**data, "_once": fresh}).status_code == 302
    assert Activity.objects.count() == 2


def test_a_refused_form_frees_its_token_for_the_corrected_one(world, as_user):
    client = as_user(world.leo)
    url = reverse("gallery:activity_add", args=[world.g1.pk])
    token = "a" * 32
    starts = (timezone.localtime() + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    data = {"kind": "other", "title": "百家宴", "starts_at": starts, "ends_at": starts, "place": "楼下", "_once": token}
    assert client.post(url, {**data, "starts_at": "0001-01-01T08:00"}).status_code == 200
    assert client.post(url, data).status_code == 302
    assert Activity.objects.count() == 1
