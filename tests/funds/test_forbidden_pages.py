"""A funds page someone may see but not use answers 403 with the reason, in Chinese (never a
bare 403), and changes nothing."""

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from funds.models import PayoutKind
from funds.services.payments import payment_correct, payment_record
from funds.services.payouts import payout_propose
from tests.factories import pdf_bytes
from tests.funds.conftest import add_units, make_campaign
from tests.funds.test_acceptance import award_for, ready_for_inspection

PDF = pdf_bytes()  # a real PDF: uploads are read with pypdf
MANAGE = "只有街道办和居委会可以修改本次续筹。"
STAFF_SCORES = "只有本街道的工作人员可以登记评分。"
PAYOUTS = "拨付和预算仅供街道工作人员、街道财务和区级、市级用户查看。"

# (persona, method, url name, object, the reason the 403 page shows)
CASES = [
    (
        "fay",
        "get",
        "funds:list",
        None,
        "维修资金续筹由街道办、居委会、楼组长、社区代表、工作小组和区级、市级用户跟进。",
    ),
    ("fay", "get", "funds:create", None, "只有街道办和居委会可以发起维修资金续筹。"),
    ("leo", "get", "funds:edit", "campaign", MANAGE),
    ("leo", "get", "funds:import", "campaign", MANAGE),
    ("leo", "post", "funds:notice_publish", "campaign", MANAGE),
    ("leo", "post", "funds:member_add", "campaign", MANAGE),
    ("rita", "get", "funds:unit", "unit", "意见由工作小组成员和本楼楼组长登记。"),
    ("leo", "post", "funds:unit_payment", "unit", "缴款由管理人员和物业公司成员登记。"),
    ("leo", "get", "funds:unit_correct", "unit", MANAGE),
    ("leo", "get", "funds:payment_correct", "payment", MANAGE),
    ("alice", "get", "funds:payment_correct", "correction", "更正记录本身不能再更正。"),
    ("leo", "get", "funds:inspections", None, "街道的验收仅供该街道办工作人员和区级、市级用户查看。"),
    ("cindy", "get", "funds:check_schedule", "application", "只有本街道的工作人员可以安排验收。"),
    ("carl", "post", "funds:check", "check", STAFF_SCORES),
    ("carl", "post", "funds:check_photo", "check", STAFF_SCORES),
    ("rita", "get", "funds:awards", None, "温馨楼组称号页面仅供街道办、街道财务、居委会、楼组长和区级、市级用户查看。"),
    ("carl", "post", "funds:award_status", ("award", "suspend"), "只有本街道的工作人员可以进行此操作。"),
    ("fay", "get", "funds:payout_propose", "award", "只有街道工作人员可以提出拨付。"),
    ("leo", "get", "funds:payouts", None, PAYOUTS),
    ("leo", "get", "funds:payouts_export", None, PAYOUTS),
    ("carl", "get", "funds:budget", None, PAYOUTS),
    ("fay", "post", "funds:payout_step", ("payout", "receipts"), "只有本街道的工作人员可以添加票据。"),
    ("carl", "post", "funds:ledger", "award", "只有本楼组的楼组长可以记账。"),
]


@pytest.fixture
def things(world):
    campaign = make_campaign(world)
    unit = add_units(campaign, 1)[0]
    payment = payment_record(
        unit=unit, amount=Decimal("10.00"), paid_on=timezone.localdate(), channel="cash", recorded_by=world.alice
    )
    correction = payment_correct(payment=payment, amount=Decimal("1.00"), reason="多记", recorded_by=world.alice)
    award = award_for(world)
    payout = payout_propose(
        award=award,
        actor=world.alice,
        kind=PayoutKind.RENOVATION,
        amount=Decimal("100.00"),
        receipts=[("pdf", ContentFile(PDF, name="r.pdf"), Decimal("100000.00"))],
    )
    application = ready_for_inspection(world, group=world.g2, leader=world.lena, title="二期")
    return {
        "campaign": campaign,
        "unit": unit,
        "payment": payment,
        "correction": correction,
        "award": award,
        "check": award.check_record,
        "payout": payout,
        "application": application,
    }


@pytest.mark.parametrize(("persona", "method", "name", "target", "reason"), CASES)
def test_a_forbidden_funds_page_says_why_in_chinese(world, things, client, persona, method, name, target, reason):
    if target is None:
        args = []
    elif isinstance(target, tuple):
        args = [things[target[0]].pk, target[1]]
    else:
        args = [things[target].pk]
    client.force_login(getattr(world, persona))
    response = getattr(client, method)(reverse(name, args=args))
    assert response.status_code == 403
    assert reason in response.content.decode()
