"""Who is told of each step of the funds workflows, sent through the one inbox-and-mail door
(``corridors.services.notifications.notify``, after commit, never to the actor).

Each workflow table names its notify roles relative to the object (``funds/workflows/``);
this module turns them into people and writes the message as source texts and parameters
(``common.systemtext``), so each reader sees it in their own language:

- payouts: ``FINANCE`` (the street's finance approvers) and ``PROPOSER`` get the payout's
  page; the group's ``LEADER``, who does not see payouts, gets the award's page;
- awards: the group's ``LEADER`` and its neighbourhood's ``COMMITTEE`` get the award's page;
- the public notice: nobody (it is for the public).
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy

from common.money import yuan
from common.systemtext import Text, choice, word
from common.workflows import Transition
from corridors.models import Role, RoleAssignment, User
from corridors.services.notifications import notify
from funds.models import Award, MoneyEvent, Payout
from funds.workflows.payout import PROPOSER

# The inbox heading of a payout step is the money log's word for it.
PAYOUT_EVENTS = {
    "propose": MoneyEvent.Kind.PAYOUT_PROPOSED,
    "approve": MoneyEvent.Kind.PAYOUT_APPROVED,
    "reject": MoneyEvent.Kind.PAYOUT_REJECTED,
    "pay": MoneyEvent.Kind.PAYOUT_PAID,
    "cancel": MoneyEvent.Kind.PAYOUT_CANCELLED,
}


def people(wanted: Q) -> list[User]:
    """Active holders of the role assignments ``wanted`` selects, in a stable order."""
    return list(
        User.objects.filter(is_active=True, pk__in=RoleAssignment.objects.filter(wanted).values("user_id")).order_by(
            "pk"
        )
    )


def _award_people(award: Award, roles) -> list[User]:
    wanted = Q(pk__in=[])
    if Role.LEADER in roles:
        wanted |= Q(role=Role.LEADER, building_group_id=award.group_id)
    if Role.COMMITTEE in roles:
        wanted |= Q(role=Role.COMMITTEE, neighbourhood_id=award.group.building.compound.neighbourhood_id)
    return people(wanted)


def tell_payout(payout: Payout, transition: Transition, actor: User, reason: str = "") -> None:
    """Tell who acts next or who waits for the money, per the payout table's notify roles."""
    award = payout.award
    # Kept as source texts and parameters: each reader sees it in their own language.
    event = word(MoneyEvent.Kind(PAYOUT_EVENTS[transition.name]).label)
    lines = [
        Text(
            gettext_lazy("Payout #%(number)s to %(group)s (%(certificate)s): %(kind)s, %(amount)s."),
            number=payout.pk,
            group=award.group,
            certificate=award.certificate_number,
            kind=word(Payout.Kind(payout.kind).label),
            amount=yuan(payout.amount),
        ),
        Text(gettext_lazy("%(actor)s: %(event)s."), actor=actor, event=event),
    ]
    if reason:
        lines.append(Text(gettext_lazy("Reason: %(reason)s"), reason=reason))
    told = {
        "actor": actor,
        "verb": Text(MoneyEvent.Kind(PAYOUT_EVENTS[transition.name]).label),
        "message": lines,
        "application": award.application,
        "subject": Text(gettext_lazy("%(group)s: %(event)s"), group=award.group, event=event),
        "key": f"funds.payout.{transition.name}",
    }
    # Those who see the payout itself get its page.
    on_payout = []
    if Role.FINANCE in transition.notify:
        on_payout += people(Q(role=Role.FINANCE, street_id=award.programme_year.street_id))
    if PROPOSER in transition.notify and payout.proposed_by.is_active:
        on_payout.append(payout.proposed_by)
    notify(recipients=on_payout, url=payout.get_absolute_url(), **told)
    # The leader does not see payouts: the award's page shows the money.
    if Role.LEADER in transition.notify:
        told_already = {user.pk for user in on_payout}
        leaders = [user for user in _award_people(award, {Role.LEADER}) if user.pk not in told_already]
        notify(recipients=leaders, url=award.get_absolute_url(), **told)


def tell_award(award: Award, transition: Transition, actor: User, reason: str = "") -> None:
    """Tell the group's leader and its residents' committee that the title changed, and why."""
    recipients = _award_people(award, transition.notify)
    if not recipients:
        return
    event = word(transition.label)
    lines = [
        Text(
            gettext_lazy("Warm-corridor title %(certificate)s of %(group)s is now “%(state)s”."),
            certificate=award.certificate_number,
            group=award.group,
            state=choice(award),
        ),
        Text(gettext_lazy("%(actor)s: %(event)s."), actor=actor, event=event),
    ]
    if reason:
        lines.append(Text(gettext_lazy("Reason: %(reason)s"), reason=reason))
    notify(
        recipients=recipients,
        actor=actor,
        verb=Text(transition.label),
        message=lines,
        url=award.get_absolute_url(),
        application=award.application,
        subject=Text(gettext_lazy("%(group)s: %(event)s"), group=award.group, event=event),
        key=f"funds.award.{transition.name}",
    )
