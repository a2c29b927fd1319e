"""The job queue for real: procrastinate's worker, in this process, against PostgreSQL.

These tests commit (``transaction=True``): the worker has a connection of its own and sees
only what a step committed, exactly as in production.
"""

import socket
import threading

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from procrastinate import RetryStrategy
from procrastinate.contrib.django.models import ProcrastinateJob

from corridors.models import Notification
from corridors.services.notifications import notify
from jobs.core import job
from jobs.models import JobError
from tests import factories as f
from tests.job_runner import run_jobs

pytestmark = pytest.mark.django_db(transaction=True)


def mail_jobs():
    return ProcrastinateJob.objects.filter(task_name="jobs.send_email")


@pytest.fixture
def people(db):
    return f.UserFactory(username="alice", email="alice@example.org"), f.UserFactory(
        username="fay", email="fay@example.org"
    )


def test_a_committed_step_is_mailed_by_the_worker(people, mailoutbox):
    alice, fay = people
    with transaction.atomic():
        notify(recipients=[fay], actor=alice, verb="支付已提出", message="请审核", url="/inbox/", subject="待审核")
    # Nothing is sent in the step itself: the mail waits in the queue.
    assert mailoutbox == [] and mail_jobs().get().status == "todo"
    run_jobs()
    assert [m.to for m in mail.outbox] == [["fay@example.org"]] and mail.outbox[0].subject == "待审核"
    assert mail_jobs().get().status == "succeeded"


def test_a_rolled_back_step_enqueues_nothing(people, mailoutbox):
    alice, fay = people
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(recipients=[fay], actor=alice, verb="支付已提出", message="请审核")
        raise RuntimeError("the step failed after telling")
    assert not Notification.objects.exists() and not mail_jobs().exists()
    run_jobs()
    assert mail.outbox == []


class HangingMailServer:
    """Accepts connections and never answers (a mail server that hangs)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.accepted = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted.append(conn)

    def close(self):
        self.sock.close()
        for conn in self.accepted:
            conn.close()


@pytest.fixture
def hanging_mail_server(settings):
    server = HangingMailServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", server.port, 1
    yield server
    server.close()


def test_a_hanging_mail_server_never_holds_a_step_and_the_mail_goes_when_it_recovers(
    world, hanging_mail_server, settings, as_user, mailoutbox
):
    from tests.corridors.test_application_workflow import make_application, make_year

    year = make_year(world.street)
    world.carl.email = "carl@example.org"
    world.carl.save()
    application = make_application(world, year)
    response = as_user(world.leo).post(
        reverse("applications:step", args=[application.pk, "submit"]), {"state": application.state}
    )
    assert response.status_code == 302
    # The request never spoke to the mail server: the mail is a job.
    assert hanging_mail_server.accepted == []
    queued = mail_jobs().get()
    assert queued.args["to"] == ["carl@example.org"]

    run_jobs()  # the worker tries, the server does not answer within EMAIL_TIMEOUT
    queued.refresh_from_db()
    assert len(hanging_mail_server.accepted) == 1
    assert queued.status == "todo" and queued.attempts == 1  # retried later, with back-off
    assert "timed out" in JobError.objects.get(job_id=queued.id).error

    # The server recovers; the superuser does not wait for the back-off.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    admin = f.UserFactory(username="root", is_superuser=True)
    page = as_user(admin).get(reverse("jobs:list")).content.decode()
    assert f'data-job="{queued.id}"' in page and "timed out" in page
    assert as_user(admin).post(reverse("jobs:retry", args=[queued.id])).status_code == 302
    run_jobs()
    assert [m.to for m in mail.outbox] == [["carl@example.org"]]
    assert application.get_absolute_url() in mail.outbox[0].body
    assert mail_jobs().get().status == "succeeded"


BROKEN = {"runs": 0}


@job(name="tests.always_broken", label="broken", retry=RetryStrategy(max_attempts=2))
def always_broken(*, reason: str) -> None:
    BROKEN["runs"] += 1
    raise ValueError(reason)


def test_a_failing_job_is_retried_then_shown_as_failed_and_can_be_run_again(world, as_user):
    BROKEN["runs"] = 0
    always_broken.defer(reason="磁盘已满")
    run_jobs()
    failed = ProcrastinateJob.objects.get(task_name="tests.always_broken")
    # The first run and two retries (no wait between them here), then it stays failed.
    assert BROKEN["runs"] == 3 and failed.status == "failed"

    admin = f.UserFactory(username="root", is_superuser=True)
    client = as_user(admin)
    page = client.get(reverse("jobs:list")).content.decode()
    assert f'data-job="{failed.id}" data-status="failed"' in page and "ValueError: 磁盘已满" in page
    assert "重新运行" in page

    client.post(reverse("jobs:retry", args=[failed.id]))
    assert ProcrastinateJob.objects.get(pk=failed.pk).status == "todo"
    run_jobs()
    assert BROKEN["runs"] == 4


def test_only_the_superuser_sees_the_jobs(world, as_user):
    response = as_user(world.alice).get(reverse("jobs:list"))
    assert response.status_code == 403 and "系统管理员" in response.content.decode()
    assert as_user(world.alice).post(reverse("jobs:retry", args=[1])).status_code == 403
