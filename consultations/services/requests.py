"""Requests (诉求): filing them (online, on a representative's behalf, at a stall) and every
step of their workflow (``consultations.workflows.request``).

Each step locks the request row, asks ``REQUEST.check`` whether the table, the state the page
showed and the actor's roles on the request allow it (refusing with the reason), writes one
``RequestEvent`` and tells the people the table names.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.publictext import public_text_refusal
from common.refusals import Refused
from consultations.anonymise import board_places, private_names
from consultations.models import (
    Attachment,
    Category,
    Channel,
    Conference,
    ConsultationRequest,
    RequestEvent,
    Stall,
    Ticket,
)
from consultations.notifications import notify_step
from consultations.selectors import can_run_stall, request_roles
from consultations.services.roles import require_officer_of, require_representative_of
from consultations.workflows.request import (
    FILE,
    FILE_ON_BEHALF,
    FILING_NOTIFY,
    REGISTER_WALK_IN,
    REQUEST,
)
from consultations.workflows.ticket import LIVE_TICKET_STATES
from corridors.images import receipt_later
from corridors.models import Building, Compound, Department, User
from corridors.selectors import scope_of

PUBLIC_SUMMARY_LENGTH: int = ConsultationRequest._meta.get_field("public_summary").max_length  # type: ignore[assignment]


# --- Filing -------------------------------------------------------------------------------------


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
        raise Refused(_("This building is not in the chosen compound."))
    if households < 1:
        raise Refused(_("At least one household must entrust the request."))
    if building is not None and households > building.households:
        raise Refused(
            _("%(building)s has only %(total)s households.") % {"building": building, "total": building.households}
        )
    if category.street_id != street_id or not category.is_active:
        raise Refused(_("Please choose one of the street's categories."))
    if department.street_id != street_id or not department.is_active:
        raise Refused(_("Please choose one of the street's departments."))


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
        attachment = Attachment.objects.create(request=request, kind=kind, file=content, uploaded_by=actor)
        receipt_later(attachment, kind=kind)
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
        raise Refused(_("Requests can be pre-filed only for an upcoming conference of your street."))
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
        raise Refused(_("You may file requests only for your own neighbourhood."))
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
        raise Refused(_("You may file requests only for your own neighbourhood."))
    require_representative_of(representative, neighbourhood, active_only=True)
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
        raise Refused(_("Only the officers of this department or the street office may do this."))
    neighbourhood = compound.neighbourhood
    require_representative_of(representative, neighbourhood)
    street_id = stall.conference.street_id
    if neighbourhood.street_id != street_id:
        raise Refused(_("This compound belongs to another street."))
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


# --- The workflow's steps -------------------------------------------------------------------------


def lock_request(request: ConsultationRequest) -> ConsultationRequest:
    # Two people acting on a request at once: the second waits here, then sees the first one's result.
    return (
        ConsultationRequest.objects.select_for_update(of=("self",))
        .select_related("neighbourhood", "department")
        .get(pk=request.pk)
    )


def _begin(request: ConsultationRequest, actor: User, name: str, text: str, expected_state: str | None):
    """Lock, then refuse with the reason anything the table, the state or the actor's roles forbid."""
    locked = lock_request(request)
    transition = REQUEST.check(
        name, locked, roles=request_roles(actor, locked), expected_state=expected_state, reason=text
    )
    return locked, transition


def _record(request: ConsultationRequest, actor: User, transition, note: str, fields: list[str], **event):
    """Move the locked request to the step's state, write its history row and tell those the table names."""
    from_state = request.state
    request.state = transition.target
    request.save(update_fields=["state", "updated_at", *fields])
    RequestEvent.objects.create(
        request=request,
        actor=actor,
        action=transition.name,
        from_state=from_state,
        to_state=transition.target,
        note=note.strip(),
        **event,
    )
    notify_step(request=request, actor=actor, action=transition.name, roles=transition.notify, note=note.strip())
    return request


@transaction.atomic
def request_answer_on_spot(
    *, actor: User, request: ConsultationRequest, answer: str, expected_state: str | None = None
) -> ConsultationRequest:
    """The department answers at the stall; the request is closed with that answer."""
    locked, transition = _begin(request, actor, "answer_on_spot", answer, expected_state)
    now = timezone.now()
    locked.resolution, locked.resolved_at, locked.closed_at = answer.strip(), now, now
    return _record(locked, actor, transition, answer, ["resolution", "resolved_at", "closed_at"])


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
    locked, transition = _begin(request, actor, "accept", note, expected_state)
    if officer is None:
        if locked.department_id not in scope_of(actor).departments:
            raise Refused(_("Please choose the officer who will follow it up."), field="officer")
        officer = actor
    require_officer_of(officer, locked.department)
    if due_date < timezone.localdate():
        raise Refused(_("The due date cannot be in the past."), field="due_date")
    locked.assigned_officer, locked.due_date, locked.accepted_at = officer, due_date, timezone.now()
    note = note.strip() or _("%(officer)s follows it up by %(date)s.") % {"officer": officer, "date": due_date}
    return _record(locked, actor, transition, note, ["assigned_officer", "due_date", "accepted_at"])


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
    locked, transition = _begin(request, actor, "refer", note, expected_state)
    if department.street_id != locked.neighbourhood.street_id or not department.is_active:
        raise Refused(_("Please choose one of the street's departments."), field="department")
    if department.pk == locked.department_id:
        raise Refused(_("The request is already with this department."), field="department")
    previous = locked.department
    locked.department = department
    locked.assigned_officer, locked.due_date, locked.accepted_at = None, None, None
    return _record(
        locked,
        actor,
        transition,
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
    locked, transition = _begin(request, actor, "decline", reason, expected_state)
    locked.decline_reason, locked.closed_at = reason.strip(), timezone.now()
    return _record(locked, actor, transition, reason, ["decline_reason", "closed_at"])


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
    locked, transition = _begin(request, actor, "resolve", resolution, expected_state)
    public_summary = public_summary.strip()
    if not public_summary:
        raise Refused(_("Please write the summary for the public board."), field="public_summary")
    if len(public_summary) > PUBLIC_SUMMARY_LENGTH:
        raise Refused(
            _("The summary for the public board is limited to %(n)s characters.") % {"n": PUBLIC_SUMMARY_LENGTH},
            field="public_summary",
        )
    # The person resolving ticked "I checked"; the server checks as well (common.publictext).
    personal = public_text_refusal(
        public_summary,
        field="public_summary",
        names=private_names(locked, resolution),
        allowed=board_places(locked),
    )
    if personal is not None:
        raise personal
    locked.resolution, locked.resolved_at, locked.public_summary = resolution.strip(), timezone.now(), public_summary
    return _record(locked, actor, transition, resolution, ["resolution", "resolved_at", "public_summary"])


@transaction.atomic
def request_confirm(
    *, actor: User, request: ConsultationRequest, note: str = "", expected_state: str | None = None
) -> ConsultationRequest:
    """The representative accepts the resolution; the request is closed (and shown on the public board)."""
    locked, transition = _begin(request, actor, "confirm", note, expected_state)
    locked.closed_at = timezone.now()
    return _record(locked, actor, transition, note, ["closed_at"])


@transaction.atomic
def request_reopen(
    *, actor: User, request: ConsultationRequest, reason: str, expected_state: str | None = None
) -> ConsultationRequest:
    """The representative is not satisfied; the department follows it up again (reason required)."""
    locked, transition = _begin(request, actor, "reopen", reason, expected_state)
    locked.resolved_at = None
    return _record(locked, actor, transition, reason, ["resolved_at"])
