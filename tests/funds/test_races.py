"""Two people acting on one payout, award or unit at the same moment, on real PostgreSQL
connections (``tests/races.py``: the barrier sits inside the lock, so each of these tests
fails when the ``select_for_update`` it names is removed). One succeeds, the other is
refused with the reason, and the history and the money log hold one step."""

import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from corridors.models import Role, User
from corridors.services.people import role_assign
from funds.models import (
    Award,
    ConsentRecord,
    ConsentStatus,
    LedgerEntry,
    MoneyEvent,
    Payout,
    PayoutKind,
    PayoutState,
    PayoutTransition,
    Unit,
)
from funds.services import consents as consent_services
from funds.services import ledger as ledger_services
from funds.services import payouts as payout_services
from funds.services.consents import unit_record_consent
from funds.services.ledger import ledger_entry_add
from funds.services.payouts import payout_approve, payout_mark_paid, payout_propose, payout_reject
from funds.workflows.payout import PAYOUT
from tests import factories as f
from tests.funds.conftest import add_units, make_campaign
from tests.funds.test_acceptance import award_for
from tests.funds.test_payouts import PDF
from tests.races import race

pytestmark = pytest.mark.django_db(transaction=True)

# Each payout step checks the table right after locking the payout (``_lock_payout``).
INSIDE_PAYOUT_LOCK = (PAYOUT, "check")
# Proposals and ledger entries read the actor's roles right after locking the award (``lock_award``).
INSIDE_AWARD_LOCK = (payout_services, "award_roles")


def user(name: str) -> User:
    return User.objects.get(username=name)


def second_finance(world) -> User:
    other = f.UserFactory(username="fay2")
    role_assign(user=other, role=Role.FINANCE, street=world.street)
    return other


def steps(pk: int, action: str) -> int:
    return PayoutTransition.objects.filter(payout_id=pk, action=action).count()


def events(pk: int, kind: str) -> int:
    return MoneyEvent.objects.filter(subject_type="funds.payout", subject_id=pk, kind=kind).count()


def test_two_approvals_at_once_make_one(world, monkeypatch):
    pk = payout_propose(award=award_for(world), actor=world.alice, kind=PayoutKind.CULTURE_FUND).pk
    second_finance(world)

    def approve(name):
        return lambda: payout_approve(payout=Payout(pk=pk), actor=user(name))

    outcomes = race(monkeypatch, [approve("fay"), approve("fay2")], inside=INSIDE_PAYOUT_LOCK)

    assert outcomes.count("done") == 1, outcomes
    assert "not possible while the payout is “Approved, not yet paid”" in [o for o in outcomes if o != "done"][0]
    assert Payout.objects.get(pk=pk).state == PayoutState.APPROVED
    assert (steps(pk, "approve"), events(pk, MoneyEvent.Kind.PAYOUT_APPROVED)) == (1, 1)


def test_an_approval_and_a_rejection_at_once_make_one_decision(world, monkeypatch):
    pk = payout_propose(award=award_for(world), actor=world.alice, kind=PayoutKind.CULTURE_FUND).pk
    second_finance(world)
    calls = [
        lambda: payout_approve(payout=Payout(pk=pk), actor=user("fay")),
        lambda: payout_reject(payout=Payout(pk=pk), actor=user("fay2"), reason="材料不全"),
    ]

    outcomes = race(monkeypatch, calls, inside=INSIDE_PAYOUT_LOCK)

    assert outcomes.count("done") == 1, outcomes
    state = Payout.objects.get(pk=pk).state
    assert state in (PayoutState.APPROVED, PayoutState.REJECTED)
    decided = PayoutTransition.objects.filter(payout_id=pk).exclude(action="propose")
    assert list(decided.values_list("to_state", flat=True)) == [state]
    assert MoneyEvent.objects.filter(subject_type="funds.payout", subject_id=pk).count() == 2  # proposed + one


def test_two_payments_at_once_pay_once(world, monkeypatch):
    award = award_for(world)
    payout = payout_propose(award=award, actor=world.alice, kind=PayoutKind.CULTURE_FUND)
    payout_approve(payout=payout, actor=world.fay)
    second_finance(world)

    def pay(name, reference):
        return lambda: payout_mark_paid(
            payout=Payout(pk=payout.pk),
            actor=user(name),
            paid_on=timezone.localdate(),
            reference=reference,
            expected_state=PayoutState.APPROVED,
        )

    outcomes = race(monkeypatch, [pay("fay", "BANK-1"), pay("fay2", "BANK-2")], inside=INSIDE_PAYOUT_LOCK)

    assert outcomes.count("done") == 1, outcomes
    assert "changed while you were looking at it" in [o for o in outcomes if o != "done"][0]
    assert (steps(payout.pk, "pay"), events(payout.pk, MoneyEvent.Kind.PAYOUT_PAID)) == (1, 1)
    assert Award.objects.get(pk=award.pk).culture_fund_received == Decimal("2000.00")


