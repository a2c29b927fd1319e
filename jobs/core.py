"""Declaring, running and retrying jobs.

- ``job(name=…)`` declares a job (a procrastinate task retried with back-off; a failed
  attempt's error is kept in ``JobError`` for the superuser's page).
- ``some_job.defer(**kwargs)`` enqueues it through Django's connection, so inside
  ``transaction.atomic()`` it is part of the change: a rolled-back step enqueues nothing.
- ``run_pending_jobs()`` runs every job that is due, in this process, and returns (tests,
  ``manage.py run_jobs --once``); the service runs ``manage.py procrastinate worker``.
"""

import asyncio
import functools
import logging
import threading
import traceback

from django.db import connection, transaction
from django.utils import timezone
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

logger = logging.getLogger(__name__)

# Waits of 4 s, 16 s, 64 s, 4 min, 17 min, then the job is shown as failed.
RETRY = RetryStrategy(max_attempts=6, exponential_wait=4)

# What the superuser's page shows: waiting, running, and failed after its last attempt.
OPEN_STATUSES = ("todo", "doing", "failed")

# Each job's name for people (the superuser's page), by task name.
LABELS: dict = {}


def _record_failure(context, exc: BaseException) -> None:
    from jobs.models import JobError

    job = context.job
    text = "".join(traceback.format_exception_only(type(exc), exc)).strip()[:4000]
    try:
        if connection.in_atomic_block:  # pragma: no cover - a job left a transaction open
            return
        JobError.objects.update_or_create(
            job_id=job.id, defaults={"task_name": job.task_name, "attempt": job.attempts + 1, "error": text}
        )
    except Exception:  # the error is logged below either way
        logger.exception("Could not keep the error of job %s", job.id)
    logger.warning("Job %s (%s) failed: %s", job.id, job.task_name, text)


def job(*, name: str, label, retry=RETRY, queue: str = "default", **options):
    """Declare a job: a keyword-only function run by the worker, retried with back-off.

    ``label`` (lazy text) names it on the superuser's jobs page.
    """
    LABELS[name] = label

    def decorate(func):
        @functools.wraps(func)
        def run(context, **kwargs):
            try:
                return func(**kwargs)
            except Exception as exc:
                _record_failure(context, exc)
                raise

        return app.task(name=name, retry=retry, queue=queue, pass_context=True, **options)(run)

    return decorate


def worker_app():
    """The app with a connector of its own (the worker cannot use a request's connection)."""
    return app.with_connector(app.connector.get_worker_connector())


def run_pending_jobs() -> None:
    """Run every job that is due now in this process, then return (nothing waits for new ones).

    The worker runs its own event loop; where one is already running in this thread (a
    browser driven from the same process, say), it runs in a thread of its own.
    """

    def run():
        worker_app().run_worker(wait=False, install_signal_handlers=False, listen_notify=False, concurrency=1)

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        run()
        return
    thread = threading.Thread(target=run, name="run_pending_jobs")
    thread.start()
    thread.join()


def job_retry(*, job_id: int) -> bool:
    """Run a failed job again now, or a waiting one without waiting for its back-off. False if neither."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT status FROM procrastinate_jobs WHERE id = %s FOR UPDATE", [job_id])
        row = cursor.fetchone()
        if row is None:
            return False
        if row[0] == "failed":
            app.job_manager.retry_job_by_id(job_id=job_id, retry_at=timezone.now())
            return True
        if row[0] == "todo":
            cursor.execute("UPDATE procrastinate_jobs SET scheduled_at = now() WHERE id = %s", [job_id])
            return True
    return False
