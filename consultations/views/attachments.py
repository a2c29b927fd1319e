"""A request's photos and scans: adding one, and opening one (private files, checked here)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.refusals import Refused
from common.uploads import serve_private_file
from consultations.forms.attachments import AttachmentForm
from consultations.selectors import get_attachment_for_user, get_request_for_user
from consultations.services.attachments import attachment_add


@login_required
@require_POST
def attachment_upload(request, pk):
    obj = get_request_for_user(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        kind, content = form.cleaned_data["attachment"]
        try:
            attachment_add(actor=request.user, request=obj, kind=kind, content=content)
        except Refused as error:
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
