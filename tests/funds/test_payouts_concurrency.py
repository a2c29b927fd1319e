"""Several people act on one payout (or one award) at the same moment, on real PostgreSQL
connections. Each thread has its own connection; a pause after the row lock makes the
requests overlap for certain. One succeeds, the others are refused, the log has one event."""

import threading
import time
import uuid
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone, translation

from corridors.models import Role, User
from corridors.services.people import role_assign
from funds import services_payouts as services
from funds.models import Award, LedgerEntry, MoneyEvent, Payout, PayoutKind, PayoutState
from funds.services_awards import Refused
from tests import factories as f
from tests.funds.test_acceptance import award_for
from tests.funds.test_payouts import PDF

pytestmark = pytest.mark.django_db(transaction=True)

N = 4


def _race(monkeypatch, *calls):
    """Run the calls at once, each in its own thread and connection; return their outcomes."""
    original = services._lock_award
    original_check = services._check_state

    def slow_lock(award_id):
        locked = original(award_id)
        time.sleep(0.2)  # hold the row lock long enough for the others to arrive
        return locked

    def slow_check(*args, **kwargs):
        original_check(*args, **kwargs)
        time.sleep(0.2)

    monkeypatch.setattr(services, "_lock_award", slow_lock)
    monkeypatch.setattr(services, "_check_state", slow_check)
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            with translation.override("en"):
                call()
            outcomes[index] = "done"
        except Refused as refused:
            outcomes[index] = refused.reason
        except Exception as error:  # noqa: BLE001 — reported in the assertion message
            outcomes[index] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return outcomes


def _approvers(world, n):
    users = [world.fay]
    for i in range(n - 1):
        user = f.UserFactory(username=f"finance{i}")
        role_assign(user=user, role=Role.FINANCE, street=world.street)
        users.append(user)
    return [u.username for u in users]


def _events(pk, kind):
    return MoneyEvent.objects.filter(subject_type="funds.payout", subject_id=pk, kind=kind).count()


def test_n_approvers_at_once_make_one_approval(world, monkeypatch):
    award = award_for(world)
    pk = services.payout_propose(award=award, actor=world.alice, kind=PayoutKind.CULTURE_FUND).pk
    names = _approvers(world, N)

    def approve(name):
        return lambda: services.payout_approve(payout=Payout(pk=pk), actor=User.objects.get(username=name))

    outcomes = _race(monkeypatch, *(approve(name) for name in names))

    assert outcomes.count("done") == 1, outcomes
    assert all("not possible while the payout is" in o for o in outcomes if o != "done"), outcomes
    assert Payout.objects.get(pk=pk).state == PayoutState.APPROVED
    assert _events(pk, MoneyEvent.Kind.PAYOUT_APPROVED) == 1


def test_n_clicks_on_mark_paid_pay_once(world, monkeypatch):
    award = award_for(world)
    payout = services.payout_propose(award=award, actor=world.alice, kind=PayoutKind.CULTURE_FUND)
    services.payout_approve(payout=payout, actor=world.fay)
    names = _approvers(world, N)

    def pay(name, n):
        return lambda: services.payout_mark_paid(
            payout=Payout(pk=payout.pk),
            actor=User.objects.get(username=name),
            paid_on=timezone.localdate(),
            reference=f"BANK-{n}",
            expected_state=PayoutState.APPROVED,
        )

    outcomes = _race(monkeypatch, *(pay(name, n) for n, name in enumerate(names)))

    assert outcomes.count("done") == 1, outcomes
    assert _events(payout.pk, MoneyEvent.Kind.PAYOUT_PAID) == 1
    assert Award.objects.get(pk=award.pk).culture_fund_received == Decimal("2000.00")


def test_two_culture_fund_proposals_at_once_make_one_payout(world, monkeypatch):
    award = award_for(world)
    alice2 = f.UserFactory(username="alice2")
    role_assign(user=alice2, role=Role.STREET_STAFF, street=world.street)

    def propose(name):
        return lambda: services.payout_propose(
            award=Award(pk=award.pk), actor=User.objects.get(username=name), kind=PayoutKind.CULTURE_FUND
        )

    outcomes = _race(monkeypatch, propose("alice"), propose("alice2"))

    assert outcomes.count("done") == 1, outcomes
    assert Payout.objects.filter(award=award).count() == 1
    assert MoneyEvent.objects.filter(kind=MoneyEvent.Kind.PAYOUT_PROPOSED).count() == 1


def test_the_same_form_submitted_twice_at_once_makes_one_payout(world, monkeypatch):
    award = award_for(world)
    token = uuid.uuid4()

    def propose():
        return services.payout_propose(
            award=Award(pk=award.pk),
            actor=User.objects.get(username="alice"),
            kind=PayoutKind.RENOVATION,
            amount=Decimal("300.00"),
            receipts=[("pdf", ContentFile(PDF, name="r.pdf"))],
            request_token=token,
        )

    outcomes = _race(monkeypatch, propose, propose)

    assert outcomes == ["done", "done"], outcomes
    assert Payout.objects.filter(award=award).count() == 1
    assert Award.objects.get(pk=award.pk).renovation_committed == Decimal("300.00")


def test_two_ledger_entries_at_once_never_overspend(world, monkeypatch):
    award = award_for(world)
    payout = services.payout_propose(award=award, actor=world.alice, kind=PayoutKind.CULTURE_FUND)
    services.payout_approve(payout=payout, actor=world.fay)
    services.payout_mark_paid(payout=payout, actor=world.fay, paid_on=timezone.localdate(), reference="B")

    def spend():
        try:
            services.ledger_entry_add(
                award=Award(pk=award.pk),
                actor=User.objects.get(username="leo"),
                spent_on=timezone.localdate(),
                item="绿植",
                amount=Decimal("1500.00"),
            )
        except Exception as error:
            raise Refused(str(error)) from error

    outcomes = _race(monkeypatch, spend, spend)

    assert outcomes.count("done") == 1, outcomes
    assert LedgerEntry.objects.count() == 1
    assert Award.objects.get(pk=award.pk).ledger_balance == Decimal("500.00")
