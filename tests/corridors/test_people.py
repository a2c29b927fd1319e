"""Street staff manage accounts and roles of their own street, and nobody else's."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from corridors.models import Role, RoleAssignment, User
from corridors.services.people import role_grant, role_revoke
from tests import factories as f

NEW_PASSWORD = "Lantern-walk-88"


def login(client, username, password):
    """Sign in through the real login page (axes needs the request, so no ``client.login``)."""
    return client.post(reverse("login"), {"username": username, "password": password})


def signed_in(client):
    return "_auth_user_id" in client.session


def new_leader_data(w, **changes):
    data = {
        "username": "xiaowang",
        "full_name": "王小明",
        "phone": "13900001111",
        "email": "",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "role": Role.LEADER,
        "street": w.street.pk,
        "building_group": w.g1.pk,
    }
    data.update(changes)
    return data


def people_urls(w, target):
    """Every people URL about ``target``, with the method it is used with."""
    assignment = RoleAssignment.objects.filter(user=target).first()
    return [
        ("get", reverse("people:list")),
        ("get", reverse("people:export")),
        ("get", reverse("people:create")),
        ("post", reverse("people:create")),
        ("get", reverse("people:detail", args=[target.pk])),
        ("post", reverse("people:detail", args=[target.pk])),
        ("get", reverse("people:password", args=[target.pk])),
        ("post", reverse("people:password", args=[target.pk])),
        ("post", reverse("people:deactivate", args=[target.pk])),
        ("post", reverse("people:reactivate", args=[target.pk])),
        ("post", reverse("people:role_add", args=[target.pk])),
        ("post", reverse("people:role_remove", args=[target.pk, assignment.pk])),
    ]


# --- Creating accounts ---------------------------------------------------------------


def test_alice_creates_a_leader_who_signs_in_and_sees_the_group(world, as_user, client):
    response = as_user(world.alice).post(reverse("people:create"), new_leader_data(world))

    user = User.objects.get(username="xiaowang")
    assert response.status_code == 302
    assert response.url == reverse("people:detail", args=[user.pk])
    assert user.full_name == "王小明"
    assert list(user.roles.values_list("role", "building_group", "street")) == [
        (Role.LEADER, world.g1.pk, world.street.pk)
    ]
    assert list(user.groups.values_list("name", flat=True)) == [Role.LEADER]

    client.logout()
    assert login(client, "xiaowang", NEW_PASSWORD).status_code == 302
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert str(world.g1) in home.content.decode()
    assert str(world.g2) not in home.content.decode()


def test_leader_without_building_group_is_a_form_error(world, as_user):
    response = as_user(world.alice).post(reverse("people:create"), new_leader_data(world, building_group=""))

    assert response.status_code == 200
    assert "building_group" in response.context["form"].errors
    assert not User.objects.filter(username="xiaowang").exists()


def test_scope_that_does_not_fit_the_role_is_a_form_error(world, as_user):
    data = new_leader_data(world, neighbourhood=world.n1.pk)
    response = as_user(world.alice).post(reverse("people:create"), data)

    assert "neighbourhood" in response.context["form"].errors
    assert not User.objects.filter(username="xiaowang").exists()


@pytest.mark.parametrize(
    "scope",
    [
        lambda w: {"role": Role.LEADER, "building_group": w.g_other.pk},
        lambda w: {"role": Role.COMMITTEE, "neighbourhood": w.n_other.pk},
        lambda w: {"role": Role.STREET_STAFF, "street": w.other_street.pk},
    ],
    ids=["group", "neighbourhood", "street"],
)
def test_alice_cannot_give_a_role_in_bobs_street(world, as_user, scope):
    data = new_leader_data(world, **{"building_group": "", **scope(world)})
    roles_before = RoleAssignment.objects.count()

    response = as_user(world.alice).post(reverse("people:create"), data)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not User.objects.filter(username="xiaowang").exists()
    assert RoleAssignment.objects.count() == roles_before


def test_alice_cannot_add_a_role_in_bobs_street_to_an_existing_account(world, as_user):
    url = reverse("people:role_add", args=[world.leo.pk])
    response = as_user(world.alice).post(url, {"role": Role.LEADER, "building_group": world.g_other.pk})

    assert response.status_code == 200
    assert "building_group" in response.context["role_form"].errors
    assert not world.leo.roles.filter(building_group=world.g_other).exists()


def test_service_refuses_a_scope_outside_the_staff_members_street(world):
    with pytest.raises(ValidationError):
        role_grant(
            by=world.alice, user=world.leo, role=Role.LEADER, street=world.other_street, building_group=world.g_other
        )
    with pytest.raises(ValidationError):
        role_grant(by=world.alice, user=world.leo, role=Role.LEADER, street=world.street, building_group=world.g_other)
    assert not world.leo.roles.filter(building_group=world.g_other).exists()


def test_weak_or_mismatched_initial_password_is_refused(world, as_user):
    client = as_user(world.alice)
    weak = client.post(reverse("people:create"), new_leader_data(world, password1="12345678", password2="12345678"))
    mismatch = client.post(reverse("people:create"), new_leader_data(world, password2="Something-else-1"))

    assert "password1" in weak.context["form"].errors
    assert "password2" in mismatch.context["form"].errors
    assert not User.objects.filter(username="xiaowang").exists()


def test_taken_username_is_a_form_error(world, as_user):
    response = as_user(world.alice).post(reverse("people:create"), new_leader_data(world, username="LEO"))

    assert "username" in response.context["form"].errors


# --- Editing and roles ---------------------------------------------------------------


def test_alice_edits_details_and_the_form_shows_the_full_phone(world, as_user):
    client = as_user(world.alice)
    url = reverse("people:detail", args=[world.leo.pk])

    assert "13812341234" in client.get(url).content.decode()
    response = client.post(url, {"full_name": "李新", "phone": "13700002222", "email": "leo@example.com"})

    assert response.status_code == 302
    world.leo.refresh_from_db()
    assert (world.leo.full_name, world.leo.phone, world.leo.email) == ("李新", "13700002222", "leo@example.com")


def test_alice_adds_and_removes_a_role(world, as_user):
    client = as_user(world.alice)
    response = client.post(
        reverse("people:role_add", args=[world.leo.pk]), {"role": Role.LEADER, "building_group": world.g2.pk}
    )
    assert response.status_code == 302
    assignment = world.leo.roles.get(building_group=world.g2)

    response = client.post(reverse("people:role_remove", args=[world.leo.pk, assignment.pk]))

    assert response.status_code == 302
    assert not world.leo.roles.filter(building_group=world.g2).exists()
    assert world.leo.roles.filter(building_group=world.g1).exists()


def test_alice_cannot_remove_her_own_staff_role(world, as_user):
    assignment = world.alice.roles.get(role=Role.STREET_STAFF)

    as_user(world.alice).post(reverse("people:role_remove", args=[world.alice.pk, assignment.pk]))

    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()
    with pytest.raises(ValidationError):
        role_revoke(assignment=assignment, by=world.alice)


def test_remove_is_post_only(world, as_user):
    assignment = world.leo.roles.get()
    response = as_user(world.alice).get(reverse("people:role_remove", args=[world.leo.pk, assignment.pk]))

    assert response.status_code == 405
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


# --- Passwords and deactivation ---------------------------------------------------------


def test_alice_resets_a_password(world, as_user, client):
    url = reverse("people:password", args=[world.leo.pk])
    response = as_user(world.alice).post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    client.logout()

    assert login(client, "leo", f.PASSWORD).status_code == 200
    assert not signed_in(client)
    assert login(client, "leo", NEW_PASSWORD).status_code == 302
    assert signed_in(client)


def test_reset_password_is_validated(world, as_user):
    url = reverse("people:password", args=[world.leo.pk])
    response = as_user(world.alice).post(url, {"new_password1": "password", "new_password2": "password"})

    assert response.status_code == 200
    assert "new_password2" in response.context["form"].errors
    world.leo.refresh_from_db()
    assert world.leo.check_password(f.PASSWORD)


def test_deactivation_blocks_sign_in_and_ends_the_session(world, as_user, client):
    leo_client = type(client)()
    leo_client.force_login(world.leo)

    response = as_user(world.alice).post(reverse("people:deactivate", args=[world.leo.pk]))

    assert response.status_code == 302
    world.leo.refresh_from_db()
    assert not world.leo.is_active
    assert leo_client.get(reverse("home")).status_code == 302  # the open session no longer counts
    client.logout()
    assert login(client, "leo", f.PASSWORD).status_code == 200
    assert not signed_in(client)


def test_reactivation_lets_the_user_sign_in_again(world, as_user, client):
    world.leo.is_active = False
    world.leo.save()

    as_user(world.alice).post(reverse("people:reactivate", args=[world.leo.pk]))
    client.logout()

    assert login(client, "leo", f.PASSWORD).status_code == 302


def test_alice_cannot_deactivate_herself(world, as_user):
    response = as_user(world.alice).post(reverse("people:deactivate", args=[world.alice.pk]))

    assert response.status_code == 302
    world.alice.refresh_from_db()
    assert world.alice.is_active


# --- Who may use these pages -----------------------------------------------------------


@pytest.mark.parametrize("persona", ["fay", "carl", "cindy", "leo", "lena", "rita", "otto", "nobody"])
def test_non_staff_are_refused_every_people_url(world, client, persona):
    client.force_login(getattr(world, persona))
    failures = []
    for method, url in people_urls(world, world.leo):
        status = getattr(client, method)(url).status_code
        if status != 403:
            failures.append(f"{method} {url}: {status}")
    assert not failures
    world.leo.refresh_from_db()
    assert world.leo.is_active


def test_anonymous_visitors_are_sent_to_sign_in(world, client):
    for method, url in people_urls(world, world.leo):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login"))


def test_bob_finds_none_of_our_users(world, as_user):
    client = as_user(world.bob)
    failures = []
    for method, url in people_urls(world, world.leo)[4:]:
        status = getattr(client, method)(url).status_code
        if status != 404:
            failures.append(f"{method} {url}: {status}")
    assert not failures
    listing = client.get(reverse("people:list")).content.decode()
    assert "leo" not in listing
    assert "bob" in listing


def test_alice_cannot_touch_a_role_of_bobs_street(world, as_user):
    # leo also helps in bob's street: alice manages leo, but not that role.
    other = RoleAssignment.objects.create(
        user=world.leo, role=Role.LEADER, street=world.other_street, building_group=world.g_other
    )

    response = as_user(world.alice).post(reverse("people:role_remove", args=[world.leo.pk, other.pk]))

    assert response.status_code == 404
    assert RoleAssignment.objects.filter(pk=other.pk).exists()


def test_superusers_are_out_of_reach(world, as_user):
    admin = User.objects.create_superuser("root", password=f.PASSWORD, full_name="管理员")

    client = as_user(world.alice)

    assert client.get(reverse("people:detail", args=[admin.pk])).status_code == 404
    assert client.post(reverse("people:password", args=[admin.pk]), {}).status_code == 404


# --- The list ----------------------------------------------------------------------


def test_list_filters_search_and_sort(world, as_user):
    client = as_user(world.alice)
    world.lena.is_active = False
    world.lena.save()

    def usernames(**params):
        response = client.get(reverse("people:list"), params)
        return [u.username for u in response.context["accounts"]]

    assert usernames() == ["alice", "carl", "cindy", "fay", "lena", "leo", "nobody", "otto", "rita"]
    assert usernames(role=Role.LEADER) == ["lena", "leo"]
    assert usernames(role="none") == ["nobody"]
    assert usernames(status="inactive") == ["lena"]
    assert "lena" not in usernames(status="active")
    assert usernames(q="rit") == ["rita"]
    assert usernames(q="carl姓") == ["carl"]
    assert usernames(sort="-username")[0] == "rita"


def test_list_masks_phones(world, as_user):
    content = as_user(world.alice).get(reverse("people:list")).content.decode()

    assert "138****1234" in content
    assert "13812341234" not in content


def test_list_query_count_is_the_same_at_3_and_30_users(world, as_user, count_queries):
    client = as_user(world.alice)
    url = reverse("people:list")

    def add_leaders(n):
        for _ in range(n):
            RoleAssignment.objects.create(
                user=f.UserFactory(), role=Role.LEADER, street=world.street, building_group=world.g1
            )

    add_leaders(1)  # leo, lena and one more: 3 leaders
    at_3 = count_queries(client.get, url, {"role": Role.LEADER})
    add_leaders(27)
    at_30 = count_queries(client.get, url, {"role": Role.LEADER})
    assert at_3 == at_30
    assert len(client.get(url, {"role": Role.LEADER}).context["accounts"]) == 25


def test_export_masks_phones(world, as_user):
    response = as_user(world.alice).get(reverse("people:export"), {"role": Role.LEADER})

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == ["lena", "leo"]
    assert all(row[2] == "138****1234" for row in rows)
    assert "13812341234" not in str(list(sheet.values))
