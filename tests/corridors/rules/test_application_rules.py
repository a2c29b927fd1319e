"""Who may take which step of a warm-corridor application, in which state: every role × state × step.

The expected answers are the table below, written by hand from DESIGN.md §1 (never read from
``corridors.workflows.application``), and every cell is tried through the real service
function. A step given to one more role, taken from one more state, or lost, fails here.

Personas (``tests/conftest.py``), relative to an application of building group g1 in N1:
leo leads g1; lena leads another group; carl is N1's committee, cindy another's; alice is
staff of its street, bob of another street; fay finance; rita representative; otto officer;
nobody has no role.
"""

import pytest
from django.utils import translation

from common.refusals import Refused
from corridors.models import Application, ApplicationTransition, Notification
from corridors.services import applications as services
from tests.corridors.test_application_workflow import make_application, make_year

PERSONAS = ["leo", "lena", "carl", "cindy", "alice", "bob", "fay", "rita", "otto", "nobody"]

# The columns of the table below, in order.
STATES = {
    "draft": "draft",
    "sub": "submitted",
    "end": "endorsed",
    "ret": "returned",
    "appr": "approved",
    "rej": "rejected",
    "wdr": "withdrawn",
    "crea": "in_creation",
    "insp": "inspection_requested",
    "awd": "awarded",
    "rect": "rectifying",
}

# Who may take each step, per state ("-": nobody). One row per service function.
TABLE = """
step                  draft  sub    end    ret    appr   rej    wdr    crea   insp   awd    rect
submit                leo    -      -      leo    -      -      -      -      -      -      -
endorse               -      carl   -      -      -      -      -      -      -      -      -
return_by_committee   -      carl   -      -      -      -      -      -      -      -      -
approve               -      -      alice  -      -      -      -      -      -      -      -
return_by_street      -      -      alice  -      -      -      -      -      -      -      -
reject                -      -      alice  -      -      -      -      -      -      -      -
withdraw              leo    leo    leo    leo    -      -      -      -      -      -      -
start_creation        -      -      -      -      leo    -      -      -      -      -      -
request_inspection    -      -      -      -      -      -      -      leo    -      -      -
pass_inspection       -      -      -      -      -      -      -      -      alice  -      -
fail_inspection       -      -      -      -      -      -      -      -      alice  -      -
request_reinspection  -      -      -      -      -      -      -      -      -      -      leo
"""

# Where each step leads.
TARGET = {
    "submit": "submitted",
    "endorse": "endorsed",
    "return_by_committee": "returned",
    "approve": "approved",
    "return_by_street": "returned",
    "reject": "rejected",
    "withdraw": "withdrawn",
    "start_creation": "in_creation",
    "request_inspection": "inspection_requested",
    "pass_inspection": "awarded",
    "fail_inspection": "rectifying",
    "request_reinspection": "inspection_requested",
}


def _allowed() -> dict[tuple[str, str], str | None]:
    lines = [line.split() for line in TABLE.strip().splitlines()]
    header, rows = lines[0][1:], lines[1:]
    assert header == list(STATES)
    states = list(STATES.values())
    return {(row[0], state): (None if who == "-" else who) for row in rows for state, who in zip(states, row[1:])}


ALLOWED = _allowed()


@pytest.fixture
def year(world):
    return make_year(world.street)


@pytest.mark.parametrize(("step", "state"), sorted(ALLOWED), ids=lambda v: v)
def test_every_role_in_every_state(world, year, step, state):
    service = getattr(services, f"application_{step}")
    application = make_application(world, year, state=state)
    allowed = ALLOWED[(step, state)]
    wrong = []
    for persona in PERSONAS:
        if persona == allowed:
            continue
        try:
            with translation.override("zh-hans"):
                service(application=Application(pk=application.pk), actor=getattr(world, persona), note="原因")
        except Refused as refused:
            assert refused.reason, persona
        else:
            wrong.append(f"{persona} took {step} in {state}")
            break
    assert not wrong, wrong
    application.refresh_from_db()
    assert application.state == state, "a refused step changed the application"
    assert not ApplicationTransition.objects.filter(application=application).exists()
    assert not Notification.objects.exists()

    if allowed:
        actor = getattr(world, allowed)
        service(application=Application(pk=application.pk), actor=actor, note="原因", expected_state=state)
        application.refresh_from_db()
        assert application.state == TARGET[step]
        row = ApplicationTransition.objects.get(application=application)
        assert (row.action, row.from_state, row.to_state, row.actor, row.note) == (
            step,
            state,
            TARGET[step],
            actor,
            "原因",
        )


def test_the_table_covers_every_step_service():
    steps = {row.split()[0] for row in TABLE.strip().splitlines()[1:]}
    assert steps == set(TARGET)
    for step in steps:
        assert callable(getattr(services, f"application_{step}"))
