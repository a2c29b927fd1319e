"""Two people act on one application at the same moment, on real PostgreSQL connections.

Each thread has its own database connection; a short pause after the row lock makes the
two requests overlap for certain. One step wins, the other is refused with the reason,
and exactly one history row is written.
"""

import threading
import time

import pytest
from django.db import connection
from django.utils import translation

from common.refusals import Refused
from corridors.models import Application, ApplicationTransition, Role, User
from corridors.services import applications as services
from corridors.services.people import role_assign
from corridors.workflows.application import State
from tests import factories as f
from tests.corridors.test_application_workflow import make_application, make_year


def _race(monkeypatch, *calls):
    """Run the calls at once (each in its own thread and connection); return their outcomes."""
    original_check = services._check

    def slow_check(*args, **kwargs):
        original_check(*args, **kwargs)
        time.sleep(0.3)  # hold the row lock long enough for the other request to arrive

    monkeypatch.setattr(services, "_check", slow_check)
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            with translation.override("en"):  # each thread starts in the default language
                call()
            outcomes[index] = "done"
        except Refused as refused:
            outcomes[index] = refused.reason
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_approve_and_return_at_once_one_wins(world, monkeypatch):
    year = make_year(world.street)
    application = make_application(world, year, state=State.ENDORSED)
    alice2 = f.UserFactory(username="alice2")
    role_assign(user=alice2, role=Role.STREET_STAFF, street=world.street)
    pk = application.pk

    outcomes = _race(
        monkeypatch,
        lambda: services.application_approve(application=Application(pk=pk), actor=User.objects.get(username="alice")),
        lambda: services.application_return_by_street(
            application=Application(pk=pk), actor=User.objects.get(username="alice2"), note="请补充预算"
        ),
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

    outcomes = _race(monkeypatch, endorse, endorse)

    assert outcomes.count("done") == 1, outcomes
    assert ApplicationTransition.objects.filter(application_id=pk).count() == 1
    assert Application.objects.get(pk=pk).state == State.ENDORSED
