"""Stall consultations: every write, one function per action (DESIGN.md §3).

Each request step locks the request row, re-checks its state and the actor's role against
the table in ``consultations.workflow`` and writes one ``RequestEvent``; each ticket step
does the same with a ``TicketEvent``. A forbidden or stale step raises
``TransitionNotAllowed`` (a ``ConsultationError``) with the reason and changes nothing.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.models import (
    Attachment,
    Category,
    Conference,
    ConsultationRequest,
    RepresentativeTerm,
    RequestEvent,
    Stall,
    Ticket,
    TicketEvent,
)
from consultations.notifications import notify_step
from consultations.selectors import FILE_ROLES, can_run_stall, request_roles
from consultations.workflow import (
    ACTIONS,
    FILE,
    FILE_ON_BEHALF,
    FILING_NOTIFY,
    LIVE_TICKET_STATES,
    OPEN_STATES,
    REGISTER_WALK_IN,
    TICKET_ACTIONS,
    Action,
    Channel,
    RequestState,
    TicketState,
)
from corridors.models import Building, Compound, Department, Neighbourhood, Role, RoleAssignment, Street, User
from corridors.selectors import scope_of

PUBLIC_SUMMARY_LENGTH = ConsultationRequest._meta.get_field("public_summary").max_length
DEFAULT_CATEGORIES = ["电梯", "垃圾分类", "房屋维修", "绿化", "停车", "安全", "其他"]


class ConsultationError(Exception):
    """A refused write; ``reason`` is shown to the user as it is."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class TransitionNotAllowed(ConsultationError):
    """A step that the table, the state or the actor's role does not allow now."""


# --- Set-up: categories, conferences, stalls ----------------------------------------------


def _require_staff(actor: User, street_id: int) -> None:
    if street_id not in scope_of(actor).staff_streets:
        raise ConsultationError(_("Only the street office may do this."))


@transaction.atomic
def categories_ensure_defaults(*, street: Street) -> None:
    """Give a street the default category list once; the street edits it afterwards."""
    if Category.objects.filter(street=street).exists():
        return
    Category.objects.bulk_create(
        Category(street=street, name=name, position=i) for i, name in enumerate(DEFAULT_CATEGORIES)
    )


def _category_name(street_id: int, name: str, exclude_pk: int | None = None) -> str:
    name = name.strip()
    if not name:
        raise ConsultationError(_("Please give the category a name."))
    if Category.objects.filter(street_id=street_id, name=name).exclude(pk=exclude_pk).exists():
        raise ConsultationError(_("This category already exists."))
    return name


@transaction.atomic
def category_add(*, actor: User, street: Street, name: str) -> Category:
    """A new category at the end of the street's list."""
    _require_staff(actor, street.pk)
    name = _category_name(street.pk, name)
    position = (Category.objects.filter(street=street).aggregate(m=Max("position"))["m"] or 0) + 1
    try:
        # Two staff adding the same name at once: the unique constraint is the last line.
        with transaction.atomic():
            return Category.objects.create(street=street, name=name, position=position)
    except IntegrityError as exc:
        raise ConsultationError(_("This category already exists.")) from exc


@transaction.atomic
def category_rename(*, actor: User, category: Category, name: str) -> Category:
    """Rename a category; its requests keep it (they point to the category, not the name)."""
    _require_staff(actor, category.street_id)
    locked = Category.objects.select_for_update().get(pk=category.pk)
    locked.name = _category_name(locked.street_id, name, exclude_pk=locked.pk)
    try:
        with transaction.atomic():
            locked.save(update_fields=["name"])
    except IntegrityError as exc:
        raise ConsultationError(_("This category already exists.")) from exc
    return locked


@transaction.atomic
def category_set_active(*, actor: User, category: Category, active: bool) -> Category:
    """An inactive category is no longer offered for new requests; existing requests keep it."""
    _require_staff(actor, category.street_id)
    category.is_active = active
    category.save(update_fields=["is_active"])
    return category


# --- Representatives' terms -------------------------------------------------------------------


