"""Signed-in pages for a corridor's activities: announce, edit, attendance, photos, cancel."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from common.forms import add_errors
from common.permissions import require
from corridors.forms.activities import ActivityForm, AttendanceForm
from corridors.forms.works import PictureForm
from corridors.selectors import get_activity_for_user
from corridors.services import gallery as services
from corridors.views.gallery import ACTIVITIES, get_active_group_for_user, permissions_on


@login_required
@require_http_methods(["GET", "POST"])
def activity_add(request, group_pk):
    group = get_active_group_for_user(request.user, group_pk)
    require(request.user, ACTIVITIES, group)
    form = ActivityForm(request.POST) if request.method == "POST" else ActivityForm()
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(group=group, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The activity is announced on the public pages."))
            return redirect(activity)
    return render(request, "corridors/gallery/activity_form.html", {"group": group, "form": form})


@login_required
def activity_detail(request, pk):
    activity = get_activity_for_user(request.user, pk)
    context = {
        "activity": activity,
        "group": activity.group,
        "photos": activity.photos.all(),
        "attendance_form": AttendanceForm(initial={"attendance": activity.attendance}),
        "started": activity.starts_at <= timezone.now(),
        **permissions_on(request.user, activity.group),
    }
    return render(request, "corridors/gallery/activity_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request, pk):
    activity = get_activity_for_user(request.user, pk)
    require(request.user, ACTIVITIES, activity.group)
    if request.method == "POST":
        form = ActivityForm(request.POST)
    else:
        form = ActivityForm(initial=ActivityForm.initial_for(activity))
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(activity=activity, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The activity was saved."))
            return redirect(activity)
    context = {"group": activity.group, "activity": activity, "form": form}
    return render(request, "corridors/gallery/activity_form.html", context)


@login_required
@require_POST
def activity_attendance(request, pk):
    activity = get_activity_for_user(request.user, pk)
    require(request.user, ACTIVITIES, activity.group)
    form = AttendanceForm(request.POST)
    if form.is_valid():
        try:
            services.activity_record_attendance(activity=activity, attendance=form.cleaned_data["attendance"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The attendance was saved."))
    else:
        messages.error(request, _("Please give the number of people as a whole number."))
    return redirect(activity)


@login_required
@require_http_methods(["GET", "POST"])
def activity_photo_add(request, pk):
    activity = get_activity_for_user(request.user, pk)
    require(request.user, ACTIVITIES, activity.group)
    form = PictureForm(request.POST, request.FILES) if request.method == "POST" else PictureForm()
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_photo_add(
                activity=activity,
                image=form.cleaned_data["image"],
                alt_text=form.cleaned_data["alt_text"],
                by=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The photo was added to the activity's public page."))
            return redirect(activity)
    context = {"group": activity.group, "back": activity, "form": form, "title": _("Add a photo of the activity")}
    return render(request, "corridors/gallery/picture_form.html", context)


@login_required
@require_POST
def activity_photo_delete(request, pk, photo_pk):
    activity = get_activity_for_user(request.user, pk)
    require(request.user, ACTIVITIES, activity.group)
    photo = get_object_or_404(activity.photos.all(), pk=photo_pk)
    services.activity_photo_delete(photo=photo)
    messages.success(request, _("The photo was deleted."))
    return redirect(activity)


@login_required
@require_http_methods(["GET", "POST"])
def activity_delete(request, pk):
    activity = get_activity_for_user(request.user, pk)
    require(request.user, ACTIVITIES, activity.group)
    if request.method == "POST":
        group = activity.group
        services.activity_delete(activity=activity)
        messages.success(request, _("The activity was cancelled and removed."))
        return redirect("gallery:group", group.pk)
    context = {"group": activity.group, "object": activity, "back": activity}
    return render(request, "corridors/gallery/confirm_delete.html", context)
