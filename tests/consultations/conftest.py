"""Consultation fixtures on top of the shared personas (tests/conftest.py).

The housing department (otto's) has a stall at an upcoming conference of our street; rita
(representative of N1) brings requests for g1's building in N1. A second department
(greening, officer olga) shows that an officer sees only their own department.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from consultations.anonymise import suggested_summary
from consultations.models import Category, Conference, Stall
from consultations.services.categories import category_ensure_defaults
from consultations.services.requests import request_file
from corridors.models import Role
from corridors.services.people import role_assign
from tests import factories as f


@pytest.fixture
def cw(world):
    """The consultations world: categories, two conferences, stalls, a second department."""
    street = world.street
    category_ensure_defaults(street=street)
    greening = f.DepartmentFactory(street=street, name="绿化市容所")
    olga = f.UserFactory(username="olga", full_name="欧阳丽")
    role_assign(user=olga, role=Role.OFFICER, street=street, department=greening)
    today = timezone.localdate()
    past = Conference.objects.create(
        street=street, name="2025年代表大会", date=today - datetime.timedelta(days=365), venue="大厅"
    )
    upcoming = Conference.objects.create(
        street=street, name="2026年代表大会", date=today + datetime.timedelta(days=20), venue="大厅"
    )
    stall = Stall.objects.create(conference=upcoming, department=world.housing)
    stall.officers.set([world.otto])
    green_stall = Stall.objects.create(conference=upcoming, department=greening)
    return SimpleNamespace(
        w=world,
        greening=greening,
        olga=olga,
        past=past,
        upcoming=upcoming,
        stall=stall,
        green_stall=green_stall,
        elevator=Category.objects.get(street=street, name="电梯"),
        garbage=Category.objects.get(street=street, name="垃圾分类"),
    )


def file_request(cw, *, rep=None, department=None, conference=None, title="电梯经常停运", **overrides):
    w = cw.w
    values = {
        "actor": rep or w.rita,
        "compound": w.g1.building.compound,
        "building": w.g1.building,
        "households": 6,
        "category": cw.elevator,
        "title": title,
        "text": "电梯经常停运，老人上下楼困难。",
        "department": department or w.housing,
        "conference": conference,
    }
    values.update(overrides)
    return request_file(**values)


def fresh(user):
    """The user as a new request would see it (role scopes are cached on the object)."""
    return type(user).objects.get(pk=user.pk)


def suggested(request):
    """The public summary as the resolve form pre-fills it (the resolver accepting it as is)."""
    return suggested_summary(request)
