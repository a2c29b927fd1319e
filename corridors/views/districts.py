"""The system administrator's page for districts, streets and their staff; the first run.

After ``migrate`` and ``createsuperuser`` the database has no street: the superuser's home
sends them here, and the page walks them through the three steps (district → street → the
street's office staff). Writes go through ``corridors.services.districts``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from common.forms import add_errors
from common.permissions import require
from common.refusals import Refused
from corridors.forms.districts import AppointForm, DistrictForm, OversightForm, StreetForm
from corridors.models import District, Oversight, Role, RoleAssignment, Street
from corridors.selectors import get_appointment_for_user, get_oversight_for_user, get_street_for_user
from corridors.services import districts as services

FORMS = {"district": DistrictForm, "street": StreetForm, "appoint": AppointForm, "oversight": OversightForm}


@login_required
def setup(request):
    require(request.user, "corridors.manage_districts")
    action = request.POST.get("action") if request.method == "POST" else None
    forms = {name: cls(request.POST if name == action else None, prefix=name) for name, cls in FORMS.items()}
    if action in forms and forms[action].is_valid():
        try:
            message = _save(request.user, action, forms[action].cleaned_data)
        except (Refused, ValidationError) as error:
            add_errors(forms[action], error)
        else:
            messages.success(request, message)
            return redirect("districts:setup")
    return render(request, "corridors/districts/setup.html", {**_context(), "forms": forms, "action": action})


def _save(by, action, data) -> str:
    if action == "district":
        district = services.district_create(by=by, name=data["name"])
        return _("District %(name)s was created. Next: add its streets.") % {"name": district}
    if action == "street":
        street = services.street_create(by=by, district=data["district"], name=data["name"])
        return _("Street %(name)s was created. Next: appoint its office staff.") % {"name": street}
    account = {k: data[k] for k in ("username", "full_name", "password")}
    if action == "appoint":
        assignment, _created = services.street_appoint_account(
            by=by, street=data["street"], role=data["role"], **account
        )
        return _("%(user)s is %(role)s of %(street)s; they set up their second factor at their next sign-in.") % {
            "user": assignment.user,
            "role": assignment.get_role_display(),
            "street": assignment.street,
        }
    oversight, _created = services.oversight_grant_account(by=by, district=data["district"], **account)
    return _("%(user)s is now: %(what)s (read only).") % {"user": oversight.user, "what": oversight}


# --- Removing: each on a confirmation page (what goes, what stays), then a POST -------------


def _confirm_or_remove(request, *, what: str, consequence: str, remove):
    """GET: the confirmation page; POST: ``remove()`` through its service, or the refusal on it."""
    refusal = None
    if request.method == "POST":
        try:
            remove()
        except Refused as error:
            refusal = error.reason
        except ValidationError as error:
            refusal = " ".join(error.messages)
        else:
            messages.success(request, _("Removed: %(what)s.") % {"what": what})
            return redirect("districts:setup")
    return render(
        request,
        "corridors/districts/remove.html",
        {"what": what, "consequence": consequence, "refusal": refusal},
        status=400 if refusal else 200,
    )


@login_required
def appointment_remove(request, pk):
    require(request.user, "corridors.manage_districts")
    assignment = get_appointment_for_user(request.user, pk)
    return _confirm_or_remove(
        request,
        what=_("%(user)s as %(role)s of %(street)s")
        % {"user": assignment.user, "role": assignment.get_role_display(), "street": assignment.street},
        consequence=_("The account stays; it no longer opens this street's pages. Nothing the person did is undone."),
        remove=lambda: services.street_appointment_remove(by=request.user, assignment=assignment),
    )


@login_required
def oversight_remove(request, pk):
    require(request.user, "corridors.manage_districts")
    oversight = get_oversight_for_user(request.user, pk)
    return _confirm_or_remove(
        request,
        what=_("%(user)s as %(what)s") % {"user": oversight.user, "what": oversight},
        consequence=_("The account stays; it no longer reads these streets."),
        remove=lambda: services.oversight_revoke(by=request.user, oversight=oversight),
    )


@login_required
def street_remove(request, pk):
    require(request.user, "corridors.manage_districts")
    street = get_street_for_user(request.user, pk)
    return _confirm_or_remove(
        request,
        what=str(street),
        consequence=_("Only a street created by mistake is removed: one with places, staff or any data stays."),
        remove=lambda: services.street_remove(by=request.user, street=street),
    )


def _context() -> dict:
    appointed = RoleAssignment.objects.filter(role__in=[Role.STREET_STAFF, Role.FINANCE]).select_related("user")
    districts = District.objects.prefetch_related(
        Prefetch("streets", queryset=Street.objects.order_by("name")),
        Prefetch("oversights", queryset=Oversight.objects.select_related("user")),
    )
    by_street: dict[int, list] = {}
    for assignment in appointed.order_by("role", "user__username"):
        by_street.setdefault(assignment.street_id, []).append(assignment)
    rows = [
        (district, [(street, by_street.get(street.pk, [])) for street in district.streets.all()])
        for district in districts
    ]
    city_users = Oversight.objects.filter(district__isnull=True).select_related("user")
    return {"rows": rows, "steps": services.first_run_steps(), "city_users": city_users}
