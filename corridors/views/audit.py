"""The superuser's view of the audit trail (``corridors.models.audit``): privileged changes,
newest first, filtered by kind, person acting, account concerned and dates."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pghistory.models import MiddlewareEvents

from common import dates
from common.listing import paginate
from corridors.models import (
    Building,
    BuildingGroup,
    Compound,
    Department,
    Neighbourhood,
    Oversight,
    RoleAssignment,
    User,
)
from corridors.models.audit import EVENT_LABELS

EVENT_MODELS = [
    "corridors.AccountEvent",
    "corridors.RoleEvent",
    "corridors.OversightEvent",
    "corridors.BuildingEvent",
    "corridors.BuildingGroupEvent",
    "corridors.NeighbourhoodEvent",
    "corridors.CompoundEvent",
    "corridors.DepartmentEvent",
]
SUBJECTS = {
    "corridors.User": User._meta.verbose_name,
    "corridors.RoleAssignment": RoleAssignment._meta.verbose_name,
    "corridors.Oversight": Oversight._meta.verbose_name,
    "corridors.Building": Building._meta.verbose_name,
    "corridors.BuildingGroup": BuildingGroup._meta.verbose_name,
    "corridors.Neighbourhood": Neighbourhood._meta.verbose_name,
    "corridors.Compound": Compound._meta.verbose_name,
    "corridors.Department": Department._meta.verbose_name,
}
PAGE_SIZE = 50
# Events whose row names the account concerned in ``user_id``.
ROLE_MODELS = ("corridors.RoleAssignment", "corridors.Oversight")


class AuditFilterForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What happened"), required=False)
    actor = forms.CharField(label=gettext_lazy("Done by (username)"), required=False, max_length=150)
    account = forms.CharField(label=gettext_lazy("Account concerned (username)"), required=False, max_length=150)
    since = dates.DateField(label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = dates.DateField(label=gettext_lazy("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Everything")), *EVENT_LABELS.items()]


def _filtered(form):
    events = MiddlewareEvents.objects.across(*EVENT_MODELS).order_by("-pgh_created_at", "-pgh_id")
    if not form.is_valid():
        return events
    data = form.cleaned_data
    if data["kind"]:
        events = events.filter(pgh_label=data["kind"])
    if data["actor"]:
        actor = User.objects.filter(username=data["actor"].strip()).values_list("pk", flat=True).first()
        events = events.filter(pgh_context__user=actor) if actor else events.none()
    if data["account"]:
        account = User.objects.filter(username=data["account"].strip()).values_list("pk", flat=True).first()
        if account is None:
            events = events.none()
        else:
            # The account's own rows, and the role rows that name it.
            events = events.filter(pgh_obj_model="corridors.User", pgh_obj_id=str(account)) | events.filter(
                pgh_obj_model__in=ROLE_MODELS, pgh_data__user_id=account
            )
    if data["since"]:
        events = events.filter(pgh_created_at__date__gte=data["since"])
    if data["until"]:
        events = events.filter(pgh_created_at__date__lte=data["until"])
    return events


def _rows(page) -> list[dict]:
    """Each event with its label, subject and the people it names, in two queries for the page."""
    events = list(page.object_list)
    user_ids = {e.pgh_context.get("user") for e in events if e.pgh_context}
    user_ids |= {e.pgh_data.get("user_id") for e in events if e.pgh_obj_model in ROLE_MODELS}
    user_ids |= {int(e.pgh_obj_id) for e in events if e.pgh_obj_model == "corridors.User"}
    people = {u.pk: u for u in User.objects.filter(pk__in={i for i in user_ids if i})}
    rows = []
    for event in events:
        context = event.pgh_context or {}
        data = event.pgh_data or {}
        if event.pgh_obj_model == "corridors.User":
            concerned = people.get(int(event.pgh_obj_id))
        elif event.pgh_obj_model in ROLE_MODELS:
            concerned = people.get(data.get("user_id"))
        else:
            concerned = None
        rows.append(
            {
                "event": event,
                "label": EVENT_LABELS.get(event.pgh_label, event.pgh_label),
                "subject": SUBJECTS.get(event.pgh_obj_model, event.pgh_obj_model),
                "concerned": concerned,
                "actor": people.get(context.get("user")),
                "url": context.get("url", ""),
                "changes": _changes(event),
                "data": data,
            }
        )
    return rows


def _changes(event) -> list[tuple[str, object, object]]:
    diff = event.pgh_diff or {}
    return [(field, values[0], values[1]) for field, values in sorted(diff.items()) if isinstance(values, list)]


@login_required
def audit_list(request):
    if not request.user.is_superuser:
        raise PermissionDenied(_("Only the system administrator sees the audit trail."))
    form = AuditFilterForm(request.GET or None)
    page = paginate(_filtered(form), request, per_page=PAGE_SIZE)
    context = {"form": form, "page_obj": page, "rows": _rows(page)}
    return render(request, "corridors/audit/list.html", context)
