"""What the superuser's jobs page lists: jobs waiting, running or failed, with their last error."""

from procrastinate.contrib.django.models import ProcrastinateJob

from jobs.core import LABELS, OPEN_STATUSES
from jobs.models import JobError


def open_jobs():
    return ProcrastinateJob.objects.filter(status__in=OPEN_STATUSES).order_by("-id")


def with_errors(jobs) -> list:
    """The page's rows: each job with ``label`` and ``last_error`` (None when no attempt failed)."""
    jobs = list(jobs)
    errors = {e.job_id: e for e in JobError.objects.filter(job_id__in=[j.id for j in jobs])}
    for item in jobs:
        item.label = LABELS.get(item.task_name, item.task_name)
        item.last_error = errors.get(item.id)
    return jobs
