"""Signed-in pages for a corridor's gallery and activities.

Leaders curate their group's gallery (``corridors.curate_gallery``); street staff and the
neighbourhood committee hide and unhide works (``corridors.moderate_gallery``); all three
manage activities (``corridors.manage_activities``). Objects are fetched through the
scoped helpers of ``corridors.selectors`` (outside the user's scope: 404), then the
permission is checked on the work's group (403). Nothing new is added to a deactivated
group: writes fetch it through ``_get_active_group_for_user`` (404).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from common.uploads import private_storage, serve_private_file
from corridors.forms.gallery import (
    ActivityForm,
    AttendanceForm,
    HideForm,
    PictureForm,
    WorkCreateForm,
    WorkForm,
)
from corridors.models import GalleryWork, WorkImage
from corridors.selectors import (
    activities_for_user,
    get_activity_for_user,
    get_group_for_user,
    get_work_for_user,
    groups_for_user,
    require,
)
from corridors.services import gallery as services

CURATE = "corridors.curate_gallery"
MODERATE = "corridors.moderate_gallery"
ACTIVITIES = "corridors.manage_activities"


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _can(user, group) -> dict:
    return {
        "can_curate": user.has_perm(CURATE, group),
        "can_moderate": user.has_perm(MODERATE, group),
        "can_manage_activities": user.has_perm(ACTIVITIES, group),
    }


def _work_fields(form) -> dict:
    return {name: form.cleaned_data[name] for name in WorkForm.base_fields}


def _get_active_group_for_user(user, pk):
    """A group in the user's scope that is still active: the only kind that takes new works or activities."""
    return get_object_or_404(groups_for_user(user).filter(is_active=True), pk=pk)


# --- Overview ----------------------------------------------------------------------


@login_required
def index(request):
    require(request.user, "corridors.use_gallery")
    groups = (
        groups_for_user(request.user)
        .filter(is_active=True)
        .annotate(
            published=Count("works", filter=Q(works__state=GalleryWork.State.PUBLISHED), distinct=True),
            drafts=Count("works", filter=Q(works__state=GalleryWork.State.DRAFT), distinct=True),
            hidden=Count("works", filter=Q(works__state=GalleryWork.State.HIDDEN), distinct=True),
            activity_count=Count("activities", distinct=True),
        )
        .order_by("building__compound__neighbourhood__name", "building__compound__name", "building__name", "name")
    )
    return render(request, "corridors/gallery/index.html", {"groups": groups})


@login_required
def group_gallery(request, group_pk):
    group = get_group_for_user(request.user, group_pk)
    works = group.works.order_by("state", "-published_at", "-pk").prefetch_related(
        Prefetch("images", queryset=WorkImage.objects.order_by("order", "pk"))
    )
    activities = activities_for_user(request.user).filter(group=group).order_by("-starts_at")
    context = {"group": group, "works": works, "activities": activities, **_can(request.user, group)}
    return render(request, "corridors/gallery/group.html", context)


# --- Works ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def work_add(request, group_pk):
    group = _get_active_group_for_user(request.user, group_pk)
    require(request.user, CURATE, group)
    form = WorkCreateForm(request.POST, request.FILES) if request.method == "POST" else WorkCreateForm()
    if request.method == "POST" and form.is_valid():
        work = services.work_create(
            group=group,
            image=form.cleaned_data["image"],
            alt_text=form.cleaned_data["alt_text"],
            by=request.user,
            **_work_fields(form),
        )
        messages.success(request, _("The work was saved as a draft. Publish it when it is ready."))
        return redirect(work)
    return render(request, "corridors/gallery/work_form.html", {"group": group, "form": form})


@login_required
def work_detail(request, pk):
    work = get_work_for_user(request.user, pk)
    context = {
        "work": work,
        "group": work.group,
        "images": work.images.order_by("order", "pk"),
        "hide_form": HideForm(),
        **_can(request.user, work.group),
    }
    return render(request, "corridors/gallery/work_detail.html", context)


@login_required
def work_image_file(request, pk, image_pk):
    """The small picture of a hidden work, for those responsible for it.

    Hiding moves a work's files out of the public media folder; this is how its leader and
    staff still see what was hidden (never cached, no public URL).
    """
    work = get_work_for_user(request.user, pk)
    image = get_object_or_404(work.images.all(), pk=image_pk)
    if work.state != GalleryWork.State.HIDDEN:
        return redirect(image.image_small.url)
    try:
        handle = private_storage().open(image.image_small.name)
    except FileNotFoundError as exc:
        raise Http404 from exc
    return serve_private_file(handle, download_name=f"work-{work.pk}-{image.pk}.webp")


