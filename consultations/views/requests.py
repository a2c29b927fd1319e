"""The representative's pages (my requests, filing), the committee's filing on behalf, and the
request page with its history and steps, shared by the representative and the department.

Views parse the form, fetch through ``consultations.selectors`` and call one service; the
services decide and explain (a ``Refused`` reason is shown as it is).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.forms import add_errors
from common.http import safe_next
from common.permissions import require
from common.refusals import Refused
from consultations.anonymise import suggested_summary
from consultations.forms.attachments import AttachmentForm
from consultations.forms.requests import AcceptForm, OnBehalfForm, ReferForm, RequestForm, ResolveForm, StepForm
from consultations.selectors import (
    FILE_ROLES,
    attachments_for_user,
    current_terms,
    get_request_for_user,
    my_requests_for_user,
    my_tickets,
    request_roles,
    runs_stalls,
    tickets_for_stall_user,
)
from consultations.services.requests import (
    request_accept,
    request_answer_on_spot,
    request_confirm,
    request_decline,
    request_file,
    request_file_on_behalf,
    request_refer,
    request_reopen,
    request_resolve,
)
from consultations.views.lists import personal_list
from consultations.workflows.request import NEXT_STEP, OFFICER, REQUEST, STREET, RequestState
from consultations.workflows.ticket import LIVE_TICKET_STATES
from corridors.models import Compound, Neighbourhood
from corridors.selectors import scope_of

# The workflow table's steps, each carried out by its one service function, and the name
# under which that function takes the step's text.
STEP_SERVICES = {
    "answer_on_spot": (request_answer_on_spot, "answer"),
    "accept": (request_accept, "note"),
    "refer": (request_refer, "note"),
    "decline": (request_decline, "reason"),
    "resolve": (request_resolve, "resolution"),
    "confirm": (request_confirm, "note"),
    "reopen": (request_reopen, "reason"),
}


@login_required
def index(request):
    """Send each role to the page it works from."""
    scope = scope_of(request.user)
    if scope.staff_streets or scope.viewer_streets:
        return redirect("consultations:overview")
    if scope.departments:
        return redirect("consultations:follow_ups")
    if scope.representative_neighbourhoods:
        return redirect("consultations:mine")
    if scope.committee_neighbourhoods:
        return redirect("consultations:neighbourhood")
    raise Http404


# --- The representative ------------------------------------------------------------------


@login_required
def my_requests(request):
    require(request.user, "consultations.file_request")
    mine = my_requests_for_user(request.user)
    waiting_for_me = mine.filter(state=RequestState.RESOLVED).order_by("resolved_at", "pk")
    return render(
        request,
        "consultations/requests/mine.html",
        {
            **personal_list(request, mine, default_sort="-updated"),
            "overdue_count": mine.overdue().count(),
            "waiting_for_me": waiting_for_me,
            "live_tickets": my_tickets(request.user).filter(state__in=LIVE_TICKET_STATES).count(),
            "terms": current_terms([request.user.pk]),
        },
    )


def _filing_places(neighbourhood_ids):
    """The street and the compounds a request can be filed for from these neighbourhoods."""
    neighbourhoods = Neighbourhood.objects.filter(pk__in=neighbourhood_ids)
    street_id = neighbourhoods.values_list("street_id", flat=True).first()
    compounds = Compound.objects.filter(neighbourhood__in=neighbourhoods).select_related("neighbourhood")
    return neighbourhoods, street_id, compounds


def _request_fields(form) -> dict:
    data = form.cleaned_data
    fields = ("compound", "building", "households", "category", "title", "text", "department", "conference")
    return {**{name: data[name] for name in fields}, "attachments": form.attachments()}


@login_required
def request_new(request):
    require(request.user, "consultations.file_request")
    _neighbourhoods, street_id, compounds = _filing_places(scope_of(request.user).representative_neighbourhoods)
    form = RequestForm(request.POST or None, request.FILES or None, street_id=street_id, compounds=compounds)
    if request.method == "POST" and form.is_valid():
        try:
            filed = request_file(actor=request.user, **_request_fields(form))
        except Refused as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Your request was filed. You can follow it here."))
            return redirect(filed)
    return render(request, "consultations/requests/request_new.html", {"form": form})


@login_required
def request_on_behalf(request):
    """The residents' committee writes down a request for a representative who cannot use the site."""
    require(request.user, "consultations.file_on_behalf")
    neighbourhoods, street_id, compounds = _filing_places(scope_of(request.user).committee_neighbourhoods)
    form = OnBehalfForm(
        request.POST or None,
        request.FILES or None,
        street_id=street_id,
        compounds=compounds,
        neighbourhoods=neighbourhoods,
    )
    if request.method == "POST" and form.is_valid():
        try:
            filed = request_file_on_behalf(
                actor=request.user, representative=form.cleaned_data["representative"], **_request_fields(form)
            )
        except Refused as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("The request was filed for %(name)s; they and the department have been told.")
                % {"name": filed.representative},
            )
            return redirect(filed)
    return render(request, "consultations/requests/request_on_behalf.html", {"form": form})


