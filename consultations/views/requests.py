"""The representative's pages (my requests, filing, my place in each queue) and the request
page with its history and steps, shared by the representative and the department.

Views parse the form, fetch through ``consultations.selectors`` and call one service; the
services decide and explain (``ConsultationError.reason`` is shown as it is).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.uploads import serve_private_file
from consultations.forms import (
    AcceptForm,
    AttachmentForm,
    OnBehalfForm,
    ReferForm,
    RequestForm,
    ResolveForm,
    StepForm,
)
from consultations.models import Ticket
from consultations.public import suggested_summary
from consultations.selectors import (
    FILE_ROLES,
    attachments_for_user,
    current_terms,
    get_attachment_for_user,
    get_request_for_user,
    my_tickets,
    request_roles,
    requests_for_user,
    runs_stalls,
    tickets_for_stall_user,
)
from consultations.services import (
    ConsultationError,
    attachment_add,
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
from consultations.workflow import (
    ACTIONS,
    CALLED_TICKET_STATES,
    CLOSED_STATES,
    FOLLOW_UP_STATES,
    LIVE_TICKET_STATES,
    NEXT_STEP,
    OFFICER,
    STREET,
    RequestState,
    TicketState,
    actions_for,
)
from corridors.models import Compound, Neighbourhood
from corridors.selectors import require, scope_of

# The workflow table's actions, each carried out by its one service function, and the name
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


def safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


@login_required
def index(request):
    """Send each role to the page it works from."""
    scope = scope_of(request.user)
    if scope.staff_streets:
        return redirect("consultations:overview")
    if scope.departments:
        return redirect("consultations:follow_ups")
    if scope.representative_neighbourhoods:
        return redirect("consultations:mine")
    if scope.committee_neighbourhoods:
        return redirect("consultations:neighbourhood")
    raise Http404


# --- The representative ------------------------------------------------------------------


def _my_requests(user):
    return requests_for_user(user).filter(representative_id=user.pk)


@login_required
def my_requests(request):
    require(request.user, "consultations.file_request")
    mine = _my_requests(request.user)
    waiting_for_me = mine.filter(state=RequestState.RESOLVED).order_by("resolved_at", "pk")
    return render(
        request,
        "consultations/mine.html",
        {
            **personal_list(request, mine, default_sort="-updated"),
            "overdue_count": mine.overdue().count(),
            "waiting_for_me": waiting_for_me,
            "live_tickets": my_tickets(request.user).filter(state__in=LIVE_TICKET_STATES).count(),
            "terms": current_terms([request.user.pk]),
        },
    )


def _form_street(user):
    neighbourhoods = Neighbourhood.objects.filter(pk__in=scope_of(user).representative_neighbourhoods)
    street_id = neighbourhoods.values_list("street_id", flat=True).first()
    compounds = Compound.objects.filter(neighbourhood__in=neighbourhoods).select_related("neighbourhood")
    return street_id, compounds


@login_required
def request_new(request):
    require(request.user, "consultations.file_request")
    street_id, compounds = _form_street(request.user)
    form = RequestForm(request.POST or None, request.FILES or None, street_id=street_id, compounds=compounds)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            filed = request_file(
                actor=request.user,
                compound=data["compound"],
                building=data["building"],
                households=data["households"],
                category=data["category"],
                title=data["title"],
                text=data["text"],
                department=data["department"],
                conference=data["conference"],
                attachments=form.attachments(),
            )
        except ConsultationError as error:
            form.add_error(None, error.reason)
        else:
            messages.success(request, _("Your request was filed. You can follow it here."))
            return redirect(filed)
    return render(request, "consultations/request_new.html", {"form": form})


@login_required
def request_on_behalf(request):
    """The residents' committee writes down a request for a representative who cannot use the site."""
    require(request.user, "consultations.file_on_behalf")
    neighbourhoods = Neighbourhood.objects.filter(pk__in=scope_of(request.user).committee_neighbourhoods)
    street_id = neighbourhoods.values_list("street_id", flat=True).first()
    compounds = Compound.objects.filter(neighbourhood__in=neighbourhoods).select_related("neighbourhood")
    form = OnBehalfForm(
        request.POST or None,
        request.FILES or None,
        street_id=street_id,
        compounds=compounds,
        neighbourhoods=neighbourhoods,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            filed = request_file_on_behalf(
                actor=request.user,
                representative=data["representative"],
                compound=data["compound"],
                building=data["building"],
                households=data["households"],
                category=data["category"],
                title=data["title"],
                text=data["text"],
                department=data["department"],
                conference=data["conference"],
                attachments=form.attachments(),
            )
        except ConsultationError as error:
            form.add_error(None, error.reason)
        else:
            messages.success(
                request,
                _("The request was filed for %(name)s; they and the department have been told.")
                % {"name": filed.representative},
            )
            return redirect(filed)
    return render(request, "consultations/request_on_behalf.html", {"form": form})


@login_required
def my_queues(request):
    """On the phone: my number at each stall, the number being served, how many are ahead."""
    require(request.user, "consultations.file_request")
    ahead = (
        Ticket.objects.filter(stall=OuterRef("stall"), state=TicketState.WAITING, number__lt=OuterRef("number"))
        .values("stall")
        .annotate(n=Count("pk"))
        .values("n")
    )
    serving = (
        Ticket.objects.filter(stall=OuterRef("stall"), state__in=CALLED_TICKET_STATES)
        .order_by("-called_at", "-number")
        .values("number")[:1]
    )
    tickets = (
        my_tickets(request.user)
        .filter(state__in=LIVE_TICKET_STATES)
        .annotate(
            ahead=Subquery(ahead, output_field=IntegerField()),
            now_serving=Subquery(serving, output_field=IntegerField()),
        )
        .order_by("stall__conference__date", "stall__department__name")
    )
    return render(request, "consultations/my_queues.html", {"tickets": tickets})


# --- The request page ---------------------------------------------------------------------------


def _detail_context(request, obj, forms=None) -> dict:
    roles = request_roles(request.user, obj)
    steps = actions_for(obj.state, roles)
    forms = forms or {}
    step_forms = []
    for step in steps:
        if step.name == "accept":
            form = forms.get("accept") or AcceptForm(department=obj.department, initial={"state": obj.state})
        elif step.name == "refer":
            form = forms.get("refer") or ReferForm(request=obj, initial={"state": obj.state})
        elif step.name == "resolve":
            form = forms.get("resolve") or ResolveForm(
                initial={"state": obj.state, "public_summary": suggested_summary(obj)}
            )
        else:
            form = forms.get(step.name) or StepForm(initial={"state": obj.state})
        step_forms.append((step, form))
    runs = bool(roles & {OFFICER, STREET})
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
        "department_side": runs,
        "next": safe_next(request, ""),
    }