def test_two_culture_fund_proposals_at_once_make_one_payout(world, monkeypatch):
    award = award_for(world)
    alice2 = f.UserFactory(username="alice2")
    role_assign(user=alice2, role=Role.STREET_STAFF, street=world.street)
    # The award's lock refuses the second proposal before it is written; the partial unique
    # constraint is only the last line (tests/funds/test_payouts.py), never reached here.
    constraint_hits = []
    original = payout_services.violated_constraint
    monkeypatch.setattr(payout_services, "violated_constraint", lambda e: constraint_hits.append(e) or original(e))

    def propose(name):
        return lambda: payout_propose(award=Award(pk=award.pk), actor=user(name), kind=PayoutKind.CULTURE_FUND)

    outcomes = race(monkeypatch, [propose("alice"), propose("alice2")], inside=INSIDE_AWARD_LOCK)

    assert outcomes.count("done") == 1, outcomes
    assert "already proposed, approved or paid" in [o for o in outcomes if o != "done"][0]
    assert constraint_hits == []
    assert Payout.objects.filter(award=award).count() == 1
    assert MoneyEvent.objects.filter(kind=MoneyEvent.Kind.PAYOUT_PROPOSED).count() == 1


def test_two_renovation_proposals_at_once_never_pass_the_limit(world, monkeypatch):
    award = award_for(world)  # renovation limit ¥800.00
    alice2 = f.UserFactory(username="alice2")
    role_assign(user=alice2, role=Role.STREET_STAFF, street=world.street)

    def propose(name):
        return lambda: payout_propose(
            award=Award(pk=award.pk),
            actor=user(name),
            kind=PayoutKind.RENOVATION,
            amount=Decimal("500.00"),
            receipts=[("pdf", ContentFile(PDF, name="r.pdf"), Decimal("100000.00"))],
        )

    outcomes = race(monkeypatch, [propose("alice"), propose("alice2")], inside=INSIDE_AWARD_LOCK)

    assert outcomes.count("done") == 1, outcomes
    assert "at most ¥300.00 can be proposed" in [o for o in outcomes if o != "done"][0]
    assert Payout.objects.filter(award=award).count() == 1
    assert Award.objects.get(pk=award.pk).renovation_committed == Decimal("500.00")


def test_the_same_form_submitted_twice_at_once_makes_one_payout(world, monkeypatch):
    award = award_for(world)
    token = uuid.uuid4()

    def propose():
        return payout_propose(
            award=Award(pk=award.pk),
            actor=user("alice"),
            kind=PayoutKind.RENOVATION,
            amount=Decimal("300.00"),
            receipts=[("pdf", ContentFile(PDF, name="r.pdf"), Decimal("100000.00"))],
            request_token=token,
        )

    outcomes = race(monkeypatch, [propose, propose], inside=INSIDE_AWARD_LOCK)

    assert outcomes == ["done", "done"], outcomes
    assert Payout.objects.filter(award=award).count() == 1
    assert Award.objects.get(pk=award.pk).renovation_committed == Decimal("300.00")


def test_two_ledger_entries_at_once_never_overspend(world, monkeypatch):
    award = award_for(world)
    payout = payout_propose(award=award, actor=world.alice, kind=PayoutKind.CULTURE_FUND)
    payout_approve(payout=payout, actor=world.fay)
    payout_mark_paid(payout=payout, actor=world.fay, paid_on=timezone.localdate(), reference="B")

    def spend():
        ledger_entry_add(
            award=Award(pk=award.pk),
            actor=user("leo"),
            spent_on=timezone.localdate(),
            item="绿植",
            amount=Decimal("1500.00"),
        )

    outcomes = race(monkeypatch, [spend, spend], inside=(ledger_services, "award_roles"), refusals=(ValidationError,))

    assert outcomes.count("done") == 1, outcomes
    assert LedgerEntry.objects.count() == 1
    assert Award.objects.get(pk=award.pk).ledger_balance == Decimal("500.00")


def test_two_consents_on_one_unit_at_once_chain_in_order(world, monkeypatch):
    campaign = make_campaign(world)
    unit = add_units(campaign, 1)[0]
    calls = [
        # Each confirms a change, whichever comes second (changing a recorded vote needs it).
        lambda: unit_record_consent(
            unit=Unit(pk=unit.pk),
            status=ConsentStatus.AGREE,
            recorded_by=user("alice"),
            confirmed=True,
            change_reason="签字",
        ),
        lambda: unit_record_consent(
            unit=Unit(pk=unit.pk),
            status=ConsentStatus.REFUSE,
            recorded_by=user("carl"),
            confirmed=True,
            change_reason="签字",
        ),
    ]

    outcomes = race(monkeypatch, calls, inside=(consent_services, "require_campaign_role"))

    # Both are recorded (the last one wins): the second saw the first one's answer, so the
    # history is one chain and the unit shows the last record's answer.
    assert outcomes == ["done", "done"], outcomes
    first, second = ConsentRecord.objects.filter(unit_id=unit.pk).order_by("recorded_at", "pk")
    assert (first.previous_status, second.previous_status) == (ConsentStatus.PENDING, first.status)
    assert Unit.objects.get(pk=unit.pk).consent_status == second.status
