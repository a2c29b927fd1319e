"""Privileged changes are kept by the database (pghistory triggers) with the person who made
them through a page, and the superuser browses them in Chinese."""

import pytest
from django.urls import reverse
from pghistory.models import MiddlewareEvents

from corridors.models import BuildingGroup, Role, RoleAssignment, User
from corridors.services.people import role_assign, user_set_active
from corridors.views.audit import EVENT_MODELS
from tests import factories as f

pytestmark = pytest.mark.django_db


def events(label):
    # One test is one transaction, so rows share their time: the id says which came last.
    found = MiddlewareEvents.objects.across(*EVENT_MODELS).filter(pgh_label=label)
    return sorted(found, key=lambda e: (e.pgh_created_at, e.pgh_id))


@pytest.fixture
def root(world):
    return f.UserFactory(username="root", is_superuser=True, is_staff=True)


def test_a_role_granted_through_the_page_is_recorded_with_the_person_who_granted_it(world, as_user):
    newcomer = f.UserFactory(username="newcomer", full_name="新楼组长")
    response = as_user(world.alice).post(
        reverse("people:role_add", args=[newcomer.pk]), {"role": Role.LEADER, "building_group": world.g1.pk}
    )
    assert response.status_code == 302

    grant = events("role.granted")[-1]
    assert grant.pgh_data["user_id"] == newcomer.pk and grant.pgh_data["role"] == Role.LEADER
    assert grant.pgh_context["user"] == world.alice.pk
    assert grant.pgh_context["url"] == reverse("people:role_add", args=[newcomer.pk])


def test_a_role_granted_in_the_shell_is_recorded_without_a_person(world):
    newcomer = f.UserFactory(username="newcomer")
    role_assign(user=newcomer, role=Role.FINANCE, street=world.street)

    grant = events("role.granted")[-1]
    assert grant.pgh_data["user_id"] == newcomer.pk and grant.pgh_data["role"] == Role.FINANCE
    assert grant.pgh_context is None


def test_removals_deactivations_passwords_and_household_counts_are_recorded(world, as_user):
    assignment = RoleAssignment.objects.get(user=world.leo)
    client = as_user(world.alice)
    client.post(reverse("people:deactivate", args=[world.leo.pk]))
    client.post(reverse("people:role_remove", args=[world.leo.pk, assignment.pk]))
    new_password = {"new_password1": "Fresh-pass-2026", "new_password2": "Fresh-pass-2026"}
    assert client.post(reverse("people:password", args=[world.rita.pk]), new_password).status_code == 302
    # The household count feeds the consent threshold: a change made in the shell is kept too.
    BuildingGroup.objects.filter(pk=world.g1.pk).update(households=99)
    world.g1.refresh_from_db()
    world.g1.households = 12
    world.g1.save()

    assert events("role.removed")[-1].pgh_context["user"] == world.alice.pk
    assert events("account.deactivated")[-1].pgh_obj_id == str(world.leo.pk)
    password = [e for e in events("account.password") if e.pgh_obj_id == str(world.rita.pk)][-1]
    assert password.pgh_context["user"] == world.alice.pk and "password" not in password.pgh_data
    changed = events("place.changed")
    assert [e.pgh_data["households"] for e in changed[-2:]] == [99, 12]


def test_the_superuser_browses_and_filters_the_trail(world, as_user, root):
    # In the shell first: a test is one transaction, and a page's context lasts to its end.
    user_set_active(user=world.lena, active=False, by=world.alice)
    newcomer = f.UserFactory(username="newcomer")
    as_user(world.alice).post(
        reverse("people:role_add", args=[newcomer.pk]), {"role": Role.LEADER, "building_group": world.g1.pk}
    )

    client = as_user(root)
    page = client.get(reverse("audit:list")).content.decode()
    assert "审计记录" in page and 'data-event="role.granted"' in page and 'data-event="account.deactivated"' in page
    assert "角色已授予" in page.split("data-audit-trail", 1)[1]

    only_alice = client.get(reverse("audit:list"), {"actor": "alice"}).content.decode()
    assert 'data-event="role.granted"' in only_alice and "newcomer" in only_alice
    assert 'data-event="account.deactivated"' not in only_alice  # done in the shell
    shell_rows = client.get(reverse("audit:list"), {"kind": "role.granted", "account": "leo"}).content.decode()
    assert "非网页操作（命令行或脚本）" in shell_rows  # the world's roles were granted in the shell


def test_only_the_superuser_sees_the_trail(world, as_user):
    assert as_user(world.alice).get(reverse("audit:list")).status_code == 403


def test_the_trail_page_has_a_fixed_number_of_queries(world, as_user, root, count_queries):
    client = as_user(root)
    for n in range(3):
        role_assign(
            user=f.UserFactory(username=f"a{n}"), role=Role.LEADER, street=world.street, building_group=world.g1
        )
    few = count_queries(client.get, reverse("audit:list"))
    for n in range(20):
        role_assign(
            user=f.UserFactory(username=f"b{n}"), role=Role.LEADER, street=world.street, building_group=world.g2
        )
    assert count_queries(client.get, reverse("audit:list")) == few
    assert User.objects.count() > 20


def test_a_district_user_appointed_on_the_setup_page_is_in_the_trail(world, as_user, root):
    dora = f.UserFactory(username="dora", full_name="区里的人")
    response = as_user(root).post(
        reverse("districts:setup"),
        {"action": "oversight", "oversight-district": world.street.district_id, "oversight-username": "dora"},
    )
    assert response.status_code == 302
    grants = [e for e in events("role.granted") if e.pgh_obj_model == "corridors.Oversight"]
    assert len(grants) == 1
    grant = grants[0]
    assert grant.pgh_data["user_id"] == dora.pk and grant.pgh_data["district_id"] == world.street.district_id
    assert grant.pgh_context["user"] == root.pk
    page = as_user(root).get(reverse("audit:list"), {"account": "dora"}).content.decode()
    assert "区级或市级角色" in page and "dora" in page