@login_required
@require_http_methods(["GET", "POST"])
def work_edit(request, pk):
    work = get_work_for_user(request.user, pk)
    require(request.user, CURATE, work.group)
    form = WorkForm(request.POST) if request.method == "POST" else WorkForm(initial=WorkForm.initial_for(work))
    if request.method == "POST" and form.is_valid():
        services.work_update(work=work, **_work_fields(form))
        messages.success(request, _("The work was saved."))
        return redirect(work)
    return render(request, "corridors/gallery/work_form.html", {"group": work.group, "work": work, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def work_image_add(request, pk):
    work = get_work_for_user(request.user, pk)
    require(request.user, CURATE, work.group)
    form = PictureForm(request.POST, request.FILES) if request.method == "POST" else PictureForm()
    if request.method == "POST" and form.is_valid():
        services.work_image_add(
            work=work, image=form.cleaned_data["image"], alt_text=form.cleaned_data["alt_text"], by=request.user
        )
        messages.success(request, _("The picture was added."))
        return redirect(work)
    context = {"group": work.group, "back": work, "form": form, "title": _("Add a picture")}
    return render(request, "corridors/gallery/picture_form.html", context)


@login_required
@require_POST
def work_image_delete(request, pk, image_pk):
    work = get_work_for_user(request.user, pk)
    require(request.user, CURATE, work.group)
    image = get_object_or_404(work.images.select_related("work"), pk=image_pk)
    try:
        services.work_image_delete(image=image)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("The picture was deleted."))
    return redirect(work)


@login_required
@require_POST
def work_publish(request, pk):
    work = get_work_for_user(request.user, pk)
    require(request.user, CURATE, work.group)
    try:
        services.work_publish(work=work, by=request.user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("The work is now on the public corridor page."))
    return redirect(work)


@login_required
@require_POST
def work_unpublish(request, pk):
    work = get_work_for_user(request.user, pk)
    require(request.user, CURATE, work.group)
    try:
        services.work_unpublish(work=work, by=request.user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("The work is no longer public; it is a draft again."))
    return redirect(work)


@login_required
@require_http_methods(["GET", "POST"])
def work_hide(request, pk):
    work = get_work_for_user(request.user, pk)
    require(request.user, MODERATE, work.group)
    form = HideForm(request.POST) if request.method == "POST" else HideForm()
    if request.method == "POST" and form.is_valid():
        services.work_hide(work=work, reason=form.cleaned_data["reason"], by=request.user)
        messages.success(request, _("The work is hidden from the public pages."))
        return redirect(work)
    return render(request, "corridors/gallery/hide_form.html", {"group": work.group, "work": work, "form": form})


@login_required
@require_POST
def work_unhide(request, pk):
    work = get_work_for_user(request.user, pk)
    require(request.user, MODERATE, work.group)
    services.work_unhide(work=work, by=request.user)
    messages.success(request, _("The work is no longer hidden."))
    return redirect(work)


@login_required
@require_http_methods(["GET", "POST"])
def work_delete(request, pk):
    work = get_work_for_user(request.user, pk)
    require(request.user, CURATE, work.group)
    if request.method == "POST":
        group = work.group
        services.work_delete(work=work)
        messages.success(request, _("The work was deleted."))
        return redirect("gallery:group", group.pk)
    context = {"group": work.group, "object": work, "back": work}
    return render(request, "corridors/gallery/confirm_delete.html", context)


# --- Activities ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def activity_add(request, group_pk):
    group = _get_active_group_for_user(request.user, group_pk)
    require(request.user, ACTIVITIES, group)
    form = ActivityForm(request.POST) if request.method == "POST" else ActivityForm()
    if request.method == "POST" and form.is_valid():
        activity = services.activity_create(group=group, by=request.user, **form.cleaned_data)
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
        **_can(request.user, activity.group),
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
        services.activity_update(activity=activity, **form.cleaned_data)
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
            messages.error(request, _error_text(exc))
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
        services.activity_photo_add(
            activity=activity, image=form.cleaned_data["image"], alt_text=form.cleaned_data["alt_text"], by=request.user
        )
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


urlpatterns = [
    path("", index, name="index"),
    path("groups/<int:group_pk>/", group_gallery, name="group"),
    path("groups/<int:group_pk>/works/add/", work_add, name="work_add"),
    path("works/<int:pk>/", work_detail, name="work"),
    path("works/<int:pk>/edit/", work_edit, name="work_edit"),
    path("works/<int:pk>/pictures/add/", work_image_add, name="work_image_add"),
    path("works/<int:pk>/pictures/<int:image_pk>/file/", work_image_file, name="work_image_file"),
    path("works/<int:pk>/pictures/<int:image_pk>/delete/", work_image_delete, name="work_image_delete"),
    path("works/<int:pk>/publish/", work_publish, name="work_publish"),
    path("works/<int:pk>/unpublish/", work_unpublish, name="work_unpublish"),
    path("works/<int:pk>/hide/", work_hide, name="work_hide"),
    path("works/<int:pk>/unhide/", work_unhide, name="work_unhide"),
    path("works/<int:pk>/delete/", work_delete, name="work_delete"),
    path("groups/<int:group_pk>/activities/add/", activity_add, name="activity_add"),
    path("activities/<int:pk>/", activity_detail, name="activity"),
    path("activities/<int:pk>/edit/", activity_edit, name="activity_edit"),
    path("activities/<int:pk>/attendance/", activity_attendance, name="activity_attendance"),
    path("activities/<int:pk>/photos/add/", activity_photo_add, name="activity_photo_add"),
    path("activities/<int:pk>/photos/<int:photo_pk>/delete/", activity_photo_delete, name="activity_photo_delete"),
    path("activities/<int:pk>/delete/", activity_delete, name="activity_delete"),
]
