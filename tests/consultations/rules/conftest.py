"""The ten personas of the consultations permission tables, relative to one request or ticket.

The request (or ticket) is rita's, from neighbourhood N1 of our street, with the housing
department (otto's) at its stall.
"""

import pytest

from corridors.models import Role, User
from corridors.services.people import role_assign
from tests import factories as f

ROLES = [
    "its representative",
    "another representative",
    "officer of its department",
    "officer of another department",
    "staff of its street",
    "staff of another street",
    "committee of its neighbourhood",
    "finance",
    "leader",
    "nobody",
]


@pytest.fixture
def personas(cw):
    """Role name → user (a fresh copy is read before each step: scopes are cached on the user)."""
    w = cw.w
    rosa = f.UserFactory(username="rosa", full_name="罗莎")
    role_assign(user=rosa, role=Role.REPRESENTATIVE, street=w.street, neighbourhood=w.n1)
    people = {
        "its representative": w.rita,
        "another representative": rosa,
        "officer of its department": w.otto,
        "officer of another department": cw.olga,
        "staff of its street": w.alice,
        "staff of another street": w.bob,
        "committee of its neighbourhood": w.carl,
        "finance": w.fay,
        "leader": w.leo,
        "nobody": w.nobody,
    }
    assert list(people) == ROLES
    return people


def fresh(user):
    return User.objects.get(pk=user.pk)


class Undo(Exception):
    """Rolls a step that was taken back, so the next one starts from the same state."""


def expected_column(expected: dict, states: list, state: str, actions: list) -> dict:
    """The hand-written table's answers in one state: role → action → "Y" (taken) or "." (refused)."""
    column = states.index(state)
    return {role: {action: expected[role][action].split()[column] for action in actions} for role in ROLES}
