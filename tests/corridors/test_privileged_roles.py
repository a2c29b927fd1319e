"""Four eyes starts with accounts: street staff cannot make a finance approver of their own.

Street staff and finance approvers are appointed by the system administrator (superuser).
Otherwise one staff member could create a "finance" account whose password they know and
approve their own payout.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from corridors.models import Role, RoleAssignment, User
from corridors.services.people import role_grant, role_revoke, user_set_active, user_set_password
from tests import factories as f
from tests.corridors.test_people import NEW_PASSWORD, new_leader_data


@pytest.mark.parametrize("role", [Role.FINANCE, Role.STREET_STAFF])
def test_staff_cannot_create_a_privileged_account(world, as_user, role):
    data = new_leader_data(world, role=role, building_group="")
    response = as_user(world.alice).post(reverse("people:create"), data)
    assert response.status_code == 200  # the form again, with the error
    assert "role" in response.context["form"].errors
    assert not User.objects.filter(username="xiaowang").exists()


@pytest.mark.parametrize("role", [Role.FINANCE, Role.STREET_STAFF])
def test_staff_cannot_grant_a_privileged_role_even_to_themselves(world, role):
    for target in (world.alice, world.leo):
        with pytest.raises(ValidationError):
            role_grant(by=world.alice, user=target, role=role, street=world.street)
    assert not RoleAssignment.objects.filter(user=world.leo, role=role).exists()
    assert not RoleAssignment.objects.filter(user=world.alice, role=Role.FINANCE).exists()


def test_staff_cannot_take_over_a_finance_account(world, as_user):
    client = as_user(world.alice)
    old_hash = User.objects.get(pk=world.fay.pk).password
    response = client.post(
        reverse("people:password", args=[world.fay.pk]),
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert User.objects.get(pk=world.fay.pk).password == old_hash
    with pytest.raises(ValidationError):
        user_set_password(user=world.fay, password=NEW_PASSWORD, by=world.alice)
    with pytest.raises(ValidationError):
        user_set_active(user=world.fay, active=False, by=world.alice)
    fay_role = RoleAssignment.objects.get(user=world.fay, role=Role.FINANCE)
    with pytest.raises(ValidationError):
        role_revoke(assignment=fay_role, by=world.alice)
    assert User.objects.get(pk=world.fay.pk).is_active


def test_staff_still_manage_ordinary_accounts(world):
    user_set_password(user=world.leo, password=NEW_PASSWORD, by=world.alice)
    user_set_active(user=world.leo, active=False, by=world.alice)
    assert not User.objects.get(pk=world.leo.pk).is_active


def test_the_system_administrator_appoints_finance_approvers(world):
    admin = f.UserFactory(username="root", is_superuser=True, is_staff=True)
    role_grant(by=admin, user=world.leo, role=Role.FINANCE, street=world.street)
    assert RoleAssignment.objects.filter(user=world.leo, role=Role.FINANCE).exists()


def test_the_role_choices_do_not_offer_privileged_roles_to_staff(world, as_user):
    form = as_user(world.alice).get(reverse("people:create")).context["form"]
    offered = {value for value, _label in form.fields["role"].choices}
    assert Role.LEADER in offered
    assert not offered & {Role.FINANCE, Role.STREET_STAFF}