@transaction.atomic
def representative_term_add(
    *,
    actor: User,
    representative: User,
    neighbourhood: Neighbourhood,
    term: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
) -> RepresentativeTerm:
    """Record the term (e.g. 第四届) a representative of the neighbourhood serves."""
    _require_staff(actor, neighbourhood.street_id)
    if not RoleAssignment.objects.filter(
        user=representative, role=Role.REPRESENTATIVE, neighbourhood=neighbourhood
    ).exists():
        raise ConsultationError(
            _("%(name)s is not a representative of %(neighbourhood)s.")
            % {"name": representative, "neighbourhood": neighbourhood}
        )
    if ends_on <= starts_on:
        raise ConsultationError(_("A term ends after it starts."))
    term = term.strip()
    if RepresentativeTerm.objects.filter(
        representative=representative, neighbourhood=neighbourhood, term=term
    ).exists():
        raise ConsultationError(_("This term is already recorded."))
    return RepresentativeTerm.objects.create(
        representative=representative, neighbourhood=neighbourhood, term=term, starts_on=starts_on, ends_on=ends_on
    )


@transaction.atomic
def conference_create(*, actor: User, street: Street, name: str, date: datetime.date, venue: str) -> Conference:
    """A new conference of the street; its name is unique in the street."""
    _require_staff(actor, street.pk)
    name = name.strip()
    if Conference.objects.filter(street=street, name=name).exists():
        raise ConsultationError(_("A conference with this name already exists."))
    try:
        # Two staff creating the same conference at once both pass the check above: the
        # unique constraint is the last line, and the second one gets the same reason.
        with transaction.atomic():
            return Conference.objects.create(street=street, name=name, date=date, venue=venue)
    except IntegrityError as exc:
        raise ConsultationError(_("A conference with this name already exists.")) from exc


@transaction.atomic
def stall_open(
    *, actor: User, conference: Conference, department: Department, officers=(), location: str = ""
) -> Stall:
    """A department's stall at a conference, with the officers on duty (all of the department's)."""
    _require_staff(actor, conference.street_id)
    if department.street_id != conference.street_id:
        raise ConsultationError(_("This department belongs to another street."))
    stall, created = Stall.objects.get_or_create(
        conference=conference, department=department, defaults={"location": location}
    )
    if not created:
        raise ConsultationError(_("This department already has a stall at this conference."))
    for officer in officers:
        _check_officer(officer, department)
    stall.officers.set(officers)
    return stall


def _check_officer(officer: User, department: Department) -> None:
    if not RoleAssignment.objects.filter(user=officer, role=Role.OFFICER, department=department).exists():
        raise ConsultationError(
            _("%(name)s is not an officer of %(department)s.") % {"name": officer, "department": department}
        )


# --- Filing a request -----------------------------------------------------------------------


def _check_request_fields(
    *,
    street_id: int,
    compound: Compound,
    building: Building | None,
    households: int,
    category: Category,
    department: Department,
) -> None:
    if building is not None and building.compound_id != compound.pk:
        raise ConsultationError(_("This building is not in the chosen compound."))
    if households < 1:
        raise ConsultationError(_("At least one household must entrust the request."))
    if building is not None and households > building.households:
        raise ConsultationError(
            _("%(building)s has only %(total)s households.") % {"building": building, "total": building.households}
        )
    if category.street_id != street_id or not category.is_active:
        raise ConsultationError(_("Please choose one of the street's categories."))
    if department.street_id != street_id or not department.is_active:
        raise ConsultationError(_("Please choose one of the street's departments."))


def _create_request(*, actor: User, action: str, attachments, **fields) -> ConsultationRequest:
    request = ConsultationRequest.objects.create(registered_by=actor, **fields)
    RequestEvent.objects.create(
        request=request,
        actor=actor,
        action=action,
        from_state="",
        to_state=request.state,
        department_to=request.department,
    )
    for kind, content in attachments:
        Attachment.objects.create(request=request, kind=kind, file=content, uploaded_by=actor)
    notify_step(request=request, actor=actor, action=action, roles=FILING_NOTIFY[action])
    return request


