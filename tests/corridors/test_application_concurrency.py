"""Two people act on one application at the same moment, on real PostgreSQL connections.

``tests.races.race`` holds both calls at a barrier *inside* the row lock (in the workflow
table's ``check``): with the lock, the second waits for the first to commit and is then
refused with the reason; without it, both would pass the check and write twice. Exactly
one history row is written.
"""

import pytest

from corridors.models import Application, ApplicationTransition, Role, User
from corridors.services import applications as services
from corridors.services.people import role_assign
from corridors.workflows.application import APPLICATION, State
from tests import factories as f
from tests.corridors.test_application_workflow import make_application, make_year
from tests.races import race


@pytest.mark.django_db(transaction=True)
def test_approve_and_return_at_once_one_wins(world, monkeypatch):
    year = make_year(world.street)
    application = make_application(world, year, state=State.ENDORSED)
    alice2 = f.UserFactory(username="alice2")
    role_assign(user=alice2, role=Role.STREET_STAFF, street=world.street)
    pk = application.pk

    outcomes = race(
        monkeypatch,
        [
            lambda: services.application_approve(
                application=Application(pk=pk), actor=User.objects.get(username="alice")
            ),
            lambda: services.application_return_by_street(
                application=Application(pk=pk), actor=User.objects.get(username="alice2"), note="请补充预算"
            ),
        ],
        inside=(APPLICATION, "check"),
    )

    assert outcomes.count("done") == 1, outcomes
    refused = next(o for o in outcomes if o != "done")
    assert "not possible while the application is" in refused
    application.refresh_from_db()
    steps = list(ApplicationTransition.objects.filter(application_id=pk))
    assert len(steps) == 1
    assert steps[0].to_state == application.state
    assert application.state in {State.APPROVED, State.RETURNED}


@pytest.mark.django_db(transaction=True)
def test_two_clicks_on_the_same_endorse_make_one_step(world, monkeypatch):
    year = make_year(world.street)
    application = make_application(world, year, state=State.SUBMITTED)
    pk = application.pk

    def endorse():
        services.application_endorse(
            application=Application(pk=pk), actor=User.objects.get(username="carl"), expected_state=State.SUBMITTED
        )

    outcomes = race(monkeypatch, [endorse, endorse], inside=(APPLICATION, "check"))

    assert outcomes.count("done") == 1, outcomes
    assert "changed while you were looking" in next(o for o in outcomes if o != "done")
    assert ApplicationTransition.objects.filter(application_id=pk).count() == 1
    assert Application.objects.get(pk=pk).state == State.ENDORSED
