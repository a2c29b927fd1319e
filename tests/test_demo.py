"""The demo world: the story's street, one account per role, and a second run changes nothing."""

import io

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from corridors.demo import ACCOUNTS, DEMO_PASSWORD
from corridors.models import Building, BuildingGroup, Role, RoleAssignment, Street


def _row_counts():
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in {"corridors", "funds", "consultations", "auth"}
    }


@pytest.mark.django_db
def test_demo_world_is_the_story_and_loading_twice_changes_nothing(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", "--force", stdout=io.StringIO())
    first = _row_counts()
    call_command("load_demo", "--force", stdout=io.StringIO())
    assert _row_counts() == first

    street = Street.objects.get(name="四平路街道", district__name="杨浦区")
    d = Building.objects.get(compound__name="和平花园", name="D座", compound__neighbourhood__street=street)
    assert (d.floors, d.households, d.elevators, d.year_built) == (25, 192, 3, 1996)
    assert BuildingGroup.objects.filter(building__compound__neighbourhood__name="抚顺路363弄居民区").exists()
    # One account per role, each able to sign in with the documented password.
    assert {r.role for r in RoleAssignment.objects.all()} == set(Role.values)
    for username, *_ in ACCOUNTS:
        request = RequestFactory().post("/accounts/login/")
        assert authenticate(request, username=username, password=DEMO_PASSWORD) is not None, username