def _file(
    *,
    actor: User,
    representative: User,
    action: str,
    compound: Compound,
    building: Building | None,
    households: int,
    category: Category,
    title: str,
    text: str,
    department: Department,
    conference: Conference | None,
    attachments,
) -> ConsultationRequest:
    neighbourhood = compound.neighbourhood
    street_id = neighbourhood.street_id
    _check_request_fields(
        street_id=street_id,
        compound=compound,
        building=building,
        households=households,
        category=category,
        department=department,
    )
    if conference is not None and (conference.street_id != street_id or conference.date < timezone.localdate()):
        raise ConsultationError(_("Requests can be pre-filed only for an upcoming conference of your street."))
    return _create_request(
        actor=actor,
        action=action,
        attachments=attachments,
        representative=representative,
        neighbourhood=neighbourhood,
        compound=compound,
        building=building,
        households=households,
        category=category,
        title=title.strip(),
        text=text.strip(),
        department=department,
        conference=conference,
        channel=Channel.PRE_FILED if conference else Channel.YEAR_ROUND,
    )


@transaction.atomic
def request_file(
    *,
    actor: User,
    compound: Compound,
    building: Building | None,
    households: int,
    category: Category,
    title: str,
    text: str,
    department: Department,
    conference: Conference | None = None,
    attachments=(),
) -> ConsultationRequest:
    """A representative files a request for their own neighbourhood; the department is told.

    With an upcoming conference it is pre-filed for that conference's stall; without one it
    goes to the department straight away (any time of year). ``attachments`` are
    ``(kind, ContentFile)`` pairs from ``ReceiptField``.
    """
    if compound.neighbourhood_id not in scope_of(actor).representative_neighbourhoods:
        raise ConsultationError(_("You may file requests only for your own neighbourhood."))
    return _file(
        actor=actor,
        representative=actor,
        action=FILE,
        compound=compound,
        building=building,
        households=households,
        category=category,
        title=title,
        text=text,
        department=department,
        conference=conference,
        attachments=attachments,
    )


@transaction.atomic
def request_file_on_behalf(
    *,
    actor: User,
    representative: User,
    compound: Compound,
    building: Building | None,
    households: int,
    category: Category,
    title: str,
    text: str,
    department: Department,
    conference: Conference | None = None,
    attachments=(),
) -> ConsultationRequest:
    """The residents' committee files for a representative of its neighbourhood who cannot use the site.

    The request is the representative's (they see, confirm or reopen it); the history row
    names the committee member who wrote it down, and the representative and the department
    are told.
    """
    neighbourhood = compound.neighbourhood
    if neighbourhood.pk not in scope_of(actor).committee_neighbourhoods:
        raise ConsultationError(_("You may file requests only for your own neighbourhood."))
    if not RoleAssignment.objects.filter(
        user=representative, role=Role.REPRESENTATIVE, neighbourhood=neighbourhood, user__is_active=True
    ).exists():
        raise ConsultationError(
            _("%(name)s is not a representative of %(neighbourhood)s.")
            % {"name": representative, "neighbourhood": neighbourhood}
        )
    return _file(
        actor=actor,
        representative=representative,
        action=FILE_ON_BEHALF,
        compound=compound,
        building=building,
        households=households,
        category=category,
        title=title,
        text=text,
        department=department,
        conference=conference,
        attachments=attachments,
    )


@transaction.atomic
def request_register_walk_in(
    *,
    actor: User,
    stall: Stall,
    representative: User,
    compound: Compound,
    building: Building | None,
    households: int,
    category: Category,
    title: str,
    text: str,
    attachments=(),
) -> ConsultationRequest:
    """Staff at a stall write down a request a representative brings in person.

    The request goes to the stall's department at the stall's conference; the
    representative's live ticket at the stall, if it has no request yet, points to it.
    """
    if not can_run_stall(actor, stall):
        raise ConsultationError(_("Only the officers of this department or the street office may do this."))
    neighbourhood = compound.neighbourhood
    if not RoleAssignment.objects.filter(
        user=representative, role=Role.REPRESENTATIVE, neighbourhood=neighbourhood
    ).exists():
        raise ConsultationError(
            _("%(name)s is not a representative of %(neighbourhood)s.")
            % {"name": representative, "neighbourhood": neighbourhood}
        )
    street_id = stall.conference.street_id
    if neighbourhood.street_id != street_id:
        raise ConsultationError(_("This compound belongs to another street."))
    _check_request_fields(
        street_id=street_id,
        compound=compound,
        building=building,
        households=households,
        category=category,
        department=stall.department,
    )
    request = _create_request(
        actor=actor,
        action=REGISTER_WALK_IN,
        attachments=attachments,
        representative=representative,
        neighbourhood=neighbourhood,
        compound=compound,
        building=building,
        households=households,
        category=category,
        title=title.strip(),
        text=text.strip(),
        department=stall.department,
        conference=stall.conference,
        channel=Channel.WALK_IN,
    )
    Ticket.objects.filter(
        stall=stall, representative=representative, state__in=LIVE_TICKET_STATES, request__isnull=True
    ).update(request=request)
    return request


