"""The street office edits its request categories: add, rename, deactivate and reactivate."""

import pytest
from django.urls import reverse

from common.refusals import Refused
from consultations.forms.requests import RequestForm
from consultations.models import Category
from consultations.services.categories import category_add, category_rename, category_set_active
from corridors.models import Compound
from tests.consultations.conftest import file_request

pytestmark = pytest.mark.django_db


def test_add_rename_and_deactivate_through_the_services(cw):
    w = cw.w
    added = category_add(actor=w.alice, street=w.street, name=" 消防通道 ")
    assert added.name == "消防通道" and added.is_active
    assert added.position > cw.elevator.position
    with pytest.raises(Refused):
        category_add(actor=w.alice, street=w.street, name="消防通道")
    with pytest.raises(Refused):
        category_add(actor=w.alice, street=w.street, name="  ")
    renamed = category_rename(actor=w.alice, category=added, name="消防安全")
    assert Category.objects.get(pk=added.pk).name == renamed.name == "消防安全"
    with pytest.raises(Refused):
        category_rename(actor=w.alice, category=added, name="电梯")  # taken
    category_set_active(actor=w.alice, category=added, active=False)
    assert not Category.objects.get(pk=added.pk).is_active


@pytest.mark.parametrize("who", ["bob", "otto", "rita", "carl"])
def test_only_the_streets_staff_edit_its_categories(cw, who):
    actor = getattr(cw.w, who)
    with pytest.raises(Refused):
        category_rename(actor=actor, category=cw.elevator, name="升降机")
    with pytest.raises(Refused):
        category_add(actor=actor, street=cw.w.street, name="新类别")
    assert Category.objects.get(pk=cw.elevator.pk).name == "电梯"


def test_a_renamed_category_keeps_its_requests_and_an_inactive_one_is_not_offered(cw):
    r = file_request(cw)
    category_rename(actor=cw.w.alice, category=cw.elevator, name="电梯加装与维修")
    r.refresh_from_db()
    assert r.category.name == "电梯加装与维修"
    category_set_active(actor=cw.w.alice, category=cw.elevator, active=False)
    form = RequestForm(street_id=cw.w.street.pk, compounds=Compound.objects.all())
    assert cw.elevator not in form.fields["category"].queryset
    with pytest.raises(Refused):
        file_request(cw)
    category_set_active(actor=cw.w.alice, category=cw.elevator, active=True)
    assert file_request(cw).category == cw.elevator


@pytest.mark.parametrize(("who", "status"), [("alice", 200), ("otto", 403), ("rita", 403), ("carl", 403)])
def test_the_page_is_for_street_staff(cw, as_user, who, status):
    assert as_user(getattr(cw.w, who)).get(reverse("consultations:categories")).status_code == status


def test_the_overview_links_to_the_categories_page(cw, as_user):
    page = as_user(cw.w.alice).get(reverse("consultations:overview")).content.decode()
    assert reverse("consultations:categories") in page


def test_add_rename_deactivate_reactivate_through_the_page(cw, as_user):
    client = as_user(cw.w.alice)
    url = reverse("consultations:categories")
    response = client.post(url, {"street": cw.w.street.pk, "name": "消防通道"})
    assert response.status_code == 302
    added = Category.objects.get(street=cw.w.street, name="消防通道")
    # A duplicate is refused on the page with the reason.
    response = client.post(url, {"street": cw.w.street.pk, "name": "消防通道"})
    assert response.status_code == 400
    client.post(reverse("consultations:category_rename", args=[added.pk]), {"name": "消防安全"})
    assert Category.objects.get(pk=added.pk).name == "消防安全"
    client.post(reverse("consultations:category_active", args=[added.pk]), {})
    assert not Category.objects.get(pk=added.pk).is_active
    page = client.get(url).content.decode()
    assert f'data-reactivate="{added.pk}"' in page
    client.post(reverse("consultations:category_active", args=[added.pk]), {"active": "on"})
    assert Category.objects.get(pk=added.pk).is_active


def test_another_streets_category_is_not_found(cw, as_user):
    response = as_user(cw.w.bob).post(reverse("consultations:category_rename", args=[cw.elevator.pk]), {"name": "x"})
    assert response.status_code == 404
    assert Category.objects.get(pk=cw.elevator.pk).name == "电梯"


def test_the_categories_page_does_not_query_per_row(cw, as_user, count_queries):
    client = as_user(cw.w.alice)
    url = reverse("consultations:categories")
    small = count_queries(client.get, url)
    for i in range(8):
        category = category_add(actor=cw.w.alice, street=cw.w.street, name=f"类别{i}")
        file_request(cw, category=category, title=f"诉求{i}")
    assert count_queries(client.get, url) == small
