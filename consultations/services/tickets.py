"""The queue at a stall (``consultations.workflows.ticket``): numbers, call next, and each
ticket's steps.

Numbers are sequential per stall and never repeat: issuing locks the stall row, and a unique
constraint is the last line. Each step locks the ticket row, asks ``TICKET.check`` (refusing
a stale click, a wrong state or someone who does not run the stall, with the reason) and
writes one ``TicketEvent``.
"""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from common.refusals import Refused
from consultations.models import ConsultationRequest, Stall, Ticket, TicketEvent
from consultations.selectors import stall_roles
from consultations.workflows.request import OPEN_STATES
from consultations.workflows.ticket import CALL, ISSUE, LIVE_TICKET_STATES, STALL_RUNNERS, TICKET, TicketState
from corridors.models import Role, RoleAssignment, User


def _not_a_runner() -> Refused:
    return Refused(_("Only the officers of this department or the street office may do this."))


def _record(ticket: Ticket, actor: User, action: str, from_state: str, fields: list[str]) -> Ticket:
    ticket.save(update_fields=["state", "updated_at", *fields])
    TicketEvent.objects.create(ticket=ticket, actor=actor, action=action, from_state=from_state, to_state=ticket.state)
    return ticket


@transaction.atomic
def ticket_issue(
    *, actor: User, stall: Stall, representative: User, request: ConsultationRequest | None = None
) -> Ticket:
    """Check a representative in at a stall: the next number there, never a duplicate.

    A representative holds at most one live ticket per stall; with a request (pre-filed
    for this department) the ticket points to it.
    """
    # Two officers issuing numbers at the same stall at once: the second waits here for the
    # first to commit, then reads the number the first one took.
    locked = Stall.objects.select_for_update(of=("self",)).select_related("conference", "department").get(pk=stall.pk)
    if not stall_roles(actor, locked) & STALL_RUNNERS:
        raise _not_a_runner()
    if locked.conference.date < timezone.localdate():
        raise Refused(
            _("%(conference)s is over: no more numbers are given at its stalls.") % {"conference": locked.conference}
        )
    if not RoleAssignment.objects.filter(
        user=representative, role=Role.REPRESENTATIVE, street_id=locked.conference.street_id
    ).exists():
        raise Refused(_("%(name)s is not a representative of this street.") % {"name": representative})
    if request is not None and (
        request.representative_id != representative.pk
        or request.department_id != locked.department_id
        or request.state not in OPEN_STATES
    ):
        raise Refused(_("This request is not an open request of this representative for this stall."))
    live = Ticket.objects.filter(stall=locked, representative=representative, state__in=LIVE_TICKET_STATES).first()
    if live is not None:
        raise Refused(
            _("%(name)s already holds number %(number)s at this stall.")
            % {"name": representative, "number": live.number}
        )
    last = Ticket.objects.filter(stall=locked).aggregate(last=Max("number"))["last"] or 0
    ticket = Ticket(stall=locked, representative=representative, request=request, number=last + 1, issued_by=actor)
    try:
        # The lock above serialises issuing; the unique constraint is the last line.
        with transaction.atomic():
            ticket.save()
    except IntegrityError as exc:
        raise Refused(_("Two tickets were issued at once; please try again.")) from exc
    TicketEvent.objects.create(ticket=ticket, actor=actor, action=ISSUE, from_state="", to_state=ticket.state)
    return ticket


@transaction.atomic
def ticket_call_next(*, actor: User, stall: Stall) -> Ticket:
    """Call the lowest waiting number at the stall (the board shows it)."""
    stall = Stall.objects.select_related("conference").get(pk=stall.pk)
    roles = stall_roles(actor, stall)
    if not roles & STALL_RUNNERS:
        raise _not_a_runner()
    # Two officers pressing "call next" at once (or one holding that very number): the second
    # waits on the row, then PostgreSQL re-reads it, skips it and takes the next waiting number.
    ticket = (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("stall")
        .filter(stall=stall, state=TicketState.WAITING)
        .order_by("number")
        .first()
    )
    if ticket is None:
        raise Refused(_("No one is waiting at this stall."))
    transition = TICKET.check(CALL, ticket, roles=roles)
    ticket.state = transition.target
    ticket.called_at = timezone.now()
    return _record(ticket, actor, CALL, TicketState.WAITING, ["called_at"])


def _step(ticket: Ticket, actor: User, name: str, expected_state: str | None) -> Ticket:
    # Two officers clicking on the same ticket at once: the second waits here, then sees the
    # first one's result and is told.
    locked = Ticket.objects.select_for_update(of=("self",)).select_related("stall__conference").get(pk=ticket.pk)
    transition = TICKET.check(name, locked, roles=stall_roles(actor, locked.stall), expected_state=expected_state)
    from_state = locked.state
    locked.state = transition.target
    return _record(locked, actor, name, from_state, [])


@transaction.atomic
def ticket_serve(*, actor: User, ticket: Ticket, expected_state: str | None = None) -> Ticket:
    """The called representative has come to the table."""
    return _step(ticket, actor, "serve", expected_state)


@transaction.atomic
def ticket_done(*, actor: User, ticket: Ticket, expected_state: str | None = None) -> Ticket:
    """The conversation is over (the request's outcome is its own step)."""
    return _step(ticket, actor, "done", expected_state)


@transaction.atomic
def ticket_no_show(*, actor: User, ticket: Ticket, expected_state: str | None = None) -> Ticket:
    """The called number did not come; the number is not reused."""
    return _step(ticket, actor, "no_show", expected_state)


@transaction.atomic
def ticket_hold(*, actor: User, ticket: Ticket, expected_state: str | None = None) -> Ticket:
    """Put a ticket aside (the representative stepped away) without losing the number."""
    return _step(ticket, actor, "hold", expected_state)


@transaction.atomic
def ticket_resume(*, actor: User, ticket: Ticket, expected_state: str | None = None) -> Ticket:
    """A held ticket goes back in the queue with its own number (so ahead of later numbers)."""
    return _step(ticket, actor, "resume", expected_state)
