"""Templates' ``perms`` (common.context_processors.perms) answer as ``user.has_perm`` for every
declared permission, without the model-permission queries of Django's ModelBackend."""

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from common.permissions import _REASONS, DeclaredPermWrapper, model_permission_names
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_model_permissions_are_known_without_the_database():
    """What lets the rules alone answer the other declared names: these are all there are."""
    stored = {f"{app}.{code}" for app, code in Permission.objects.values_list("content_type__app_label", "codename")}
    assert model_permission_names() == stored


def test_templates_perms_answer_as_has_perm_for_every_persona(world):
    root = f.UserFactory(username="root", is_superuser=True, is_staff=True)
    gone = f.UserFactory(username="gone", is_active=False)
    # A declared name that is also a model permission, granted in the admin: still yes.
    granted = f.UserFactory(username="granted")
    granted.user_permissions.add(Permission.objects.get(content_type__app_label="funds", codename="change_award"))
    assert "funds.change_award" in _REASONS and granted.has_perm("funds.change_award")
    people = [world.alice, world.bob, world.fay, world.carl, world.leo, world.rita, world.otto, root, gone, granted]
    for user in [*people, AnonymousUser()]:
        perms = DeclaredPermWrapper(user)
        for name in _REASONS:
            app, action = name.split(".", 1)
            assert perms[app][action] == (name in perms) == user.has_perm(name), (user, name)


def test_the_staff_menu_asks_the_database_for_no_model_permission(world, as_user):
    client = as_user(world.alice)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("places:groups"))
    assert page.status_code == 200
    assert reverse("dashboards:dashboard") in page.content.decode()  # the menu, as before
    assert not [q for q in queries.captured_queries if "auth_permission" in q["sql"]]
