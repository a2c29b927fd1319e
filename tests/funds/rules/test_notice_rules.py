"""Who may publish or withdraw a campaign's public notice in which state: the expected
answers written out here, independently of ``funds/workflows/notice.py``, asked of the services."""

import pytest

from funds.services.notice import notice_publish, notice_withdraw
from tests.funds.conftest import make_campaign
from tests.funds.rules.conftest import who_may

MANAGERS = {"staff", "staff_and_finance", "committee"}
EXPECTED = {
    "unpublished": {"publish": MANAGERS, "withdraw": set()},
    "published": {"publish": set(), "withdraw": MANAGERS},
    "withdrawn": {"publish": MANAGERS, "withdraw": set()},
}


@pytest.mark.parametrize("state", list(EXPECTED))
def test_who_may_publish_or_withdraw_the_notice(world, people, state):
    campaign = make_campaign(world)
    if state in ("published", "withdrawn"):
        notice_publish(campaign=campaign, actor=world.alice)
    if state == "withdrawn":
        notice_withdraw(campaign=campaign, actor=world.alice)
    campaign.notice.refresh_from_db()
    assert campaign.notice.state == state
    actual = {
        "publish": who_may(people, lambda user: notice_publish(campaign=campaign, actor=user)),
        "withdraw": who_may(people, lambda user: notice_withdraw(campaign=campaign, actor=user)),
    }
    assert actual == EXPECTED[state]