# --- The request page ---------------------------------------------------------------------------


def _step_form(name: str, obj, data=None):
    """The form of one step of the request page (``data`` when it was posted)."""
    initial = {"state": obj.state}
    if name == "accept":
        return AcceptForm(data, department=obj.department, initial=initial)
    if name == "refer":
        return ReferForm(data, request=obj, initial=initial)
    if name == "resolve":
        return ResolveForm(data, initial={**initial, "public_summary": suggested_summary(obj)})
    return StepForm(data, initial=initial)


def _detail_context(request, obj, posted=None) -> dict:
    roles = request_roles(request.user, obj)
    posted = posted or {}
    steps = REQUEST.available(obj.state, roles)
    step_forms = [(step, posted.get(step.name) or _step_form(step.name, obj)) for step in steps]
    # Where "back" goes: the stall this request was called at, if the user runs it.
    ticket = None
    if runs_stalls(request.user):
        ticket = tickets_for_stall_user(request.user).filter(request=obj).order_by("-pk").first()
    return {
        "back_stall": ticket.stall if ticket else None,
        "obj": obj,
        "roles": roles,
        "step_forms": step_forms,
        "next_step": NEXT_STEP.get(obj.state, ""),
        "events": obj.events.select_related("actor", "department_from", "department_to"),
        "attachments": attachments_for_user(request.user, obj),
        "attachment_form": AttachmentForm(),
        "can_add_files": bool(roles & FILE_ROLES) and obj.closed_at is None,
        "representative_terms": current_terms([obj.representative_id], [obj.neighbourhood_id]),
        "department_side": bool(roles & {OFFICER, STREET}),
        "next": safe_next(request, ""),
    }


@login_required
def request_detail(request, pk):
    obj = get_request_for_user(request.user, pk)
    return render(request, "consultations/requests/request_detail.html", _detail_context(request, obj))


@login_required
@require_POST
def request_step(request, pk, action):
    obj = get_request_for_user(request.user, pk)
    if action not in REQUEST:
        raise Http404
    service, text_name = STEP_SERVICES[action]
    form = _step_form(action, obj, request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete; nothing was done."))
        return render(
            request,
            "consultations/requests/request_detail.html",
            _detail_context(request, obj, {action: form}),
            status=400,
        )
    data = form.cleaned_data
    kwargs = {text_name: data["note"], "expected_state": data["state"]}
    if action == "accept":
        kwargs.update(due_date=data["due_date"], officer=data["officer"])
    elif action == "refer":
        kwargs["department"] = data["department"]
    elif action == "resolve":
        kwargs["public_summary"] = data["public_summary"]
    try:
        done = service(actor=request.user, request=obj, **kwargs)
    except Refused as error:
        if error.field in form.fields:
            # A refusal about what was typed (the public summary): show it beside the field, kept.
            add_errors(form, error)
            return render(
                request,
                "consultations/requests/request_detail.html",
                _detail_context(request, obj, {action: form}),
                status=400,
            )
        messages.error(request, error.reason)
    else:
        messages.success(
            request,
            _("Done: %(action)s. The request is now “%(state)s”.")
            % {"action": REQUEST[action].label, "state": done.get_state_display()},
        )
    return redirect(safe_next(request, obj.get_absolute_url()))
