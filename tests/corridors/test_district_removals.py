"""The superuser's setup pages remove too: an appointment, a district or city user, and a street
created by mistake, each after a confirmation page; a street that has data is refused with the
reason, and nobody else may remove anything."""

import pytest
from django.urls import reverse

from corridors.models import District, Neighbourhood, Oversight, Role, RoleAssignment, Street, User
from corridors.services.districts import oversight_grant, street_appoint
from tests import factories as f
from tests.corridors.test_audit_trail import events

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(db):
    return User.objects.create_superuser("root", "root@example.com", f.PASSWORD)


@pytest.fixture
def place(root):
    district, _ = District.objects.get_or_create(name="杨浦区")
    street = Street.objects.create(name="测试用四平路街道", district=district)
    staff = f.UserFactory(username="zhangmin", full_name="张敏")
    appointment, _ = street_appoint(by=root, street=street, user=staff, role=Role.STREET_STAFF)
    dora = f.UserFactory(username="dora", full_name="区里的人")
    oversight, _ = oversight_grant(by=root, user=dora, district=district)
    return district, street, appointment, oversight


def test_an_appointment_is_removed_after_a_confirmation_and_the_account_stays(root, place, client):
    _district, street, appointment, _oversight = place
    client.force_login(root)
    setup = client.get(reverse("districts:setup")).content.decode()
    url = reverse("districts:appointment_remove", args=[appointment.pk])
    assert url in setup
    confirm = client.get(url)
    assert confirm.status_code == 200 and "张敏" in confirm.content.decode()
    assert RoleAssignment.objects.filter(pk=appointment.pk).exists()  # a GET changes nothing
    response = client.post(url, follow=True)
    assert "已移除" in response.content.decode()
    assert not RoleAssignment.objects.filter(user__username="zhangmin", street=street).exists()
    assert User.objects.filter(username="zhangmin", is_active=True).exists()


def test_a_district_user_is_removed_after_a_confirmation(root, place, client):
    _district, _street, _appointment, oversight = place
    client.force_login(root)
    url = reverse("districts:oversight_remove", args=[oversight.pk])
    assert url in client.get(reverse("districts:setup")).content.decode()
    assert client.get(url).status_code == 200 and Oversight.objects.filter(pk=oversight.pk).exists()
    assert client.post(url).status_code == 302
    assert not Oversight.objects.filter(user__username="dora").exists()
    assert User.objects.filter(username="dora").exists()
    # The removal is in the audit trail, with who removed it.
    removed = [e for e in events("role.removed") if e.pgh_obj_model == "corridors.Oversight"]
    assert removed and removed[-1].pgh_context["user"] == root.pk


def test_a_street_with_data_is_not_removed_and_the_page_says_why(root, place, client):
    _district, street, appointment, _oversight = place
    client.force_login(root)
    url = reverse("districts:street_remove", args=[street.pk])
    Neighbourhood.objects.create(street=street, name="鞍山四村第一居民区", committee_name="居委会")
    response = client.post(url)
    page = response.content.decode()
    assert response.status_code == 400 and "无法移除" in page and "居民区" in page
    assert Street.objects.filter(pk=street.pk).exists()
    assert RoleAssignment.objects.filter(pk=appointment.pk).exists()


def test_an_empty_street_created_by_mistake_is_removed(root, client):
    street = Street.objects.create(name="写错的街道", district=District.objects.create(name="杨浦区"))
    client.force_login(root)
    url = reverse("districts:street_remove", args=[street.pk])
    assert url in client.get(reverse("districts:setup")).content.decode()
    assert client.post(url).status_code == 302
    assert not Street.objects.filter(pk=street.pk).exists()


def test_nobody_but_the_superuser_removes_anything(world, place, client):
    _district, street, appointment, oversight = place
    before = (RoleAssignment.objects.count(), Oversight.objects.count(), Street.objects.count())
    for user in (world.alice, oversight.user, world.fay):
        client.force_login(user)
        for name, pk in (
            ("districts:appointment_remove", appointment.pk),
            ("districts:oversight_remove", oversight.pk),
            ("districts:street_remove", street.pk),
            ("districts:street_remove", 999_999),
        ):
            assert client.get(reverse(name, args=[pk])).status_code == 403
            response = client.post(reverse(name, args=[pk]))
            # Refused with the reason (a district user by the read-only rule, before the page's own).
            assert response.status_code == 403 and "只" in response.content.decode()
    assert (RoleAssignment.objects.count(), Oversight.objects.count(), Street.objects.count()) == before


def test_a_missing_id_is_not_found_for_the_superuser(root, client):
    client.force_login(root)
    for name in ("districts:appointment_remove", "districts:oversight_remove", "districts:street_remove"):
        assert client.post(reverse(name, args=[999_999])).status_code == 404
