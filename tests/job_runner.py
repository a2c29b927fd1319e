"""Running jobs in tests.

``run_jobs()``: the real worker (procrastinate, its own connection), in this process, until
nothing is due; it sees committed rows only, so tests that use it are ``transaction=True``.

``jobs_run_here()``: for a test inside one transaction (the usual ``db`` fixture), which the
worker cannot see: on leaving the block, each job the block enqueued is run once in this
transaction, through the job's own function, and marked done; it yields the list of jobs run.
"""

import contextlib
from types import SimpleNamespace

from django.db import connection
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob

from jobs.core import run_pending_jobs

run_jobs = run_pending_jobs


def due_jobs(task_name: str | None = None):
    jobs = ProcrastinateJob.objects.filter(status="todo").order_by("id")
    return list(jobs.filter(task_name=task_name) if task_name else jobs)


@contextlib.contextmanager
def jobs_run_here():
    before = set(ProcrastinateJob.objects.values_list("id", flat=True))
    ran = []
    yield ran
    for row in due_jobs():
        if row.id in before:
            continue
        app.tasks[row.task_name].func(SimpleNamespace(job=row.procrastinate_job), **row.args)
        with connection.cursor() as cursor:
            cursor.execute("UPDATE procrastinate_jobs SET status = 'succeeded' WHERE id = %s", [row.id])
        ran.append(row)