@transaction.atomic
def attachment_add(*, actor: User, request: ConsultationRequest, kind: str, content) -> Attachment:
    """Add a photo or scan to a request that is not closed, by anyone who may act on it."""
    locked = _lock(request)
    if not request_roles(actor, locked) & FILE_ROLES:
        raise ConsultationError(_("You may not add files to this request."))
    if locked.state not in OPEN_STATES | {RequestState.RESOLVED}:
        raise ConsultationError(_("This request is closed."))
    return Attachment.objects.create(request=locked, kind=kind, file=content, uploaded_by=actor)


# --- The queue at a stall --------------------------------------------------------------------


def _lock_stall(stall: Stall) -> Stall:
    # Two officers issuing tickets (or calling next) at once: the second waits here for the
    # first to commit, then reads the number the first one took.
    return Stall.objects.select_for_update(of=("self",)).select_related("conference", "department").get(pk=stall.pk)


def _ticket_event(ticket: Ticket, actor: User, action: str, from_state: str) -> None:
    TicketEvent.objects.create(ticket=ticket, actor=actor, action=action, from_state=from_state, to_state=ticket.state)


@transaction.atomic
def ticket_issue(
    *, actor: User, stall: Stall, representative: User, request: ConsultationRequest | None = None
) -> Ticket:
    """Check a representative in at a stall: the next number there, never a duplicate.

    A representative holds at most one live ticket per stall; with a request (pre-filed
    for this department) the ticket points to it.
    """
    locked = _lock_stall(stall)
    if not can_run_stall(actor, locked):
        raise ConsultationError(_("Only the officers of this department or the street office may do this."))
    if locked.conference.date < timezone.localdate():
        raise ConsultationError(
            _("%(conference)s is over: no more numbers are given at its stalls.") % {"conference": locked.conference}
        )
    if not RoleAssignment.objects.filter(
        user=representative, role=Role.REPRESENTATIVE, street_id=locked.conference.street_id
    ).exists():
        raise ConsultationError(_("%(name)s is not a representative of this street.") % {"name": representative})
    if request is not None and (
        request.representative_id != representative.pk
        or request.department_id != locked.department_id
        or request.state not in OPEN_STATES
    ):
        raise ConsultationError(_("This request is not an open request of this representative for this stall."))
    live = Ticket.objects.filter(stall=locked, representative=representative, state__in=LIVE_TICKET_STATES).first()
    if live is not None:
        raise ConsultationError(
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
        raise ConsultationError(_("Two tickets were issued at once; please try again.")) from exc
    _ticket_event(ticket, actor, "issue", "")
    return ticket


@transaction.atomic
def ticket_call_next(*, actor: User, stall: Stall) -> Ticket:
    """Call the lowest waiting number at the stall (the board shows it)."""
    # Two officers pressing "call next" at once would call the same ticket: lock the stall.
    locked = _lock_stall(stall)
    if not can_run_stall(actor, locked):
        raise ConsultationError(_("Only the officers of this department or the street office may do this."))
    ticket = (
        Ticket.objects.select_for_update().filter(stall=locked, state=TicketState.WAITING).order_by("number").first()
    )
    if ticket is None:
        raise ConsultationError(_("No one is waiting at this stall."))
    ticket.state = TicketState.CALLED
    ticket.called_at = timezone.now()
    ticket.save(update_fields=["state", "called_at", "updated_at"])
    _ticket_event(ticket, actor, "call", TicketState.WAITING)
    return ticket


def _ticket_step(ticket: Ticket, actor: User, name: str, expected_state: str | None) -> Ticket:
    # Two officers clicking on the same ticket: the second one sees the first one's result.
    locked = Ticket.objects.select_for_update(of=("self",)).select_related("stall__conference").get(pk=ticket.pk)
    action = TICKET_ACTIONS[name]
    if not can_run_stall(actor, locked.stall):
        raise TransitionNotAllowed(_("Only the officers of this department or the street office may do this."))
    if (expected_state is not None and locked.state != expected_state) or locked.state not in action.sources:
        raise TransitionNotAllowed(
            _("Number %(number)s is now “%(state)s”; nothing was done.")
            % {"number": locked.number, "state": locked.get_state_display()}
        )
    from_state = locked.state
    locked.state = action.target
    locked.save(update_fields=["state", "updated_at"])
    _ticket_event(locked, actor, name, from_state)
    return locked


@transaction.atomic
def ticket_serve(*, actor: User, ticket: Ticket, expected_state: str | None = None) -> Ticket:
    """The called representative has come to the table."""
    return _ticket_step(ticket, actor, "serve", expected_state)


@transaction.atomic
def ticket_done(*, actor: User, ticket: Ticket, expected_state: str | None = None) -> Ticket:
    """The conversation is over (the request's outcome is its own step)."""
    return _ticket_step(ticket, actor, "done", expected_state)


@transaction.atomic
def ticket_no_show(*, actor: User, ticket: Ticket, expected_state: str | None = None) -> Ticket:
    """The called number did not come; the number is not reused."""
    return _ticket_step(ticket, actor, "no_show", expected_state)


@transaction.atomic
def ticket_hold(*, actor: User, ticket: Ticket, expected_state: str | None = None) -> Ticket:
    """Put a ticket aside (the representative stepped away) without losing the number."""
    return _ticket_step(ticket, actor, "hold", expected_state)


@transaction.atomic
def ticket_resume(*, actor: User, ticket: Ticket, expected_state: str | None = None) -> Ticket:
    """A held ticket goes back in the queue with its own number (so ahead of later numbers)."""
    return _ticket_step(ticket, actor, "resume", expected_state)


# --- Outcomes of a request --------------------------------------------------------------------


def _lock(request: ConsultationRequest) -> ConsultationRequest:
    # Two people acting at once: the second waits here and then sees the first one's result.
    return (
        ConsultationRequest.objects.select_for_update(of=("self",))
        .select_related("neighbourhood", "department")
        .get(pk=request.pk)
    )


def _stale_message(request: ConsultationRequest) -> str:
    return _(
        "This request changed while you were looking at it: it is now “%(state)s”. "
        "Nothing was done; please look at it again."
    ) % {"state": request.get_state_display()}


def _begin(request: ConsultationRequest, actor: User, name: str, note: str, expected_state: str | None):
    """Lock, then refuse with the reason anything the table, the state or the actor's role forbids."""
    locked = _lock(request)
    action = ACTIONS[name]
    if expected_state is not None and locked.state != expected_state:
        raise TransitionNotAllowed(_stale_message(locked))
    if locked.state not in action.sources:
        raise TransitionNotAllowed(
            _("“%(action)s” is not possible while the request is “%(state)s”.")
            % {"action": action.label, "state": locked.get_state_display()}
        )
    if not action.roles & request_roles(actor, locked):
        raise TransitionNotAllowed(_("You may not “%(action)s” this request.") % {"action": action.label})
    if action.note_required and not note.strip():
        raise TransitionNotAllowed(_("Please write the reason or the answer."))
    return locked, action


def _record(
    request: ConsultationRequest, actor: User, action: Action, note: str, fields: list[str], **event
) -> ConsultationRequest:
    from_state = request.state
    request.state = action.target
    request.save(update_fields=["state", "updated_at", *fields])
    RequestEvent.objects.create(
        request=request,
        actor=actor,
        action=action.name,
        from_state=from_state,
        to_state=action.target,
        note=note.strip(),
        **event,
    )
    notify_step(request=request, actor=actor, action=action.name, roles=action.notify, note=note.strip())
    return request


@transaction.atomic
def request_answer_on_spot(
    *, actor: User, request: ConsultationRequest, answer: str, expected_state: str | None = None
) -> ConsultationRequest:
    """The department answers at the stall; the request is closed with that answer."""
    locked, action = _begin(request, actor, "answer_on_spot", answer, expected_state)
    now = timezone.now()
    locked.resolution, locked.resolved_at, locked.closed_at = answer.strip(), now, now
    return _record(locked, actor, action, answer, ["resolution", "resolved_at", "closed_at"])


@transaction.atomic
def request_accept(
    *,
    actor: User,
    request: ConsultationRequest,
    due_date: datetime.date,
    officer: User | None = None,
    note: str = "",
    expected_state: str | None = None,
) -> ConsultationRequest:
    """The department takes the request on: an officer of it follows it up by the due date."""
    locked, action = _begin(request, actor, "accept", note, expected_state)
    if officer is None:
        if locked.department_id not in scope_of(actor).departments:
            raise TransitionNotAllowed(_("Please choose the officer who will follow it up."))
        officer = actor
    _check_officer(officer, locked.department)
    if due_date < timezone.localdate():
        raise TransitionNotAllowed(_("The due date cannot be in the past."))
    locked.assigned_officer, locked.due_date, locked.accepted_at = officer, due_date, timezone.now()
    note = note.strip() or _("%(officer)s follows it up by %(date)s.") % {"officer": officer, "date": due_date}
    return _record(locked, actor, action, note, ["assigned_officer", "due_date", "accepted_at"])


@transaction.atomic
def request_refer(
    *,
    actor: User,
    request: ConsultationRequest,
    department: Department,
    note: str,
    expected_state: str | None = None,
) -> ConsultationRequest:
    """Send the request to another department of the street; its history stays with it."""
    locked, action = _begin(request, actor, "refer", note, expected_state)
    if department.street_id != locked.neighbourhood.street_id or not department.is_active:
        raise TransitionNotAllowed(_("Please choose one of the street's departments."))
    if department.pk == locked.department_id:
        raise TransitionNotAllowed(_("The request is already with this department."))
    previous = locked.department
    locked.department = department
    locked.assigned_officer, locked.due_date, locked.accepted_at = None, None, None
    return _record(
        locked,
        actor,
        action,
        note,
        ["department", "assigned_officer", "due_date", "accepted_at"],
        department_from=previous,
        department_to=department,
    )


@transaction.atomic
def request_decline(
    *, actor: User, request: ConsultationRequest, reason: str, expected_state: str | None = None
) -> ConsultationRequest:
    """The department declines the request; the representative reads the reason."""
    locked, action = _begin(request, actor, "decline", reason, expected_state)
    locked.decline_reason, locked.closed_at = reason.strip(), timezone.now()
    return _record(locked, actor, action, reason, ["decline_reason", "closed_at"])


@transaction.atomic
def request_resolve(
    *,
    actor: User,
    request: ConsultationRequest,
    resolution: str,
    public_summary: str,
    expected_state: str | None = None,
) -> ConsultationRequest:
    """The follow-up ends with a resolution the representative reads, then confirms or reopens.

    ``public_summary`` is the one line the public board will show once the representative
    confirms: the person resolving writes or approves it (nothing else of the request is public).
    """
    locked, action = _begin(request, actor, "resolve", resolution, expected_state)
    public_summary = public_summary.strip()
    if not public_summary:
        raise TransitionNotAllowed(_("Please write the summary for the public board."))
    if len(public_summary) > PUBLIC_SUMMARY_LENGTH:
        raise TransitionNotAllowed(
            _("The summary for the public board is limited to %(n)s characters.") % {"n": PUBLIC_SUMMARY_LENGTH}
        )
    locked.resolution, locked.resolved_at, locked.public_summary = resolution.strip(), timezone.now(), public_summary
    return _record(locked, actor, action, resolution, ["resolution", "resolved_at", "public_summary"])


@transaction.atomic
def request_confirm(
    *, actor: User, request: ConsultationRequest, note: str = "", expected_state: str | None = None
) -> ConsultationRequest:
    """The representative accepts the resolution; the request is closed (and shown on the public board)."""
    locked, action = _begin(request, actor, "confirm", note, expected_state)
    locked.closed_at = timezone.now()
    return _record(locked, actor, action, note, ["closed_at"])


@transaction.atomic
def request_reopen(
    *, actor: User, request: ConsultationRequest, reason: str, expected_state: str | None = None
) -> ConsultationRequest:
    """The representative is not satisfied; the department follows it up again (reason required)."""
    locked, action = _begin(request, actor, "reopen", reason, expected_state)
    locked.resolved_at = None
    return _record(locked, actor, action, reason, ["resolved_at"])
