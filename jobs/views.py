"""The superuser's page of background jobs: waiting, running, failed (with the error), and a retry button."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.listing import paginate
from common.permissions import require
from common.uploads import serve_private_file
from jobs.core import job_retry
from jobs.models import Export
from jobs.selectors import open_jobs, with_errors


@login_required
def job_list(request):
    require(request.user, "jobs.manage_jobs")
    page_obj = paginate(open_jobs(), request)
    page_obj.object_list = with_errors(page_obj.object_list)
    return render(request, "jobs/list.html", {"page_obj": page_obj})


@login_required
@require_POST
def retry(request, job_id: int):
    require(request.user, "jobs.manage_jobs")
    if job_retry(job_id=job_id):
        messages.success(request, _("Job %(id)s will run again now.") % {"id": job_id})
    else:
        messages.error(request, _("Job %(id)s has already run or no longer exists.") % {"id": job_id})
    return redirect("jobs:list")


@login_required
def export_status(request, pk: int):
    """Progress of one's own export, and its download link when ready (another's is not found)."""
    export = get_object_or_404(Export.objects.filter(requested_by=request.user), pk=pk)
    return render(request, "jobs/export.html", {"export": export})


@login_required
def export_download(request, pk: int):
    export = get_object_or_404(Export.objects.filter(requested_by=request.user, state=Export.State.READY), pk=pk)
    return serve_private_file(export.file, download_name=export.filename)
