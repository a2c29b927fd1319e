"""Signing up for an activity, cancelling, and writing to the leader: the pages residents act on.

These pages carry a form, so they are never cached (``never_cache``) and get their CSRF
cookie here, while the corridor and activity pages that link to them stay cacheable and
set no cookie (``common.pagecache``). A shared cache therefore never hands one visitor's
token to another, and the forms work in WeChat's browser with no script.

The organiser (whoever may manage the group's activities) sees the list, masked, and
prints it; one resident's number is revealed on purpose, one at a time, and recorded.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_http_methods

from common.masking import mask_name, mask_phone
from common.middleware import client_ip
from common.permissions import require
from common.refusals import Refused
from corridors.forms.signups import CancelForm, ContactLeaderForm, RevealPurposeForm, SignupForm
from corridors.models import ActivitySignup
from corridors.selectors import get_activity_for_user, get_public_activity, get_public_group
from corridors.services import contact as contact_services
from corridors.services import signups as services
from corridors.views.gallery import ACTIVITIES


def _refuse(form, refused: Refused) -> None:
    form.add_error(refused.field if refused.field in form.fields else None, refused.reason)


@never_cache
@ensure_csrf_cookie
@require_http_methods(["GET", "POST"])
def signup(request, pk):
    activity = get_public_activity(pk)
    open_ = activity.starts_at > timezone.now()
    form = SignupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and open_ and form.is_valid():
        try:
            entry, code = services.signup_create(activity=activity, **form.cleaned_data)
        except Refused as refused:
            _refuse(form, refused)
        else:
            context = {
                "activity": activity,
                "group": activity.group,
                "signup": entry,
                "code": services.format_code(code),
                "masked_phone": mask_phone(entry.phone),
            }
            return render(request, "public/signup_done.html", context)
    context = {
        "activity": activity,
        "group": activity.group,
        "form": form,
        "open": open_,
        "places": services.places_summary(activity),
    }
    return render(request, "public/signup.html", context, status=400 if form.errors else 200)


@never_cache
@ensure_csrf_cookie
@require_http_methods(["GET", "POST"])
def cancel(request, pk):
    activity = get_public_activity(pk)
    form = CancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            entry, promoted = services.signup_cancel(activity=activity, **form.cleaned_data)
        except Refused as refused:
            _refuse(form, refused)
        else:
            context = {"activity": activity, "group": activity.group, "signup": entry, "promoted": promoted}
            return render(request, "public/signup_cancelled.html", context)
    context = {"activity": activity, "group": activity.group, "form": form}
    return render(request, "public/signup_cancel.html", context, status=400 if form.errors else 200)


@never_cache
@ensure_csrf_cookie
@require_http_methods(["GET", "POST"])
def contact_leader(request, pk):
    group = get_public_group(pk)
    form = ContactLeaderForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            contact_services.contact_leader(group=group, address=client_ip(request), **form.cleaned_data)
        except Refused as refused:
            _refuse(form, refused)
        else:
            return render(request, "public/contact_sent.html", {"group": group})
    return render(request, "public/contact.html", {"group": group, "form": form}, status=400 if form.errors else 200)


@login_required
def organiser_list(request, pk):
    activity = get_activity_for_user(request.user, pk)
    require(request.user, ACTIVITIES, activity.group)
    rows = [
        {
            "pk": entry.pk,
            "name": mask_name(entry.name),
            "phone": mask_phone(entry.phone),
            "status": entry.status,
            "status_label": entry.get_status_display(),
            "created_at": entry.created_at,
            "promoted_at": entry.promoted_at,
        }
        for entry in activity.signups.exclude(status=ActivitySignup.Status.CANCELLED).order_by(
            "status", "created_at", "pk"
        )
    ]
    cancelled = activity.signups.filter(status=ActivitySignup.Status.CANCELLED).count()
    context = {
        "activity": activity,
        "group": activity.group,
        "rows": rows,
        "cancelled": cancelled,
        "places": services.places_summary(activity),
    }
    return render(request, "corridors/gallery/signup_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def organiser_reveal(request, pk, signup_pk):
    """One resident's full name and number, for the organiser, after a stated purpose (recorded).
    The answer to the POST is the only page that shows them; nothing is kept in the session."""
    activity = get_activity_for_user(request.user, pk)
    require(request.user, ACTIVITIES, activity.group)
    entry = get_object_or_404(activity.signups.exclude(status=ActivitySignup.Status.CANCELLED), pk=signup_pk)
    form = RevealPurposeForm(request.POST or None)
    revealed = None
    if request.method == "POST" and form.is_valid():
        try:
            revealed = services.signup_reveal(signup=entry, actor=request.user, purpose=form.cleaned_data["purpose"])
        except Refused as refused:
            _refuse(form, refused)
    context = {
        "activity": activity,
        "group": activity.group,
        "form": form,
        "masked_name": mask_name(entry.name),
        "masked_phone": mask_phone(entry.phone),
        "revealed": revealed,
    }
    status = 400 if request.method == "POST" and revealed is None else 200
    return render(request, "corridors/gallery/signup_reveal.html", context, status=status)
