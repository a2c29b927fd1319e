"""Who may take which payout step in which state: the expected answers are written out here,
independently of ``funds/workflows/payout.py``, and each is asked of the real services.

The payout is a renovation claim (so receipts apply) proposed by ``staff_and_finance``,
who may therefore never approve or reject it (four eyes), yet may cancel it or mark it paid.
"""

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from funds.models import Award, PayoutKind
from funds.services.awards import award_revoke, award_suspend
from funds.services.payouts import (
    payout_approve,
    payout_cancel,
    payout_mark_paid,
    payout_propose,
    payout_receipts_add,
    payout_reject,
)
from tests.factories import pdf_bytes
from tests.funds.rules.conftest import who_may
from tests.funds.test_acceptance import award_for

PDF = pdf_bytes()  # a real PDF: uploads are read with pypdf

EXPECTED = {
    "proposed": {
        "approve": {"finance"},
        "reject": {"finance"},
        "pay": set(),
        "cancel": {"staff", "finance", "staff_and_finance"},
        "receipts": {"staff", "staff_and_finance"},
    },
    "approved": {
        "approve": set(),
        "reject": set(),
        "pay": {"finance", "staff_and_finance"},
        "cancel": {"staff", "finance", "staff_and_finance"},
        "receipts": set(),
    },
    "rejected": {"approve": set(), "reject": set(), "pay": set(), "cancel": set(), "receipts": set()},
    "paid": {"approve": set(), "reject": set(), "pay": set(), "cancel": set(), "receipts": set()},
    "cancelled": {"approve": set(), "reject": set(), "pay": set(), "cancel": set(), "receipts": set()},
}

# Proposing, by the award's status.
EXPECTED_PROPOSE = {
    "active": {"staff", "staff_and_finance"},
    "suspended": set(),
    "revoked": set(),
}


def receipt(amount="100000.00"):
    """A receipt with the amount it shows (large enough for any claim in these tests)."""
    return ("pdf", ContentFile(PDF, name="r.pdf"), Decimal(amount))


ACTIONS = {
    "approve": lambda payout, user: payout_approve(payout=payout, actor=user),
    "reject": lambda payout, user: payout_reject(payout=payout, actor=user, reason="不符合"),
    "pay": lambda payout, user: payout_mark_paid(
        payout=payout, actor=user, paid_on=timezone.localdate(), reference="BANK-1"
    ),
    "cancel": lambda payout, user: payout_cancel(payout=payout, actor=user, reason="重复"),
    "receipts": lambda payout, user: payout_receipts_add(payout=payout, actor=user, receipts=[receipt()]),
}


def payout_in(state, world, people):
    award = award_for(world)
    payout = payout_propose(
        award=award,
        actor=people["staff_and_finance"],
        kind=PayoutKind.RENOVATION,
        amount=Decimal("100.00"),
        receipts=[receipt()],
    )
    if state in ("approved", "paid"):
        payout_approve(payout=payout, actor=world.fay)
    if state == "paid":
        payout_mark_paid(payout=payout, actor=world.fay, paid_on=timezone.localdate(), reference="B-0")
    if state == "rejected":
        payout_reject(payout=payout, actor=world.fay, reason="材料不全")
    if state == "cancelled":
        payout_cancel(payout=payout, actor=world.alice, reason="重复")
    payout.refresh_from_db()
    assert payout.state == state
    return payout


@pytest.mark.parametrize("state", list(EXPECTED))
def test_who_may_take_each_payout_step(world, people, state):
    payout = payout_in(state, world, people)
    actual = {action: who_may(people, lambda user, act=act: act(payout, user)) for action, act in ACTIONS.items()}
    assert actual == EXPECTED[state]


@pytest.mark.parametrize("status", list(EXPECTED_PROPOSE))
def test_who_may_propose_a_payout(world, people, status):
    award = award_for(world)
    if status == "suspended":
        award_suspend(award=award, actor=world.alice, reason="楼道堆物")
    if status == "revoked":
        award_revoke(award=award, actor=world.alice, reason="复查不合格")
    award = Award.objects.get(pk=award.pk)

    def propose(user):
        payout_propose(award=award, actor=user, kind=PayoutKind.CULTURE_FUND)

    assert who_may(people, propose) == EXPECTED_PROPOSE[status]
