"""The organiser's sign-up list (issue 14): names and numbers masked; one resident's number
revealed on purpose, one at a time, with the reason recorded in the log of personal data
seen unmasked; the list prints with a column to tick who came."""

import pytest
from django.urls import reverse

from corridors.models import PersonalDataAccess
from corridors.services import signups as services
from tests.corridors.test_activities import make_activity

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(world):
    activity = make_activity(world.g1, world.leo, title="中秋做月饼")
    signup, _code = services.signup_create(activity=activity, name="王秀英", phone="13812345678", consent=True)
    return signup


def reveal_url(entry):
    return reverse("gallery:activity_signup_reveal", args=[entry.activity_id, entry.pk])


def test_the_list_is_masked_with_a_way_to_show_one_number_and_to_print(world, as_user, entry):
    page = as_user(world.leo).get(reverse("gallery:activity_signups", args=[entry.activity_id])).content.decode()
    assert "王*" in page and "138****5678" in page
    assert "王秀英" not in page and "13812345678" not in page
    assert reveal_url(entry) in page and "显示号码" in page
    assert "data-print" in page and "到场（打勾）" in page
    assert not PersonalDataAccess.objects.exists()


def test_the_organiser_reveals_one_number_with_a_reason_and_it_is_recorded(world, as_user, entry):
    client = as_user(world.leo)
    form = client.get(reveal_url(entry)).content.decode()
    assert "138****5678" in form and "13812345678" not in form

    response = client.post(reveal_url(entry), {"purpose": "通知活动改期"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "王秀英" in page and 'href="tel:13812345678"' in page
    access = PersonalDataAccess.objects.get()
    assert (access.actor, access.kind, access.subject_id) == (world.leo, "reveal", entry.pk)
    assert access.purpose == "通知活动改期" and access.fields == ["name", "phone"]
    assert "13812345678" not in access.subject_label and "王秀英" not in access.subject_label
    # Nothing is kept: the list stays masked afterwards.
    listing = client.get(reverse("gallery:activity_signups", args=[entry.activity_id])).content.decode()
    assert "13812345678" not in listing


@pytest.mark.parametrize("purpose", ["", " ", "看看", "\x00", "x" * 301])
def test_without_a_real_reason_nothing_is_shown_or_recorded(world, as_user, entry, purpose):
    response = as_user(world.leo).post(reveal_url(entry), {"purpose": purpose})
    assert response.status_code == 400
    page = response.content.decode()
    assert "13812345678" not in page and "王秀英" not in page
    assert "data-error-summary" in page
    assert not PersonalDataAccess.objects.exists()


@pytest.mark.parametrize("who", ["lena", "rita", "bob"])
def test_no_one_outside_the_corridor_reveals(world, as_user, entry, who):
    response = as_user(getattr(world, who)).post(reveal_url(entry), {"purpose": "通知活动改期"})
    assert response.status_code in (403, 404)
    assert not PersonalDataAccess.objects.exists()


def test_a_cancelled_or_unknown_sign_up_is_not_found(world, as_user, entry):
    client = as_user(world.leo)
    missing = reverse("gallery:activity_signup_reveal", args=[entry.activity_id, entry.pk + 1000])
    assert client.get(missing).status_code == 404
    other = make_activity(world.g1, world.leo, title="另一个活动")
    wrong_activity = reverse("gallery:activity_signup_reveal", args=[other.pk, entry.pk])
    assert client.get(wrong_activity).status_code == 404


def test_the_reveal_page_asks_to_try_viewing_again_not_to_save(world, as_user, entry):
    page = as_user(world.leo).post(reveal_url(entry), {"purpose": ""}).content.decode()
    assert "请改正下面标出的问题再查看" in page and "再保存" not in page