@login_required
def request_detail(request, pk):
    obj = get_request_for_user(request.user, pk)
    return render(request, "consultations/request_detail.html", _detail_context(request, obj))


@login_required
@require_POST
def request_step(request, pk, action):
    obj = get_request_for_user(request.user, pk)
    if action not in ACTIONS:
        raise Http404
    service, text_name = STEP_SERVICES[action]
    if action == "accept":
        form = AcceptForm(request.POST, department=obj.department)
    elif action == "refer":
        form = ReferForm(request.POST, request=obj)
    elif action == "resolve":
        form = ResolveForm(request.POST)
    else:
        form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete; nothing was done."))
        return render(
            request, "consultations/request_detail.html", _detail_context(request, obj, {action: form}), status=400
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
    except ConsultationError as error:
        messages.error(request, error.reason)
    else:
        messages.success(
            request,
            _("Done: %(action)s. The request is now “%(state)s”.")
            % {"action": ACTIONS[action].label, "state": done.get_state_display()},
        )
    return redirect(safe_next(request, obj.get_absolute_url()))


@login_required
@require_POST
def attachment_upload(request, pk):
    obj = get_request_for_user(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        kind, content = form.cleaned_data["attachment"]
        try:
            attachment_add(actor=request.user, request=obj, kind=kind, content=content)
        except ConsultationError as error:
            messages.error(request, error.reason)
        else:
            messages.success(request, _("File added."))
    else:
        for error in form.errors.get("attachment", []):
            messages.error(request, error)
    return redirect(obj)


@login_required
def attachment_download(request, pk):
    attachment = get_attachment_for_user(request.user, pk)
    return serve_private_file(attachment.file, download_name=attachment.download_name)


def home_context(user) -> dict:
    """What the signed-in home page can show about consultations, per role (wired by corridors)."""
    scope = scope_of(user)
    context = {}
    if scope.representative_neighbourhoods:
        mine = _my_requests(user)
        context["consultations_rep"] = {
            "to_confirm": mine.filter(state=RequestState.RESOLVED).count(),
            "open": mine.exclude(state__in=CLOSED_STATES).count(),
            "live_tickets": my_tickets(user).filter(state__in=LIVE_TICKET_STATES).count(),
        }
    if scope.departments:
        department = requests_for_user(user).filter(department_id__in=scope.departments)
        context["consultations_officer"] = {
            "new": department.filter(state=RequestState.SUBMITTED).count(),
            "overdue": department.overdue().count(),
            "following": department.filter(state__in=FOLLOW_UP_STATES).count(),
        }
    return context
