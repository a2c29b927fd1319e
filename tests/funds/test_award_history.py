"""Every change of a warm-corridor title is kept (who, when, from, to, why) and told to the
group's leader and its residents' committee."""

import pytest
from django.utils import translation

from common.refusals import Refused
from corridors.models import Notification
from funds.models import Award
from funds.services.awards import award_reinstate, award_revoke, award_suspend
from tests.funds.test_acceptance import award_for


@pytest.fixture
def award(world):
    return award_for(world)


def test_reinstating_keeps_the_suspensions_reason(world, award, as_user):
    award_suspend(award=award, actor=world.alice, reason="楼道堆物")
    award_reinstate(award=award, actor=world.alice, reason="已清理")
    history = list(award.transitions.values_list("action", "actor__username", "from_state", "to_state", "note"))
    assert history == [
        ("award", "alice", "", "active", ""),
        ("suspend", "alice", "active", "suspended", "楼道堆物"),
        ("reinstate", "alice", "suspended", "active", "已清理"),
    ]
    # The award's page shows the whole history, to the leader too.
    page = as_user(world.leo).get(award.get_absolute_url()).content.decode()
    assert "楼道堆物" in page and "已清理" in page and "暂停" in page


def test_each_change_tells_the_leader_and_the_committee_not_the_actor(world, award):
    with translation.override("en"):
        award_suspend(award=award, actor=world.alice, reason="楼道堆物")
        award_revoke(award=award, actor=world.alice, reason="复查不合格")
    for verb, reason in (("暂停", "楼道堆物"), ("撤销", "复查不合格")):
        told = Notification.objects.filter(verb=verb)
        assert sorted(told.values_list("recipient__username", flat=True)) == ["carl", "leo"], verb
        assert all(reason in n.message and n.url == award.get_absolute_url() for n in told)
    assert not Notification.objects.filter(recipient=world.alice).exists()
    # Nobody of another neighbourhood or group is told.
    assert not Notification.objects.filter(recipient__in=[world.cindy, world.lena]).exists()


def test_a_refused_change_writes_no_history_and_tells_nobody(world, award):
    with pytest.raises(Refused):
        award_reinstate(award=award, actor=world.alice, reason="未暂停")
    with pytest.raises(Refused):
        award_suspend(award=award, actor=world.leo, reason="组长无权")
    assert award.transitions.count() == 1
    assert not Notification.objects.filter(verb__in=["暂停", "恢复"]).exists()


def test_award_status_labels_have_their_own_context():
    with translation.override("zh-hans"):
        # Not the accounts' "启用" (enabled): the award's own word once translated.
        assert str(Award.State.ACTIVE.label) != "启用"
    with translation.override("en"):
        assert [str(s.label) for s in Award.State] == ["Active", "Suspended", "Revoked"]
