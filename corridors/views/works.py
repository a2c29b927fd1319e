"""Signed-in pages for a corridor's gallery works: add, edit, pictures, publish, hide, delete."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from common.forms import add_errors
from common.permissions import require
from common.refusals import Refused
from common.uploads import private_storage, serve_private
from corridors.forms.works import HideForm, PictureForm, WorkCreateForm, WorkForm
from corridors.models import GalleryWork
from corridors.selectors import get_work_for_user
from corridors.services import gallery as services
from corridors.views.gallery import CURATE, MODERATE, get_active_group_for_user, permissions_on


def _work_fields(form) -> dict:
    return {name: form.cleaned_data[name] for name in WorkForm.base_fields}


@login_required
@require_http_methods(["GET", "POST"])
def work_add(request, group_pk):
    group = get_active_group_for_user(request.user, group_pk)
    require(request.user, CURATE, group)
    form = WorkCreateForm(request.POST, request.FILES) if request.method == "POST" else WorkCreateForm()
    if request.method == "POST" and form.is_valid():
        try:
            work = services.work_create(
                group=group,
                image=form.cleaned_data["image"],
                alt_text=form.cleaned_data["alt_text"],
                by=request.user,
                **_work_fields(form),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
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
        "transitions": work.transitions.select_related("actor"),
        "hide_form": HideForm(),
        **permissions_on(request.user, work.group),
    }
    return render(request, "corridors/gallery/work_detail.html", context)


@login_required
def work_image_file(request, pk, image_pk):
    """The small picture of a work that is not published, for those responsible for it.

    Only a published work's pictures are in public storage; a draft's or a hidden work's
    are private, and this is how their leader and staff see them (after the permission
    check: nginx's internal location on disk, a short-lived signed link on object storage;
    never cached).
    """
    work = get_work_for_user(request.user, pk)
    image = get_object_or_404(work.images.all(), pk=image_pk)
    if not image.is_ready:
        raise Http404  # the worker has not made its sizes (or could not)
    name = image.image_small.name
    if work.state == GalleryWork.State.PUBLISHED or not private_storage().exists(name):
        # Published (or stored publicly before drafts were kept private): its public address.
        return redirect(image.image_small.url)
    return serve_private(name, download_name=f"work-{work.pk}-{image.pk}.webp", storage=private_storage())


@login_required
@require_http_methods(["GET", "POST"])
def work_edit(request, pk):
    work = get_work_for_user(request.user, pk)
    require(request.user, CURATE, work.group)
    form = WorkForm(request.POST) if request.method == "POST" else WorkForm(initial=WorkForm.initial_for(work))
    if request.method == "POST" and form.is_valid():
        try:
            services.work_update(work=work, **_work_fields(form))
        except ValidationError as error:
            add_errors(form, error)
        else:
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
        try:
            services.work_image_add(
                work=work, image=form.cleaned_data["image"], alt_text=form.cleaned_data["alt_text"], by=request.user
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
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
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The picture was deleted."))
    return redirect(work)


def _take_step(request, work, service, done: str, **kwargs) -> None:
    """Run one step of the work table; the state the page showed is posted back, so a stale click is refused."""
    try:
        service(work=work, by=request.user, expected_state=request.POST.get("state") or None, **kwargs)
    except Refused as refused:
        messages.error(request, refused.reason)
    else:
        messages.success(request, done)


@login_required
@require_POST
def work_publish(request, pk):
    work = get_work_for_user(request.user, pk)
    require(request.user, CURATE, work.group)
    _take_step(request, work, services.work_publish, _("The work is now on the public corridor page."))
    return redirect(work)


@login_required
@require_POST
def work_unpublish(request, pk):
    work = get_work_for_user(request.user, pk)
    require(request.user, CURATE, work.group)
    _take_step(request, work, services.work_unpublish, _("The work is no longer public; it is a draft again."))
    return redirect(work)


@login_required
@require_http_methods(["GET", "POST"])
def work_hide(request, pk):
    work = get_work_for_user(request.user, pk)
    require(request.user, MODERATE, work.group)
    form = HideForm(request.POST) if request.method == "POST" else HideForm()
    if request.method == "POST" and form.is_valid():
        _take_step(
            request,
            work,
            services.work_hide,
            _("The work is hidden from the public pages."),
            reason=form.cleaned_data["reason"],
        )
        return redirect(work)
    return render(request, "corridors/gallery/hide_form.html", {"group": work.group, "work": work, "form": form})


@login_required
@require_POST
def work_unhide(request, pk):
    work = get_work_for_user(request.user, pk)
    require(request.user, MODERATE, work.group)
    _take_step(request, work, services.work_unhide, _("The work is no longer hidden."))
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
