"""Personas for the permission tables: the shared world plus one who is both street staff and
finance approver (``frank``), so four eyes is tested on someone who could otherwise approve."""

import pytest
from django.db import transaction

from common.refusals import Refused
from corridors.models import Role
from corridors.services.people import role_assign
from tests import factories as f

# Every role a table is read for, named as the tables name them.
PERSONAS = [
    "staff",  # alice: street office staff of the object's street
    "other_staff",  # bob: street office staff of another street
    "finance",  # fay: finance approver of the street
    "staff_and_finance",  # frank: both, and the proposer of the payouts in these tests
    "committee",  # carl: residents' committee of the object's neighbourhood
    "leader",  # leo: leader of the object's building group
    "representative",  # rita: representative of the neighbourhood
    "officer",  # otto: department officer
    "nobody",  # an account with no role
]


@pytest.fixture
def people(world):
    frank = f.UserFactory(username="frank")
    role_assign(user=frank, role=Role.STREET_STAFF, street=world.street)
    role_assign(user=frank, role=Role.FINANCE, street=world.street)
    return {
        "staff": world.alice,
        "other_staff": world.bob,
        "finance": world.fay,
        "staff_and_finance": frank,
        "committee": world.carl,
        "leader": world.leo,
        "representative": world.rita,
        "officer": world.otto,
        "nobody": world.nobody,
    }


def allowed(call) -> bool:
    """Whether the real service lets this happen; whatever it did is rolled back afterwards."""
    with transaction.atomic():
        try:
            call()
        except Refused:
            return False
        finally:
            transaction.set_rollback(True)
    return True


def who_may(people: dict, action) -> set[str]:
    """The personas for whom ``action(user)`` is allowed by the service."""
    return {name for name in PERSONAS if allowed(lambda user=people[name]: action(user))}
