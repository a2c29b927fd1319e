"""Residents sign up for a corridor activity (报名) from the public page: name and mobile with
consent, places and a waiting list, cancel with a code shown once; the organiser sees the
list masked and prints it; a resident writes to the leader without seeing their number."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import IntegrityError
from django.urls import reverse
from django.utils import translation

from common.refusals import Refused
from corridors.models import Activity, ActivitySignup, Notification
from corridors.personal_data import PersonQuery, anonymise_expired, person_records
from corridors.services import signups as services
from tests.corridors.test_activities import make_activity
from tests.races import race

pytestmark = pytest.mark.django_db
Status = ActivitySignup.Status


def sign_up(client, activity, **overrides):
    data = {"name": "王秀英", "phone": "13812345678", "consent": "on", **overrides}
    return client.post(reverse("public:signup", args=[activity.pk]), data)


def code_of(response) -> str:
    return re.search(r'class="display-6 cancel-code" translate="no">([A-Z0-9-]+)<', response.content.decode())[1]


@pytest.fixture
def activity(world):
    item = make_activity(world.g1, world.leo, title="中秋做月饼")
    item.capacity = 1
    item.save()
    return item


def test_a_resident_signs_up_and_the_organiser_sees_the_entry_masked(world, client, activity):
    response = sign_up(client, activity)
    assert response.status_code == 200
    page = response.content.decode()
    assert "您已报上名" in page or "You have a place" in page
    assert "138****5678" in page and "13812345678" not in page
    signup = ActivitySignup.objects.get()
    stored = (signup.status, signup.name, signup.phone, signup.consent)
    assert stored == (Status.CONFIRMED, "王秀英", "13812345678", True)
    # The code is not stored, only its HMAC.
    assert code_of(response).replace("-", "") not in signup.cancel_digest
    # The public pages show counts only.
    for url in [activity.get_public_url(), world.g1.get_public_url()]:
        public = client.get(url).content.decode()
        assert "王秀英" not in public and "王*" not in public and "5678" not in public
    client.force_login(world.leo)
    listing = client.get(reverse("gallery:activity_signups", args=[activity.pk])).content.decode()
    assert "王*" in listing and "138****5678" in listing
    assert "王秀英" not in listing and "13812345678" not in listing


def test_someone_from_another_corridor_does_not_see_the_list(world, client, activity):
    sign_up(client, activity)
    client.force_login(world.lena)
    assert client.get(reverse("gallery:activity_signups", args=[activity.pk])).status_code == 404


def test_full_means_waiting_list_and_a_cancel_promotes_the_first_waiting(world, client, activity):
    first = code_of(sign_up(client, activity, name="王秀英", phone="13812345678"))
    second = sign_up(client, activity, name="李建国", phone="13987654321")
    assert "waiting list" in second.content.decode() or "候补" in second.content.decode()
    sign_up(client, activity, name="赵丽", phone="15000001111")
    assert list(ActivitySignup.objects.order_by("pk").values_list("status", flat=True)) == [
        Status.CONFIRMED,
        Status.WAITING,
        Status.WAITING,
    ]
    response = client.post(
        reverse("public:signup_cancel", args=[activity.pk]), {"phone": "138 1234 5678", "code": first.lower()}
    )
    assert response.status_code == 200
    statuses = dict(ActivitySignup.objects.values_list("name", "status"))
    assert statuses == {"王秀英": Status.CANCELLED, "李建国": Status.CONFIRMED, "赵丽": Status.WAITING}
    assert ActivitySignup.objects.get(name="李建国").promoted_at is not None
    # The code works once.
    again = client.post(reverse("public:signup_cancel", args=[activity.pk]), {"phone": "13812345678", "code": first})
    assert again.status_code == 400


def test_a_wrong_code_cancels_nothing(client, activity):
    code = code_of(sign_up(client, activity))
    wrong = "A" * 8 if code.replace("-", "") != "A" * 8 else "B" * 8
    with translation.override("zh-hans"):
        response = client.post(
            reverse("public:signup_cancel", args=[activity.pk]), {"phone": "13812345678", "code": wrong}
        )
    assert response.status_code == 400
    assert "取消码" in response.content.decode()
    assert ActivitySignup.objects.get().status == Status.CONFIRMED


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "请填写您的姓名"),
        ({"name": "王" * 21}, "姓名请不超过20个字"),
        ({"phone": "1381234567"}, "请填写以1开头的11位手机号码"),
        ({"phone": "23812345678"}, "请填写以1开头的11位手机号码"),
        ({"phone": "1381234567x"}, "请填写以1开头的11位手机号码"),
        ({"consent": ""}, "请同意"),
    ],
)
def test_bad_input_is_explained_in_chinese_and_nothing_is_stored(client, activity, overrides, message):
    with translation.override("zh-hans"):
        response = client.post(
            reverse("public:signup", args=[activity.pk]),
            {"name": "王秀英", "phone": "13812345678", "consent": "on", **overrides},
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ActivitySignup.objects.exists()


def test_one_live_sign_up_per_number(client, activity):
    sign_up(client, activity)
    with translation.override("en"), pytest.raises(Refused) as refused:
        services.signup_create(activity=activity, name="王秀英", phone="13812345678", consent=True)
    assert "already signed up" in refused.value.reason
    # The database holds the rule too, whatever a service does.
    with pytest.raises(IntegrityError):
        ActivitySignup.objects.create(
            activity=activity, name="王", phone="13812345678", consent=True, status=Status.WAITING, cancel_digest="x"
        )


def test_a_started_activity_takes_no_sign_ups(world, client):
    past = make_activity(world.g1, world.leo, days=-1)
    with translation.override("en"), pytest.raises(Refused):
        services.signup_create(activity=past, name="王秀英", phone="13812345678", consent=True)
    assert "Sign up" not in client.get(past.get_public_url()).content.decode()


def test_the_sign_up_form_works_while_the_linking_pages_set_no_cookie(client, activity):
    # The cacheable pages carry no token and set no cookie...
    for url in [activity.get_public_url(), activity.group.get_public_url()]:
        response = client.get(url)
        assert not response.cookies, url
        assert "csrfmiddlewaretoken" not in response.content.decode()
    # ...the sign-up page is never cached and gets its own CSRF cookie.
    page = client.get(reverse("public:signup", args=[activity.pk]))
    assert "no-store" in page["Cache-Control"] or "no-cache" in page["Cache-Control"]
    assert "csrftoken" in page.cookies


@pytest.mark.django_db(transaction=True)
def test_two_residents_taking_the_last_place_at_once_get_one_place_and_one_wait(world, monkeypatch):
    pk = make_activity(world.g1, world.leo).pk
    Activity.objects.filter(pk=pk).update(capacity=1)

    def taker(phone):
        return lambda: services.signup_create(activity=Activity(pk=pk), name="居民", phone=phone, consent=True)

    outcomes = race(monkeypatch, [taker("13800000001"), taker("13800000002")], inside=(services, "confirmed_count"))
    assert outcomes == ["done", "done"]
    assert sorted(ActivitySignup.objects.values_list("status", flat=True)) == [Status.CONFIRMED, Status.WAITING]


# --- Writing to the leader ------------------------------------------------------------


@pytest.fixture
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_a_resident_writes_to_the_leader_without_seeing_their_number(world, client, fresh_cache):
    world.leo.phone, world.leo.full_name = "13911112222", "周卫东"
    world.leo.save()
    page = client.get(world.g1.get_public_url()).content.decode()
    assert reverse("public:contact_leader", args=[world.g1.pk]) in page
    assert "13911112222" not in page and "周卫东" not in page
    response = client.post(
        reverse("public:contact_leader", args=[world.g1.pk]),
        {"name": "王阿姨", "reply_to": "3楼", "message": "楼道灯坏了"},
    )
    assert response.status_code == 200
    assert "13911112222" not in response.content.decode() and "周卫东" not in response.content.decode()
    note = Notification.objects.get()
    assert note.recipient == world.leo and "楼道灯坏了" in note.message and "3楼" in note.message


def test_contacting_the_leader_is_rate_limited(world, client, fresh_cache):
    url = reverse("public:contact_leader", args=[world.g1.pk])
    for n in range(3):
        assert client.post(url, {"message": f"第{n}条"}).status_code == 200
    with translation.override("zh-hans"):
        refused = client.post(url, {"message": "第4条"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert refused.status_code == 400
    assert Notification.objects.count() == 3


def test_an_empty_message_is_refused(world, client, fresh_cache):
    response = client.post(reverse("public:contact_leader", args=[world.g1.pk]), {"message": "  "})
    assert response.status_code == 400
    assert not Notification.objects.exists()


def test_names_and_numbers_are_deleted_a_month_after_the_activity(world, client, activity):
    sign_up(client, activity)
    ends = activity.ends_at
    assert anonymise_expired(now=ends + datetime.timedelta(days=29))["activity_signups"] == 0
    assert ActivitySignup.objects.exists()
    assert anonymise_expired(now=ends + datetime.timedelta(days=31))["activity_signups"] == 1
    assert not ActivitySignup.objects.exists()


def test_one_persons_data_lists_their_sign_ups(world, client, activity):
    sign_up(client, activity)
    records = person_records(PersonQuery(phone="13812345678"))
    assert [r.reference for r in records if "13812345678" in r.details] == [f"#{ActivitySignup.objects.get().pk}"]


def test_the_leader_sets_the_places_when_announcing(world, client):
    from tests.corridors.test_activities import activity_form

    client.force_login(world.leo)
    client.post(reverse("gallery:activity_add", args=[world.g1.pk]), activity_form(capacity="12"))
    assert Activity.objects.get().capacity == 12
    with translation.override("zh-hans"):
        response = client.post(
            reverse("gallery:activity_add", args=[world.g1.pk]), activity_form(title="零名额", capacity="0")
        )
    assert response.status_code == 200 and not Activity.objects.filter(title="零名额").exists()


def test_a_sign_up_with_a_problem_asks_to_submit_again_not_to_save(world, client, activity):
    """The sign-up saves nothing the resident keeps editing: its summary asks to submit again."""
    page = sign_up(client, activity, consent="").content.decode()
    assert "data-error-summary" in page
    assert "请改正下面标出的问题再提交" in page and "再保存" not in page
