"""Officers issuing tickets at the same stall at the same moment, on real PostgreSQL connections.

Each thread has its own connection; a barrier releases them together. The row lock on the
stall serialises them, so N threads get N distinct, consecutive numbers.
"""

import threading

import pytest
from django.db import connection

from consultations.models import Ticket, TicketEvent
from consultations.services.conferences import conference_create
from consultations.services.tickets import ticket_call_next, ticket_issue
from corridors.models import Role, User
from corridors.services.people import role_assign
from tests import factories as f

N = 8


@pytest.mark.django_db(transaction=True)
def test_n_officers_issuing_at_once_get_n_consecutive_numbers(cw):
    reps = []
    for i in range(N):
        rep = f.UserFactory(username=f"queue{i}", full_name=f"排队{i}")
        role_assign(user=rep, role=Role.REPRESENTATIVE, street=cw.w.street, neighbourhood=cw.w.n1)
        reps.append(rep)
    barrier = threading.Barrier(N)
    numbers, errors = [], []

    def issue(rep_pk):
        try:
            # Each thread's own objects: nothing cached crosses connections.
            officer = User.objects.get(username="otto")
            rep = User.objects.get(pk=rep_pk)
            stall = type(cw.stall).objects.get(pk=cw.stall.pk)
            barrier.wait()
            numbers.append(ticket_issue(actor=officer, stall=stall, representative=rep).number)
        except Exception as exc:  # collected and asserted on below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(rep.pk,)) for rep in reps]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert sorted(numbers) == list(range(1, N + 1))
    assert sorted(Ticket.objects.filter(stall=cw.stall).values_list("number", flat=True)) == list(range(1, N + 1))
    assert TicketEvent.objects.filter(action="issue").count() == N


@pytest.mark.django_db(transaction=True)
def test_two_officers_calling_next_at_once_call_two_different_tickets(cw):
    reps = []
    for i in range(2):
        rep = f.UserFactory(username=f"call{i}")
        role_assign(user=rep, role=Role.REPRESENTATIVE, street=cw.w.street, neighbourhood=cw.w.n1)
        ticket_issue(actor=cw.w.otto, stall=cw.stall, representative=rep)
        reps.append(rep)
    barrier = threading.Barrier(2)
    called, errors = [], []

    def call(username):
        try:
            actor = User.objects.get(username=username)
            stall = type(cw.stall).objects.get(pk=cw.stall.pk)
            barrier.wait()
            called.append(ticket_call_next(actor=actor, stall=stall).number)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=call, args=(name,)) for name in ("otto", "alice")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert sorted(called) == [1, 2]


@pytest.mark.django_db(transaction=True)
def test_two_staff_creating_the_same_conference_at_once_get_a_reason_not_a_crash(cw, monkeypatch):
    from common.refusals import Refused
    from consultations.models import Conference

    barrier = threading.Barrier(2)
    create = Conference.objects.create

    def create_together(**kwargs):
        # Both have passed the name check: now they insert at the same moment.
        barrier.wait(timeout=10)
        return create(**kwargs)

    monkeypatch.setattr(Conference.objects, "create", create_together)
    created, refused, errors = [], [], []

    def make():
        try:
            actor = User.objects.get(username="alice")
            street = type(cw.w.street).objects.get(pk=cw.w.street.pk)
            conference = conference_create(
                actor=actor, street=street, name="2027年代表大会", date=cw.upcoming.date, venue="大厅"
            )
            created.append(conference.pk)
        except Refused as exc:
            refused.append(exc.reason)
        except Exception as exc:  # collected and asserted on below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=make) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert len(created) == 1 and len(refused) == 1
    assert Conference.objects.filter(name="2027年代表大会").count() == 1
