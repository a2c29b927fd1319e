"""The corridors app's jobs (found by the queue's autodiscovery): notification channels and
the morning reminders, the nightly housekeeping, pictures' display sizes and receipt pictures."""

from django.utils.translation import gettext_lazy as _
from procrastinate.contrib.django import app

from corridors.channels import post_webhook, send_sms
from corridors.group_export import building_groups_export
from corridors.images import backfill_derivatives_job, picture_sizes_job, receipt_reencode_job
from jobs.core import job


# The queue reads cron times in UTC: 00:00 UTC is 08:00 in Shanghai, 19:30 UTC is 03:30.
@app.periodic(cron="0 0 * * *", periodic_id="morning")
@job(name="corridors.send_reminders", label=_("Reminders"))
def send_reminders_job(*, timestamp: int) -> None:
    """Every morning at 8: today's reminder digests (the queue runs each tick once)."""
    import datetime

    from django.utils import timezone

    from corridors.reminders import send_reminders

    send_reminders(today=timezone.localdate(datetime.datetime.fromtimestamp(timestamp, tz=datetime.UTC)))


@app.periodic(cron="30 19 * * *", periodic_id="nightly")
@job(name="corridors.housekeeping", label=_("Nightly housekeeping"))
def housekeeping_job(*, timestamp: int) -> None:
    """Every night: expired sessions and old exports go, and personal data past its retention
    period is anonymised (个人信息保护法; ``manage.py anonymise_expired`` does the same by hand)."""
    from django.core.management import call_command

    from corridors.personal_data import anonymise_expired
    from jobs.exports import export_prune

    call_command("clearsessions")
    export_prune()
    anonymise_expired()


__all__ = [
    "building_groups_export",
    "backfill_derivatives_job",
    "housekeeping_job",
    "picture_sizes_job",
    "receipt_reencode_job",
    "post_webhook",
    "send_reminders_job",
    "send_sms",
]
