"""Who may publish, take back, hide and show again a gallery work, in which state: every role × state × step.

The expected answers are the table below, written by hand from DESIGN.md §4 ("Leaders
publish; staff can hide"; the committee moderates its neighbourhood too; street staff may
publish for a group without a leader), never read from ``corridors.workflows.work``, and
every cell is tried through the real service function.

Personas (``tests/conftest.py``), relative to a work of building group g1 in N1: leo leads
g1; lena leads another group; carl is N1's committee, cindy another's; alice is staff of its
street, bob of another street; fay finance; rita representative; otto officer; nobody has
no role.
"""

import pytest
from django.utils import timezone

from common.refusals import Refused
from corridors.models import GalleryWork, Notification, WorkTransition
from corridors.services import gallery as services
from tests.corridors.test_gallery import make_work

pytestmark = pytest.mark.django_db

PERSONAS = ["leo", "lena", "carl", "cindy", "alice", "bob", "fay", "rita", "otto", "nobody"]

# Who may take each step, per state ("-": nobody; several separated by commas).
TABLE = """
step        draft         published     hidden
publish     leo,alice     -             -
unpublish   -             leo           -
hide        carl,alice    carl,alice    -
unhide      -             -             carl,alice
"""

# Where each step leads (a hidden work here had been published, so it comes back published).
TARGET = {"publish": "published", "unpublish": "draft", "hide": "hidden", "unhide": "published"}


def _allowed() -> dict[tuple[str, str], set[str]]:
    lines = [line.split() for line in TABLE.strip().splitlines()]
    states, rows = lines[0][1:], lines[1:]
    return {
        (row[0], state): set() if who == "-" else set(who.split(","))
        for row in rows
        for state, who in zip(states, row[1:])
    }


ALLOWED = _allowed()


def _put(work, state):
    """Test set-up only: the work straight into the state under test."""
    hidden = state == "hidden"
    GalleryWork.objects.filter(pk=work.pk).update(
        state=state,
        published_at=timezone.now(),
        hidden_reason="不合适" if hidden else "",
        hidden_at=timezone.now() if hidden else None,
    )


def _take(step, work, actor, **kwargs):
    service = getattr(services, f"work_{step}")
    if step == "hide":
        kwargs.setdefault("reason", "能看清门牌号")
    return service(work=GalleryWork(pk=work.pk), by=actor, **kwargs)


@pytest.mark.parametrize(("step", "state"), sorted(ALLOWED), ids=lambda v: v)
def test_every_role_in_every_state(world, step, state):
    work = make_work(world.g1, world.leo, publish=False)
    _put(work, state)
    allowed = ALLOWED[(step, state)]
    taken = []
    for persona in PERSONAS:
        if persona in allowed:
            continue
        try:
            _take(step, work, getattr(world, persona))
        except Refused as refused:
            assert refused.reason, persona
        else:
            taken.append(f"{persona} took {step} in {state}")
            _put(work, state)
    assert not taken, taken
    work.refresh_from_db()
    assert work.state == state, "a refused step changed the work"
    assert not WorkTransition.objects.filter(work=work).exists()
    assert not Notification.objects.exists()

    for persona in sorted(allowed):
        _put(work, state)
        actor = getattr(world, persona)
        _take(step, work, actor, expected_state=state)
        work.refresh_from_db()
        assert work.state == TARGET[step], persona
        row = WorkTransition.objects.filter(work=work).latest("pk")
        assert (row.action, row.from_state, row.to_state, row.actor) == (step, state, TARGET[step], actor)


def test_the_table_covers_every_step_service():
    steps = {row.split()[0] for row in TABLE.strip().splitlines()[1:]}
    assert steps == set(TARGET)
    for step in steps:
        assert callable(getattr(services, f"work_{step}"))
