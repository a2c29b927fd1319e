"""Payout steps tell people: proposed → the street's finance approvers; approved, rejected, paid,
cancelled → the proposer and the group's leader. Inbox row + e-mail after commit, never the
actor, nothing for a refused step; each link opens a page the recipient may see."""

import uuid
from decimal import Decimal

import pytest
from django.conf import settings as project_settings
from django.urls import reverse
from django.utils import timezone, translation

from common.refusals import Refused
from corridors.models import Notification, Role
from corridors.services.people import role_assign
from funds.models import MoneyEvent, PayoutKind
from funds.services.payouts import payout_approve, payout_cancel, payout_mark_paid, payout_propose, payout_reject
from tests import factories as f
from tests.funds.test_acceptance import award_for
from tests.funds.test_payouts import culture


@pytest.fixture
def award(world):
    return award_for(world)


@pytest.fixture
def frank(world):
    """Street staff and finance approver of our street: he may propose, but not approve his own."""
    user = f.UserFactory(username="frank")
    role_assign(user=user, role=Role.STREET_STAFF, street=world.street)
    role_assign(user=user, role=Role.FINANCE, street=world.street)
    return user


def verb(kind: str) -> str:
    """The inbox heading of a payout step: its label in the site's language."""
    with translation.override(project_settings.LANGUAGE_CODE):
        return str(MoneyEvent.Kind(kind).label)


def told(kind: str) -> dict[str, str]:
    """Who was told of one kind of step, with the link each was given."""
    label = verb(kind)
    rows = Notification.objects.filter(verb=label).values_list("recipient__username", "url")
    return dict(rows)


@pytest.fixture
def addresses(world):
    for user in (world.alice, world.fay, world.leo):
        user.email = f"{user.username}@example.org"
        user.save()


def test_a_proposal_tells_the_finance_approvers_not_the_proposer(
    world, award, frank, addresses, mailoutbox, run_jobs_here
):
    other_finance = f.UserFactory(username="fiona")
    role_assign(user=other_finance, role=Role.FINANCE, street=world.other_street)
    with run_jobs_here():
        payout = culture(world, award, actor=frank)
    # frank is a finance approver too, but he proposed it (four eyes); fiona is another street's.
    assert told(MoneyEvent.Kind.PAYOUT_PROPOSED) == {"fay": payout.get_absolute_url()}
    assert [m.to for m in mailoutbox] == [["fay@example.org"]]
    body = mailoutbox[0].body
    assert f"{project_settings.SITE_URL}{payout.get_absolute_url()}" in body
    assert award.certificate_number in body and "¥2,000.00" in body
    notification = Notification.objects.get(recipient=world.fay)
    assert notification.application == award.application and notification.actor == frank


def test_approval_and_payment_tell_the_proposer_and_the_leader(world, award, addresses, mailoutbox, run_jobs_here):
    payout = culture(world, award)
    mailoutbox.clear()
    with run_jobs_here():
        payout_approve(payout=payout, actor=world.fay)
    # The leader does not see payouts: the link is the award page, which shows the money.
    expected = {"alice": payout.get_absolute_url(), "leo": award.get_absolute_url()}
    assert told(MoneyEvent.Kind.PAYOUT_APPROVED) == expected
    assert sorted(m.to[0] for m in mailoutbox) == ["alice@example.org", "leo@example.org"]
    with run_jobs_here():
        payout_mark_paid(payout=payout, actor=world.fay, paid_on=timezone.localdate(), reference="ICBC-1")
    assert told(MoneyEvent.Kind.PAYOUT_PAID) == expected
    assert len(mailoutbox) == 4
    assert (
        not Notification.objects.filter(recipient=world.fay)
        .exclude(verb=verb(MoneyEvent.Kind.PAYOUT_PROPOSED))
        .exists()
    )


def test_rejection_and_cancellation_tell_with_the_reason(world, award, mailoutbox, run_jobs_here):
    first = culture(world, award)
    payout_reject(payout=first, actor=world.fay, reason="材料不全")
    rejected = Notification.objects.get(recipient=world.alice, verb=verb(MoneyEvent.Kind.PAYOUT_REJECTED))
    assert "材料不全" in rejected.message
    assert set(told(MoneyEvent.Kind.PAYOUT_REJECTED)) == {"alice", "leo"}

    second = culture(world, award)
    payout_cancel(payout=second, actor=world.alice, reason="重复申请")
    # alice cancelled her own proposal: only the leader is told.
    assert set(told(MoneyEvent.Kind.PAYOUT_CANCELLED)) == {"leo"}
    assert "重复申请" in Notification.objects.get(verb=verb(MoneyEvent.Kind.PAYOUT_CANCELLED)).message


def test_a_refused_step_tells_nobody(world, award, frank, mailoutbox, run_jobs_here):
    payout = culture(world, award, actor=frank)
    before = Notification.objects.count()
    with run_jobs_here(), pytest.raises(Refused):
        payout_approve(payout=payout, actor=frank)  # four eyes
    with run_jobs_here(), pytest.raises(Refused):
        payout_mark_paid(payout=payout, actor=world.fay, paid_on=timezone.localdate(), reference="X")
    assert Notification.objects.count() == before
    assert mailoutbox == []


def test_a_double_submitted_proposal_tells_once(world, award):
    token = uuid.uuid4()
    for _ in range(2):
        payout_propose(award=award, actor=world.alice, kind=PayoutKind.CULTURE_FUND, request_token=token)
    assert Notification.objects.filter(recipient=world.fay).count() == 1


def test_each_recipient_can_open_the_link(world, award, client):
    payout = culture(world, award)
    payout_approve(payout=payout, actor=world.fay)
    for user in (world.fay, world.alice, world.leo):
        for notification in Notification.objects.filter(recipient=user):
            client.force_login(user)
            response = client.post(reverse("inbox:open", args=[notification.pk]))
            assert response.status_code == 302 and response.url == notification.url
            assert client.get(response.url).status_code == 200
    assert Decimal(payout.amount) == Decimal("2000.00")
