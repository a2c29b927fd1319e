"""Staff pages for a building group's files: corridor photos (public) and documents (private).

Every view reaches the group through ``get_group_for_user`` (outside the user's scope:
404) and then checks ``corridors.add_group_file`` (403).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from common.permissions import require
from corridors.forms.files import GroupDocumentForm, GroupPhotoForm
from corridors.selectors import get_group_for_user
from corridors.services.files import group_document_add, group_photo_add, group_photo_delete


def _group_for_files(user, pk):
    group = get_group_for_user(user, pk)
    require(user, "corridors.add_group_file", group)
    return group


@login_required
@require_http_methods(["GET", "POST"])
def photo_add(request, group_pk):
    group = _group_for_files(request.user, group_pk)
    form = GroupPhotoForm(request.POST, request.FILES) if request.method == "POST" else GroupPhotoForm()
    if request.method == "POST" and form.is_valid():
        group_photo_add(
            group=group, image=form.cleaned_data["image"], alt_text=form.cleaned_data["alt_text"], by=request.user
        )
        messages.success(request, _("The photo was added to the public corridor page."))
        return redirect("places:group", group.pk)
    return render(request, "corridors/files/photo_form.html", {"group": group, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def photo_delete(request, group_pk, pk):
    group = _group_for_files(request.user, group_pk)
    photo = get_object_or_404(group.photos.all(), pk=pk)
    if request.method == "POST":
        group_photo_delete(photo=photo)
        messages.success(request, _("The photo was deleted."))
        return redirect("places:group", group.pk)
    return render(request, "corridors/files/photo_confirm_delete.html", {"group": group, "photo": photo})


@login_required
@require_http_methods(["GET", "POST"])
def document_add(request, group_pk):
    group = _group_for_files(request.user, group_pk)
    form = GroupDocumentForm(request.POST, request.FILES) if request.method == "POST" else GroupDocumentForm()
    if request.method == "POST" and form.is_valid():
        kind, file = form.cleaned_data["file"]
        group_document_add(group=group, title=form.cleaned_data["title"], kind=kind, file=file, by=request.user)
        messages.success(request, _("The document was saved. Only people responsible for this group can open it."))
        return redirect("places:group", group.pk)
    return render(request, "corridors/files/document_form.html", {"group": group, "form": form})
