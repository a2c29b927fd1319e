"""Who may suspend, reinstate or revoke a warm-corridor title in which state: the expected
answers written out here, independently of ``funds/workflows/award.py``, asked of the services."""

import pytest

from funds.services.awards import award_reinstate, award_revoke, award_suspend
from tests.funds.rules.conftest import who_may
from tests.funds.test_acceptance import award_for

STAFF = {"staff", "staff_and_finance"}
EXPECTED = {
    "active": {"suspend": STAFF, "reinstate": set(), "revoke": STAFF},
    "suspended": {"suspend": set(), "reinstate": STAFF, "revoke": STAFF},
    "revoked": {"suspend": set(), "reinstate": set(), "revoke": set()},
}
ACTIONS = {
    "suspend": award_suspend,
    "reinstate": award_reinstate,
    "revoke": award_revoke,
}


@pytest.mark.parametrize("state", list(EXPECTED))
def test_who_may_change_a_title(world, people, state):
    award = award_for(world)
    if state in ("suspended", "revoked"):
        award = award_suspend(award=award, actor=world.alice, reason="楼道堆物")
    if state == "revoked":
        award = award_revoke(award=award, actor=world.alice, reason="复查不合格")
    actual = {
        action: who_may(people, lambda user, step=step: step(award=award, actor=user, reason="检查"))
        for action, step in ACTIONS.items()
    }
    assert actual == EXPECTED[state]
